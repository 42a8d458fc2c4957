extern alias gen;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;

namespace Tracr.Generators.Tests
{
    /// <summary>The project switch <c>TracrUnrollBudget</c> (an MSBuild property the generator sees through CompilerVisibleProperty).</summary>
    public class UnrollBudgetTests
    {
        private const string Source = """
            using Tracr;
            using static Tracr.Rasp;

            public static partial class Rev
            {
                [RaspProgram("a", "b", "c", MaxSeqLen = 5)]
                static SOp Program() => Library.MakeReverse(Tokens);
            }
            """;

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly Dictionary<string, string> _values;
            public Options(Dictionary<string, string> values) { _values = values; }
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
        }

        private sealed class Provider : AnalyzerConfigOptionsProvider
        {
            private static readonly Options Empty = new Options(new Dictionary<string, string>());
            public Provider(Dictionary<string, string> global) { GlobalOptions = new Options(global); }
            public override AnalyzerConfigOptions GlobalOptions { get; }
            public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;
            public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
        }

        private static (string Source, Compilation Output) Generate(string? budget)
        {
            var global = new Dictionary<string, string>();
            if (budget != null) global["build_property.TracrUnrollBudget"] = budget;
            var driver = CSharpGeneratorDriver.Create(new[] { new gen::Tracr.Generators.RaspProgramGenerator().AsSourceGenerator() },
                parseOptions: GeneratorHarness.ParseOptions, optionsProvider: new Provider(global));
            driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(Source), out var output, out var diagnostics);
            Assert.Empty(diagnostics);
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            return (output.SyntaxTrees.Last().ToString(), output);
        }

        [Fact]
        public void Zero_gives_the_smallest_code_and_the_same_model()
        {
            var (full, fullBuild) = Generate(null);
            var (smallest, smallestBuild) = Generate("0");
            Assert.Contains("private static void Mlp", full);
            Assert.DoesNotContain("private static void Mlp", smallest);
            Assert.DoesNotContain("private static void Head", smallest);
            Assert.True(smallest.Length * 2 < full.Length, $"{smallest.Length} vs {full.Length} chars");

            // Same outputs either way: only where the blocks run differs.
            var tokens = new[] { "a", "b", "c", "c" };
            Assert.Equal(Run(fullBuild, tokens), Run(smallestBuild, tokens));
            Assert.Equal(new[] { "c", "c", "b", "a" }, Run(smallestBuild, tokens));
        }

        [Theory]
        [InlineData("not a number")]
        [InlineData("-1")]
        public void An_invalid_value_keeps_the_default(string value)
        {
            Assert.Equal(Generate(null).Source, Generate(value).Source);
        }

        private static string?[] Run(Compilation compilation, string[] tokens)
        {
            using var stream = new MemoryStream();
            Assert.True(compilation.Emit(stream).Success);
            var model = (CompiledTransformer<string, string?>)System.Reflection.Assembly.Load(stream.ToArray()).GetType("Rev")!
                .GetProperty("Model")!.GetValue(null)!;
            return model.Predict(tokens);
        }
    }
}
