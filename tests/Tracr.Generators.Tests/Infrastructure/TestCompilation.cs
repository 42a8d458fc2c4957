extern alias gen;
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Tracr.Generators.Tests.Infrastructure
{
    /// <summary>
    /// User code as a <see cref="CSharpCompilation"/>, compiled in-process against the runtime the way a project using
    /// the package is, and the analyzers run on it (<see cref="CompilationWithAnalyzers"/>).
    /// </summary>
    internal static class TestCompilation
    {
        /// <summary>
        /// The framework (every trusted platform assembly), <c>Tracr.dll</c> (the attribute, the compiled models) and
        /// <c>Tracr.Compiler.dll</c> (the DSL: under the <c>gen</c> alias <c>gen::Tracr.SOp</c> is the generator's linked
        /// copy, the plain <c>Tracr.SOp</c> is Tracr.Compiler's). Tracr.Generators.dll, which the test host also loads,
        /// is left out: its public copy of the DSL would make every DSL type ambiguous.
        /// </summary>
        public static IReadOnlyList<MetadataReference> References => LazyReferences.Value;

        private static readonly Lazy<IReadOnlyList<MetadataReference>> LazyReferences = new Lazy<IReadOnlyList<MetadataReference>>(() =>
        {
            var tracr = new[] { typeof(Tracr.RaspProgramAttribute).Assembly.Location, typeof(Tracr.SOp).Assembly.Location };
            var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !Path.GetFileName(p).StartsWith("Tracr.", StringComparison.OrdinalIgnoreCase) &&
                            !string.Equals(Path.GetFileName(p), "Tracr.dll", StringComparison.OrdinalIgnoreCase));
            return platform.Concat(tracr)
                .Distinct(StringComparer.Ordinal)
                .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
                .ToArray();
        });

        public static CSharpParseOptions ParseOptions { get; } = new CSharpParseOptions(LanguageVersion.Latest);

        public static CSharpCompilationOptions Options { get; } =
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

        /// <summary>One source file, <c>/src/Program.cs</c>.</summary>
        public static CSharpCompilation Create(string source) => Create(("/src/Program.cs", source));

        /// <summary>Several source files (give each its own path: diagnostics are matched to files by path).</summary>
        public static CSharpCompilation Create(params (string Path, string Source)[] files) =>
            CSharpCompilation.Create("UserProgram",
                files.Select(f => CSharpSyntaxTree.ParseText(f.Source, ParseOptions, f.Path)),
                References,
                Options);

        /// <summary>The C# compiler's errors (not the analyzers' or generators').</summary>
        public static ImmutableArray<Diagnostic> CompilerErrors(Compilation compilation) =>
            compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();

        /// <summary>Runs <paramref name="analyzers"/> on the compilation: their diagnostics, in source order. An analyzer exception fails.</summary>
        public static ImmutableArray<Diagnostic> RunAnalyzers(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
        {
            var failures = new List<string>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (e, analyzer, diagnostic) => { lock (failures) failures.Add($"{analyzer}: {e}"); },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false);
            var withAnalyzers = compilation.WithAnalyzers(analyzers.ToImmutableArray(), options);
            var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            if (failures.Count > 0) throw new InvalidOperationException("An analyzer threw:\n" + string.Join("\n", failures));
            // AD0001 is how Roslyn reports an analyzer exception as a diagnostic.
            var crash = diagnostics.FirstOrDefault(d => d.Id == "AD0001");
            if (crash != null) throw new InvalidOperationException("An analyzer threw: " + crash);
            return Sorted(diagnostics);
        }

        /// <summary>The [RaspProgram] analyzer's diagnostics on the compilation.</summary>
        public static ImmutableArray<Diagnostic> RunRaspProgramAnalyzer(Compilation compilation) =>
            RunAnalyzers(compilation, new gen::Tracr.Generators.Analyzers.RaspProgramAnalyzer());

        /// <summary>Runs source generators on the compilation: the driver (for its run result) and the compilation with their output added.</summary>
        public static GeneratorDriver RunGenerators(Compilation compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics, params IIncrementalGenerator[] generators)
        {
            GeneratorDriver driver = CSharpGeneratorDriver.Create(
                generators.Select(g => g.AsSourceGenerator()),
                parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
            return driver.RunGeneratorsAndUpdateCompilation(compilation, out output, out diagnostics);
        }

        public static ImmutableArray<Diagnostic> Sorted(IEnumerable<Diagnostic> diagnostics) =>
            diagnostics
                .OrderBy(d => d.Location.SourceTree?.FilePath ?? "", StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .ThenBy(d => d.GetMessage(), StringComparer.Ordinal)
                .ToImmutableArray();

        /// <summary>A diagnostic as one line: <c>TRACR001 (3,16)-(3,23): message</c> (1-based line and column).</summary>
        public static string Describe(Diagnostic diagnostic)
        {
            var span = diagnostic.Location.GetLineSpan();
            return $"{diagnostic.Id} ({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}): {diagnostic.GetMessage()}";
        }
    }

    /// <summary>
    /// Test source with the expected diagnostic spans marked in it: <c>{|TRACR001:text|}</c> expects a TRACR001 exactly
    /// on <c>text</c>; <c>[|text|]</c> marks a span without an ID. Markers do not nest.
    /// </summary>
    internal sealed class MarkedSource
    {
        private MarkedSource(string source, IReadOnlyList<(string? Id, TextSpan Span)> spans)
        {
            Source = source;
            Spans = spans;
        }

        /// <summary>The source with the markers removed.</summary>
        public string Source { get; }

        /// <summary>The marked spans in source order, with their expected IDs (null for <c>[|...|]</c>).</summary>
        public IReadOnlyList<(string? Id, TextSpan Span)> Spans { get; }

        public static MarkedSource Parse(string markup)
        {
            var text = new StringBuilder();
            var spans = new List<(string?, TextSpan)>();
            string? id = null;
            int start = -1;
            for (int i = 0; i < markup.Length; i++)
            {
                if (start < 0 && string.CompareOrdinal(markup, i, "{|", 0, 2) == 0)
                {
                    int colon = markup.IndexOf(':', i + 2);
                    if (colon < 0) throw new FormatException("'{|' without 'ID:' at " + i);
                    id = markup.Substring(i + 2, colon - i - 2);
                    start = text.Length;
                    i = colon;
                    continue;
                }
                if (start < 0 && string.CompareOrdinal(markup, i, "[|", 0, 2) == 0)
                {
                    id = null;
                    start = text.Length;
                    i++;
                    continue;
                }
                if (start >= 0 && string.CompareOrdinal(markup, i, id is null ? "|]" : "|}", 0, 2) == 0)
                {
                    spans.Add((id, TextSpan.FromBounds(start, text.Length)));
                    start = -1;
                    i++;
                    continue;
                }
                text.Append(markup[i]);
            }
            if (start >= 0) throw new FormatException("Unclosed marker at " + start);
            return new MarkedSource(text.ToString(), spans);
        }
    }
}
