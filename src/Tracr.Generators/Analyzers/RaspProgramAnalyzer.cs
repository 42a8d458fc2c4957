using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Tracr.Generators.Model;
using Tracr.Generators.Parsing;

namespace Tracr.Generators.Analyzers
{
    /// <summary>
    /// Reports misuse of <c>[RaspProgram]</c> (TRACR001-TRACR011) as you type: what
    /// <see cref="ProgramDeclarationReader"/> finds, which needs no compilation of the program. The generator
    /// runs the same reader and silently skips a program with any of these problems.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RaspProgramAnalyzer : DiagnosticAnalyzer
    {
        private static readonly ImmutableArray<DiagnosticDescriptor> Usage = ImmutableArray.Create(
            Descriptors.MethodNotStatic,
            Descriptors.TypeNotPartial,
            Descriptors.MethodHasParameters,
            Descriptors.MethodReturnType,
            Descriptors.GenericNotSupported,
            Descriptors.EmptyVocab,
            Descriptors.BadMaxSeqLen,
            Descriptors.ReservedToken,
            Descriptors.BadVocabEntry,
            Descriptors.BadOption,
            Descriptors.ModelNameConflict,
            Descriptors.FileLocalType,
            Descriptors.PartialMethod,
            Descriptors.ExternMethod);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => Usage;

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

            // Methods (the usual case) ...
            context.RegisterSymbolAction(c => Analyze((IMethodSymbol)c.Symbol, c.Compilation, c.ReportDiagnostic, c.CancellationToken), SymbolKind.Method);

            // ... and what symbol actions do not visit: local functions and lambdas carrying the attribute (always an error).
            context.RegisterSyntaxNodeAction(c =>
            {
                var attributes = c.Node is LocalFunctionStatementSyntax f ? f.AttributeLists : ((ParenthesizedLambdaExpressionSyntax)c.Node).AttributeLists;
                if (attributes.Count == 0) return;
                var symbol = c.Node.IsKind(SyntaxKind.LocalFunctionStatement)
                    ? c.SemanticModel.GetDeclaredSymbol(c.Node, c.CancellationToken)
                    : c.SemanticModel.GetSymbolInfo(c.Node, c.CancellationToken).Symbol;
                if (symbol is IMethodSymbol method) Analyze(method, c.Compilation, c.ReportDiagnostic, c.CancellationToken);
            }, SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression);
        }

        private static void Analyze(IMethodSymbol method, Compilation compilation, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken)
        {
            AttributeData? attribute = null;
            foreach (var candidate in method.GetAttributes())
            {
                if (!ProgramDeclarationReader.IsRaspProgramAttribute(candidate.AttributeClass)) continue;
                attribute = candidate;
                break;
            }
            if (attribute is null) return;

            var problems = new List<DiagnosticInfo>();
            ProgramDeclarationReader.Read(method, attribute, problems, cancellationToken);
            foreach (var problem in problems)
            {
                report(Diagnostic.Create(Descriptors.ById(problem.Id), ToSourceLocation(problem.Location, method, attribute, compilation),
                    problem.Arguments.Cast<object>().ToArray()));
            }
        }

        /// <summary>
        /// The reader returns plain locations (file path and span); map them back onto the compilation's syntax trees,
        /// so the IDE places them in the document and <c>#pragma warning disable</c> applies.
        /// </summary>
        private static Location ToSourceLocation(LocationInfo? info, IMethodSymbol method, AttributeData attribute, Compilation compilation)
        {
            if (info is null) return method.Locations.FirstOrDefault() ?? Location.None;
            var candidates = method.DeclaringSyntaxReferences.Select(r => r.SyntaxTree);
            if (attribute.ApplicationSyntaxReference != null) candidates = candidates.Append(attribute.ApplicationSyntaxReference.SyntaxTree);
            for (var type = method.ContainingType; type != null; type = type.ContainingType)
                candidates = candidates.Concat(type.DeclaringSyntaxReferences.Select(r => r.SyntaxTree));
            foreach (var tree in candidates.Concat(compilation.SyntaxTrees))
            {
                if (tree.FilePath == info.FilePath && info.Span.End <= tree.Length)
                    return Location.Create(tree, info.Span);
            }
            return info.ToLocation();
        }
    }
}
