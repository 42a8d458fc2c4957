using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Tracr.Generators.CodeFixes
{
    /// <summary>
    /// TRACR003: removes the program method's parameters. Offered only when its body uses none of them: otherwise
    /// removing them would not compile, and the fix is to move that code into a helper method (the diagnostic says so).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveParametersCodeFix)), Shared]
    public sealed class RemoveParametersCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.MethodHasParameters);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                // The diagnostic spans the parameters (first to last) of the method's own parameter list.
                var node = root.FindNode(diagnostic.Location.SourceSpan);
                var list = node.FirstAncestorOrSelf<ParameterListSyntax>();
                if (!(list?.Parent is MethodDeclarationSyntax method) || list.Parameters.Count == 0) continue;
                if (UsesParameters(method, model, context.CancellationToken)) continue;
                context.RegisterCodeFix(
                    CodeAction.Create($"Remove the parameters of '{method.Identifier.ValueText}'",
                        cancellationToken => RemoveAsync(context.Document, method, cancellationToken),
                        equivalenceKey: nameof(RemoveParametersCodeFix)),
                    diagnostic);
            }
        }

        private static bool UsesParameters(MethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellationToken)
        {
            var parameters = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var parameter in method.ParameterList.Parameters)
                if (model.GetDeclaredSymbol(parameter, cancellationToken) is IParameterSymbol symbol) parameters.Add(symbol);
            SyntaxNode? body = (SyntaxNode?)method.Body ?? method.ExpressionBody;
            if (body is null) return false;
            return body.DescendantNodes().OfType<IdentifierNameSyntax>()
                .Any(name => model.GetSymbolInfo(name, cancellationToken).Symbol is IParameterSymbol p && parameters.Contains(p));
        }

        private static async Task<Document> RemoveAsync(Document document, MethodDeclarationSyntax method, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null) return document;
            var list = method.ParameterList;
            // Keep the parentheses and their trivia; drop every parameter (and the attributes or defaults with it).
            var empty = list.WithParameters(default(SeparatedSyntaxList<ParameterSyntax>))
                .WithOpenParenToken(list.OpenParenToken.WithTrailingTrivia(default(SyntaxTriviaList)))
                .WithCloseParenToken(list.CloseParenToken.WithLeadingTrivia(default(SyntaxTriviaList)));
            return document.WithSyntaxRoot(root.ReplaceNode(list, empty));
        }
    }
}
