using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Tracr.Generators.Compiling;
using Tracr.Generators.Model;
using Tracr.Generators.Parsing;

namespace Tracr.Generators
{
    /// <summary>
    /// Compiles every <c>[RaspProgram]</c> method to a transformer at build time.
    /// <list type="number">
    /// <item>Spec (runs on every edit, cheap): read the attribute, evaluate the body into a recipe of DSL calls
    /// (<see cref="BodyInterpreter"/>). The result is plain equatable data, no symbols or syntax.</item>
    /// <item>Compile (expensive, cached): only the location-free <see cref="CompileInput"/> flows in, so edits
    /// elsewhere, or ones that just move code, leave it cached; then replay, Tracr's passes, emission.</item>
    /// <item>Output: the source per program, and the diagnostics (joined back with the spec's locations).</item>
    /// </list>
    /// Nothing here throws into the compiler: failures become diagnostics naming the program.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class RaspProgramGenerator : IIncrementalGenerator
    {
        /// <summary>Names of the tracked pipeline steps (for incrementality tests).</summary>
        public static class TrackingNames
        {
            public const string Spec = "RaspProgramSpec";
            public const string CompileInput = "RaspCompileInput";
            public const string Compile = "RaspCompile";
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var specs = context.SyntaxProvider.ForAttributeWithMetadataName(
                    ProgramDeclarationReader.AttributeMetadataName,
                    predicate: static (node, _) => node is MethodDeclarationSyntax,
                    transform: static (ctx, ct) => ReadSpec(ctx, ct))
                .WithTrackingName(TrackingNames.Spec);

            var results = specs
                .Where(static s => s.Input != null)
                .Select(static (s, _) => s.Input!)
                .WithTrackingName(TrackingNames.CompileInput)
                .Select(static (input, ct) => ProgramCompiler.Compile(input, ct))
                .WithTrackingName(TrackingNames.Compile);

            context.RegisterSourceOutput(results, static (spc, result) =>
            {
                if (result.Source != null) spc.AddSource(result.HintName, result.Source);
            });

            context.RegisterSourceOutput(results.Collect().Combine(specs.Collect()), static (spc, pair) => Report(spc, pair.Left, pair.Right));
        }

        private static ProgramSpec ReadSpec(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var method = (IMethodSymbol)context.TargetSymbol;
            var programLocation = LocationInfo.From(method.Locations.FirstOrDefault());
            try
            {
                var problems = new System.Collections.Generic.List<DiagnosticInfo>();
                var declaration = ProgramDeclarationReader.Read(method, context.Attributes[0], problems, cancellationToken);
                // Usage problems are the analyzer's to report (as you type); a program with one is not generated.
                if (declaration is null) return new ProgramSpec(null, EquatableArray<LocationOrNone>.Empty, programLocation, EquatableArray<DiagnosticInfo>.Empty);

                var interpreter = BodyInterpreter.Run(method, context.SemanticModel.Compilation, cancellationToken);
                var input = new CompileInput(method.Name, TypeChainOf(method), declaration.ModelName, declaration.Options, interpreter.Steps.ToEquatableArray());
                return new ProgramSpec(input, interpreter.Locations.ToEquatableArray(), programLocation, EquatableArray<DiagnosticInfo>.Empty);
            }
            catch (InvalidCodeException)
            {
                return new ProgramSpec(null, EquatableArray<LocationOrNone>.Empty, programLocation, EquatableArray<DiagnosticInfo>.Empty);
            }
            catch (EvaluationError e)
            {
                var location = LocationInfo.From(e.Location) ?? LocationInfo.From(e.Node) ?? programLocation;
                return new ProgramSpec(null, EquatableArray<LocationOrNone>.Empty, programLocation,
                    new[] { DiagnosticInfo.Create(e.Descriptor, location, e.Arguments) }.ToEquatableArray());
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                return new ProgramSpec(null, EquatableArray<LocationOrNone>.Empty, programLocation,
                    new[] { DiagnosticInfo.Create(Descriptors.InternalError, programLocation, method.Name, e.GetType().Name + ": " + e.Message) }.ToEquatableArray());
            }
        }

        private static TypeChain TypeChainOf(IMethodSymbol method)
        {
            var types = new System.Collections.Generic.List<string>();
            for (var t = method.ContainingType; t != null; t = t.ContainingType)
            {
                string kind = t.IsRecord ? (t.TypeKind == TypeKind.Struct ? "record struct" : "record")
                    : t.TypeKind == TypeKind.Struct ? "struct"
                    : t.TypeKind == TypeKind.Interface ? "interface"
                    : "class";
                types.Insert(0, $"partial {kind} {t.Name}");
            }
            var ns = method.ContainingType.ContainingNamespace;
            return new TypeChain(ns is null || ns.IsGlobalNamespace ? null : ns.ToDisplayString(), types.ToEquatableArray());
        }

        private static void Report(SourceProductionContext context, ImmutableArray<CompileResult> results, ImmutableArray<ProgramSpec> specs)
        {
            foreach (var spec in specs)
                foreach (var d in spec.Diagnostics)
                    context.ReportDiagnostic(d.ToDiagnostic());

            // Results line up with the specs that had an input (the pipeline filtered the same way).
            var compiled = specs.Where(s => s.Input != null).ToArray();
            for (int i = 0; i < results.Length && i < compiled.Length; i++)
            {
                var spec = compiled[i];
                foreach (var d in results[i].Diagnostics)
                {
                    var location = d.Step >= 0 && d.Step < spec.StepLocations.Count ? spec.StepLocations[d.Step].Location : null;
                    var info = new DiagnosticInfo(d.Id, location ?? spec.ProgramLocation, d.Arguments);
                    context.ReportDiagnostic(info.ToDiagnostic());
                }
            }
        }
    }
}
