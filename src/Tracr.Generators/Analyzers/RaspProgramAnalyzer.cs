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
            context.RegisterSymbolAction(c => Analyze((IMethodSymbol)c.Symbol, c.Compilation, c.ReportDiagnostic, c.CancellationToken, typeReportsNotPartial: true), SymbolKind.Method);

            // ... TRACR002 from the type it names: a diagnostic inside the analyzed symbol's declaration is "local", which the
            // IDE computes for the open document and offers code fixes for (one in a containing type would not be).
            context.RegisterSymbolAction(c => AnalyzeTypeNotPartial((INamedTypeSymbol)c.Symbol, c.Compilation, c.ReportDiagnostic, c.CancellationToken), SymbolKind.NamedType);

            // ... and what symbol actions do not visit: local functions and lambdas carrying the attribute (always an error).
            context.RegisterSyntaxNodeAction(c =>
            {
                var attributes = c.Node is LocalFunctionStatementSyntax f ? f.AttributeLists : ((ParenthesizedLambdaExpressionSyntax)c.Node).AttributeLists;
                if (attributes.Count == 0) return;
                var symbol = c.Node.IsKind(SyntaxKind.LocalFunctionStatement)
                    ? c.SemanticModel.GetDeclaredSymbol(c.Node, c.CancellationToken)
                    : c.SemanticModel.GetSymbolInfo(c.Node, c.CancellationToken).Symbol;
                if (symbol is IMethodSymbol method) Analyze(method, c.Compilation, c.ReportDiagnostic, c.CancellationToken, typeReportsNotPartial: false);
            }, SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression);
        }

        /// <param name="typeReportsNotPartial">Whether the method is a member that <see cref="AnalyzeTypeNotPartial"/> visits (not a local function or lambda).</param>
        private static void Analyze(IMethodSymbol method, Compilation compilation, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken, bool typeReportsNotPartial)
        {
            foreach (var diagnostic in Diagnose(method, compilation, cancellationToken))
            {
                // A TRACR002 on a containing type's name is then reported by that type's action.
                if (typeReportsNotPartial && diagnostic.Id == Descriptors.TypeNotPartial.Id && IsOnContainingTypeName(diagnostic, method)) continue;
                report(diagnostic);
            }
        }

        /// <summary>TRACR002 of the [RaspProgram] methods in <paramref name="type"/> and its nested types that point at <paramref name="type"/>'s name.</summary>
        private static void AnalyzeTypeNotPartial(INamedTypeSymbol type, Compilation compilation, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken)
        {
            var pending = new Stack<INamedTypeSymbol>();
            pending.Push(type);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                foreach (var member in current.GetMembers())
                {
                    if (member is INamedTypeSymbol nested) pending.Push(nested);
                    else if (member is IMethodSymbol method)
                        foreach (var diagnostic in Diagnose(method, compilation, cancellationToken))
                            if (diagnostic.Id == Descriptors.TypeNotPartial.Id && type.Locations.Contains(diagnostic.Location))
                                report(diagnostic);
                }
            }
        }

        private static bool IsOnContainingTypeName(Diagnostic diagnostic, IMethodSymbol method)
        {
            for (var type = method.ContainingType; type != null; type = type.ContainingType)
                if (type.Locations.Contains(diagnostic.Location)) return true;
            return false;
        }

        /// <summary>What the reader finds wrong with a [RaspProgram] method, as diagnostics on the compilation's trees (none without the attribute).</summary>
        private static IEnumerable<Diagnostic> Diagnose(IMethodSymbol method, Compilation compilation, System.Threading.CancellationToken cancellationToken)
        {
            AttributeData? attribute = null;
            foreach (var candidate in method.GetAttributes())
            {
                if (!ProgramDeclarationReader.IsRaspProgramAttribute(candidate.AttributeClass)) continue;
                attribute = candidate;
                break;
            }
            if (attribute is null) yield break;

            var problems = new List<DiagnosticInfo>();
            ProgramDeclarationReader.Read(method, attribute, problems, cancellationToken);
            foreach (var problem in problems)
            {
                yield return Diagnostic.Create(Descriptors.ById(problem.Id), ToSourceLocation(problem.Location, method, attribute, compilation),
                    problem.Arguments.Cast<object>().ToArray());
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
