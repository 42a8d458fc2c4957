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
    /// TRACR001 on an instance method: adds <c>static</c>. Not offered where <c>static</c> cannot simply be added
    /// (abstract, virtual or override methods, methods without a body) nor for local functions and lambdas, which are
    /// never program methods whatever their modifiers.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMethodStaticCodeFix)), Shared]
    public sealed class MakeMethodStaticCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.MethodNotStatic);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                // The diagnostic is on the method's name.
                var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
                if (!(token.Parent is MethodDeclarationSyntax method) || method.Identifier != token || !CanMakeStatic(method)) continue;
                context.RegisterCodeFix(
                    CodeAction.Create($"Make '{method.Identifier.ValueText}' static",
                        cancellationToken => MakeStaticAsync(context.Document, method, cancellationToken),
                        equivalenceKey: nameof(MakeMethodStaticCodeFix)),
                    diagnostic);
            }
        }

        private static bool CanMakeStatic(MethodDeclarationSyntax method) =>
            (method.Body != null || method.ExpressionBody != null)
            && !method.Modifiers.Any(SyntaxKind.StaticKeyword)
            && !method.Modifiers.Any(SyntaxKind.AbstractKeyword)
            && !method.Modifiers.Any(SyntaxKind.VirtualKeyword)
            && !method.Modifiers.Any(SyntaxKind.OverrideKeyword);

        private static async Task<Document> MakeStaticAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
        {
            var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            // The generator puts the modifier in C#'s usual order (access, then static, then the rest).
            editor.SetModifiers(method, editor.Generator.GetModifiers(method).WithIsStatic(true));
            return editor.GetChangedDocument();
        }
    }
}
