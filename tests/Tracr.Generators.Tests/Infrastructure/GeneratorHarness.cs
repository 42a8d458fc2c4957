extern alias gen;
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RaspProgramGenerator = gen::Tracr.Generators.RaspProgramGenerator;

namespace Tracr.Generators.Tests.Infrastructure
{
    /// <summary>Runs the [RaspProgram] generator in-process on source text (compilations from <see cref="TestCompilation"/>), the way the compiler does in a build.</summary>
    internal static class GeneratorHarness
    {
        public static CSharpParseOptions ParseOptions => TestCompilation.ParseOptions;

        public static CSharpCompilation Compilation(params (string Path, string Source)[] files) => TestCompilation.Create(files);

        public static CSharpCompilation Compilation(string source) => Compilation(("Program.cs", source));

        public static GeneratorDriver Driver(bool trackSteps = true) =>
            CSharpGeneratorDriver.Create(
                new[] { new RaspProgramGenerator().AsSourceGenerator() },
                parseOptions: ParseOptions,
                driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

        /// <summary>Runs the generator once: the generated sources, the generator's diagnostics, and the compiler's errors on the result.</summary>
        public static GeneratorOutput Run(CSharpCompilation compilation)
        {
            var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            var result = driver.GetRunResult();
            var exception = result.Results.Select(r => r.Exception).FirstOrDefault(e => e != null);
            if (exception != null) throw new InvalidOperationException("The generator threw: " + exception, exception);
            return new GeneratorOutput(
                result.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString()),
                generatorDiagnostics,
                output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray(),
                output);
        }

        public static GeneratorOutput Run(string source) => Run(Compilation(source));
    }

    internal sealed class GeneratorOutput
    {
        public GeneratorOutput(IReadOnlyDictionary<string, string> sources, ImmutableArray<Diagnostic> diagnostics, ImmutableArray<Diagnostic> compileErrors, Compilation compilation)
        {
            Sources = sources;
            Diagnostics = diagnostics;
            CompileErrors = compileErrors;
            Compilation = compilation;
        }

        /// <summary>Generated file name → text.</summary>
        public IReadOnlyDictionary<string, string> Sources { get; }

        /// <summary>Diagnostics the generator reported.</summary>
        public ImmutableArray<Diagnostic> Diagnostics { get; }

        /// <summary>Errors of the user compilation with the generated code added.</summary>
        public ImmutableArray<Diagnostic> CompileErrors { get; }

        public Compilation Compilation { get; }

        /// <summary>Emits the compilation and loads it, so generated models can be run.</summary>
        public System.Reflection.Assembly Load()
        {
            using var stream = new MemoryStream();
            var emit = Compilation.Emit(stream);
            if (!emit.Success)
                throw new InvalidOperationException("The generated code does not compile:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            return System.Reflection.Assembly.Load(stream.ToArray());
        }
    }
}
