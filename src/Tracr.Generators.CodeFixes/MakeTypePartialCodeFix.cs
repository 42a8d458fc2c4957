using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Tracr.Generators.CodeFixes
{
    /// <summary>
    /// TRACR002: adds <c>partial</c> to the declaration the diagnostic names (the program's type or a containing type;
    /// each declaration without <c>partial</c> gets its own diagnostic).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFix)), Shared]
    public sealed class MakeTypePartialCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.TypeNotPartial);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                // The diagnostic is on the type declaration's name.
                var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
                if (!(token.Parent is TypeDeclarationSyntax type) || type.Identifier != token || type.Modifiers.Any(SyntaxKind.PartialKeyword)) continue;
                context.RegisterCodeFix(
                    CodeAction.Create($"Make '{type.Identifier.ValueText}' partial",
                        cancellationToken => MakePartialAsync(context.Document, type, cancellationToken),
                        equivalenceKey: nameof(MakeTypePartialCodeFix)),
                    diagnostic);
            }
        }

        private static async Task<Document> MakePartialAsync(Document document, TypeDeclarationSyntax type, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            // `partial` goes last, right before the type keyword, as C# requires.
            editor.SetModifiers(type, editor.Generator.GetModifiers(type).WithPartial(true));
            return editor.GetChangedDocument();
        }
    }
}
