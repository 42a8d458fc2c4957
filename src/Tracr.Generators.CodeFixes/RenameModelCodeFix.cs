using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Tracr.Generators.CodeFixes
{
    /// <summary>
    /// TRACR011: gives the compiled model a free name by setting <c>ModelName</c> on the program's
    /// <c>[RaspProgram]</c> (replacing the one written, if any). The name is <c>&lt;Method&gt;Model</c>, or
    /// <c>&lt;Method&gt;Model2</c>, <c>3</c>, ... when that is taken too: taken are the type's name, its members' names and
    /// the model names of the type's other RASP programs. No fix-all: two renames in one type could pick the same name.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RenameModelCodeFix)), Shared]
    public sealed class RenameModelCodeFix : CodeFixProvider
    {
        private const string AttributeName = "RaspProgramAttribute";
        private const string ModelNameArgument = "ModelName";

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticIds.ModelNameConflict);

        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                // The diagnostic is on the `ModelName = ...` argument when it is written, else on the method's name.
                var span = diagnostic.Location.SourceSpan;
                var method = root.FindToken(span.Start).Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>();
                if (method is null || !(method.Identifier.Span == span || method.AttributeLists.FullSpan.Contains(span))) continue;
                if (!(model.GetDeclaredSymbol(method, context.CancellationToken) is IMethodSymbol symbol) || symbol.ContainingType is null) continue;
                var attribute = FindAttribute(method, model, context.CancellationToken);
                if (attribute is null) continue;

                string name = FreeName(symbol);
                context.RegisterCodeFix(
                    CodeAction.Create($"Name the model '{name}'",
                        cancellationToken => SetModelNameAsync(context.Document, attribute, name, cancellationToken),
                        equivalenceKey: nameof(RenameModelCodeFix)),
                    diagnostic);
            }
        }

        private static AttributeSyntax? FindAttribute(MethodDeclarationSyntax method, SemanticModel model, CancellationToken cancellationToken) =>
            method.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a =>
                model.GetSymbolInfo(a, cancellationToken).Symbol is IMethodSymbol constructor
                && constructor.ContainingType.Name == AttributeName
                && constructor.ContainingType.ContainingType is null
                && constructor.ContainingType.ContainingNamespace?.ToDisplayString() == "Tracr");

        /// <summary>The first of Method+"Model", Method+"Model2", ... that nothing in the type uses.</summary>
        private static string FreeName(IMethodSymbol method)
        {
            var type = method.ContainingType;
            var taken = new HashSet<string>(type.MemberNames) { type.Name };
            foreach (var other in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(other, method)) continue;
                var attribute = other.GetAttributes().FirstOrDefault(a =>
                    a.AttributeClass?.Name == AttributeName && a.AttributeClass.ContainingNamespace?.ToDisplayString() == "Tracr");
                if (attribute != null) taken.Add(RequestedModelName(other, attribute));
            }
            string stem = method.Name + "Model";
            string name = stem;
            for (int i = 2; taken.Contains(name); i++) name = stem + i.ToString(CultureInfo.InvariantCulture);
            return name;
        }

        /// <summary>The model name a program asks for: its ModelName, else the generator's default (Program → Model, X → XModel).</summary>
        private static string RequestedModelName(IMethodSymbol method, AttributeData attribute)
        {
            foreach (var pair in attribute.NamedArguments)
                if (pair.Key == ModelNameArgument && pair.Value.Value is string name)
                    return name;
            return method.Name == "Program" ? "Model" : method.Name + "Model";
        }

        private static async Task<Document> SetModelNameAsync(Document document, AttributeSyntax attribute, string name, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null) return document;
            var literal = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name));
            var existing = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == ModelNameArgument);
            AttributeSyntax fixedAttribute;
            if (existing != null)
            {
                fixedAttribute = attribute.ReplaceNode(existing.Expression, literal.WithTriviaFrom(existing.Expression));
            }
            else
            {
                var argument = SyntaxFactory.AttributeArgument(literal)
                    .WithNameEquals(SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName(ModelNameArgument)));
                var list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
                fixedAttribute = attribute.WithArgumentList(list.AddArguments(argument));
            }
            return document.WithSyntaxRoot(root.ReplaceNode(attribute, fixedAttribute));
        }
    }
}
