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

            // The project's MSBuild switch for the size of the forward code (docs/build-time.md).
            var unrollBudget = context.AnalyzerConfigOptionsProvider.Select(static (options, _) => UnrollBudget(options.GlobalOptions));

            var results = specs
                .Where(static s => s.Input != null)
                .Select(static (s, _) => s.Input!)
                .WithTrackingName(TrackingNames.CompileInput)
                .Combine(unrollBudget)
                .Select(static (pair, _) => pair.Left.UnrollBudget == pair.Right ? pair.Left : pair.Left with { UnrollBudget = pair.Right })
                .Select(static (input, ct) => ProgramCompiler.Compile(input, ct))
                .WithTrackingName(TrackingNames.Compile);

            // One output over all programs: hint names must be unique ignoring case (file systems and the
            // compiler compare them so), which only the whole set can tell.
            context.RegisterSourceOutput(results.Collect().Combine(specs.Collect()), static (spc, pair) => Output(spc, pair.Left, pair.Right));
        }

        private static ProgramSpec ReadSpec(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var method = (IMethodSymbol)context.TargetSymbol;
            var programLocation = LocationInfo.From(method.Locations.FirstOrDefault());
            CompileInput? shell = null;
            try
            {
                var problems = new System.Collections.Generic.List<DiagnosticInfo>();
                var declaration = ProgramDeclarationReader.Read(method, context.Attributes[0], problems, cancellationToken);
                // Usage problems are the analyzer's to report (as you type); a program with one is not generated.
                if (declaration is null) return new ProgramSpec(null, EquatableArray<LocationOrNone>.Empty, programLocation, EquatableArray<DiagnosticInfo>.Empty);

                // The input without steps: what a failed program's placeholder member is written from.
                shell = new CompileInput(method.Name, TypeChainOf(method), declaration.ModelName, declaration.Options, EquatableArray<RecipeStep>.Empty)
                {
                    HidesBaseMember = HidesBaseMember(method.ContainingType, declaration.ModelName),
                };
                var interpreter = BodyInterpreter.Run(method, context.SemanticModel.Compilation, cancellationToken);
                var input = shell with { Steps = interpreter.Steps.ToEquatableArray() };
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
                    new[] { DiagnosticInfo.Create(e.Descriptor, location, e.Arguments) }.ToEquatableArray()) { Failed = shell };
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                return new ProgramSpec(null, EquatableArray<LocationOrNone>.Empty, programLocation,
                    new[] { DiagnosticInfo.Create(Descriptors.InternalError, programLocation, method.Name, e.GetType().Name + ": " + e.Message) }.ToEquatableArray()) { Failed = shell };
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

        /// <summary>The MSBuild property name read through <c>CompilerVisibleProperty</c>.</summary>
        public const string UnrollBudgetProperty = "TracrUnrollBudget";

        /// <summary>
        /// <c>TracrUnrollBudget</c>: the non-zero weights a model's forward code may unroll; 0 gives the smallest code
        /// (every block on the run-time kernels). Unset or not a non-negative integer: the default.
        /// </summary>
        private static int UnrollBudget(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions options) =>
            options.TryGetValue("build_property." + UnrollBudgetProperty, out var text)
            && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= 0
                ? value
                : Tracr.Transformer.ForwardCode.DefaultModelBudget;

        /// <summary>True when a base type of <paramref name="type"/> has a member named <paramref name="name"/>: the model must hide it with <c>new</c>.</summary>
        private static bool HidesBaseMember(INamedTypeSymbol type, string name)
        {
            for (var t = type.BaseType; t != null; t = t.BaseType)
                if (!t.GetMembers(name).IsEmpty) return true;
            return false;
        }

        /// <summary>
        /// Adds every program's source and reports every diagnostic. A program that failed still gets its model
        /// member (it throws with the diagnostics' text), so code using it adds no errors of its own. Hint names
        /// that differ only in case get the hash of their exact spelling appended.
        /// </summary>
        private static void Output(SourceProductionContext context, ImmutableArray<CompileResult> results, ImmutableArray<ProgramSpec> specs)
        {
            var sources = new System.Collections.Generic.List<(string HintName, string Source)>();
            foreach (var spec in specs)
            {
                var messages = new System.Collections.Generic.List<string>();
                foreach (var d in spec.Diagnostics)
                {
                    var diagnostic = d.ToDiagnostic();
                    context.ReportDiagnostic(diagnostic);
                    messages.Add($"{diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
                }
                if (spec.Failed != null) sources.Add((ProgramCompiler.HintName(spec.Failed), Emitting.ModelEmitter.EmitFailure(spec.Failed, messages)));
            }

            // Results line up with the specs that had an input (the pipeline filtered the same way).
            var compiled = specs.Where(s => s.Input != null).ToArray();
            for (int i = 0; i < results.Length && i < compiled.Length; i++)
            {
                var spec = compiled[i];
                var messages = new System.Collections.Generic.List<string>();
                foreach (var d in results[i].Diagnostics)
                {
                    var location = d.Step >= 0 && d.Step < spec.StepLocations.Count ? spec.StepLocations[d.Step].Location : null;
                    var diagnostic = new DiagnosticInfo(d.Id, location ?? spec.ProgramLocation, d.Arguments).ToDiagnostic();
                    context.ReportDiagnostic(diagnostic);
                    messages.Add($"{diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
                }
                string source = results[i].Source ?? Emitting.ModelEmitter.EmitFailure(spec.Input!, messages);
                sources.Add((results[i].HintName, source));
            }

            foreach (var (hintName, source) in UniqueHintNames(sources))
                context.AddSource(hintName, source);
        }

        /// <summary>Hint names unique ignoring case: a name shared (ignoring case) with another gets the FNV-1a hash of its exact spelling.</summary>
        internal static System.Collections.Generic.IEnumerable<(string HintName, string Source)> UniqueHintNames(System.Collections.Generic.IReadOnlyList<(string HintName, string Source)> sources)
        {
            var counts = sources.GroupBy(s => s.HintName, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
            foreach (var (hintName, source) in sources)
            {
                if (counts[hintName] == 1)
                {
                    yield return (hintName, source);
                    continue;
                }
                uint hash = 2166136261;
                foreach (char c in hintName) hash = (hash ^ c) * 16777619;
                string stem = hintName.EndsWith(".g.cs", StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - 5) : hintName;
                yield return ($"{stem}.{hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)}.g.cs", source);
            }
        }
    }
}
