using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;

namespace Tracr.Generators.Tests
{
    /// <summary>
    /// Inputs that once broke the build inside generated code (issue 10): the generated files compile with no
    /// CSxxxx diagnostic of their own (errors or warnings) whatever the tokens, labels, names and outputs, and
    /// programs the generator cannot handle are reported by Tracr, not by the C# compiler in generated code.
    /// </summary>
    public class BuildBreakerTests
    {
        /// <summary>Compiler diagnostics (warnings included) located in generated files.</summary>
        private static Diagnostic[] GeneratedFileDiagnostics(GeneratorOutput output) =>
            output.Compilation.GetDiagnostics()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && tree.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
                .ToArray();

        private static void AssertCleanBuild(GeneratorOutput output)
        {
            Assert.Empty(output.Diagnostics);
            Assert.Empty(GeneratedFileDiagnostics(output));
            Assert.Empty(output.CompileErrors);
        }

        private static object Property(Assembly assembly, string type, string property) =>
            assembly.GetType(type)!.GetProperty(property, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

        [Fact]
        public void Line_breaks_quotes_comment_ends_and_markup_in_tokens_bos_and_labels_compile_and_run()
        {
            // Every character that once ended a comment or a literal early: \n, \r, U+2028, U+2029, U+0085, quotes, */, <, &.
            var output = GeneratorHarness.Run("""
                using Tracr;
                using static Tracr.Rasp;

                namespace Odd;

                public static partial class Tokens1
                {
                    [RaspProgram("a\nb", "c\u2028d", "q\"x", "*/", "<&>", "e\r\u2029\u0085", MaxSeqLen = 3, CompilerBos = "bos\n*/<b>&", CompilerPad = "pad\u2028\"")]
                    static SOp Program() => Map(x => x, Tokens).Named("line\nbreak\u2029 */ <see cref=\"x\"/> & \"end");
                }
                """);
            AssertCleanBuild(output);
            Assert.Contains("line\\u000abreak\\u2029 */ &lt;see cref=\"x\"/&gt; &amp; \"end", Assert.Single(output.Sources).Value);
            var model = (ICompiledTransformer)Property(output.Load(), "Odd.Tokens1", "Model");
            var tokens = new[] { "a\nb", "*/", "e\r\u2029\u0085" };
            Assert.Equal(tokens, model.PredictValues(tokens.Select(Value.FromString).ToArray()).Select(v => v.AsString));
        }

        [Fact]
        public void Char_tokens_that_need_escapes_compile()
        {
            var output = GeneratorHarness.Run("""
                using Tracr;
                using static Tracr.Rasp;

                public static partial class Chars
                {
                    [RaspProgram('\n', '\'', '\\', '\u2028', '<', MaxSeqLen = 2)]
                    static SOp Program() => Library.MakeReverse(Tokens);
                }
                """);
            AssertCleanBuild(output);
            // Char tokens are RASP strings: the outputs are strings.
            var model = (CompiledTransformer<char, string?>)Property(output.Load(), "Chars", "Model");
            Assert.Equal(new[] { "\u2028", "\n" }, model.Predict(new[] { '\n', '\u2028' }));
        }

        [Fact]
        public void Programs_whose_names_differ_only_in_case_get_distinct_files()
        {
            var output = GeneratorHarness.Run("""
                using Tracr;
                using static Tracr.Rasp;

                public static partial class Counts
                {
                    [RaspProgram("a", "b", MaxSeqLen = 3)]
                    static SOp Hist() => Library.MakeHist();

                    [RaspProgram("a", "b", MaxSeqLen = 3)]
                    static SOp hist() => Library.MakeHist();
                }

                public static partial class Case
                {
                    [RaspProgram("a", MaxSeqLen = 2)]
                    static SOp Program() => Library.MakeHist();
                }

                public static partial class cASE
                {
                    [RaspProgram("b", MaxSeqLen = 2)]
                    static SOp Program() => Library.MakeHist();
                }
                """);
            AssertCleanBuild(output);
            Assert.Equal(4, output.Sources.Count);
            Assert.Equal(4, output.Sources.Keys.Select(k => k.ToLowerInvariant()).Distinct().Count());
            var assembly = output.Load();
            Assert.NotNull(Property(assembly, "Counts", "HistModel"));
            Assert.NotNull(Property(assembly, "Counts", "histModel"));
            Assert.NotNull(Property(assembly, "Case", "Model"));
            Assert.NotNull(Property(assembly, "cASE", "Model"));
        }

        [Fact]
        public void Categorical_outputs_beyond_int32_are_typed_long()
        {
            var output = GeneratorHarness.Run("""
                using Tracr;
                using static Tracr.Rasp;

                public static partial class Big
                {
                    [RaspProgram(VocabFrom = 1, VocabTo = 3, MaxSeqLen = 2)]
                    static SOp Program() => Map(x => x * 1_000_000_000L, Tokens);
                }
                """);
            AssertCleanBuild(output);
            var model = Assert.IsType<CompiledTransformer<int, long?>>(Property(output.Load(), "Big", "Model"));
            Assert.Equal(new long?[] { 3_000_000_000, 1_000_000_000 }, model.Predict(new[] { 3, 1 }));
        }

        [Fact]
        public void A_model_that_hides_a_base_member_is_declared_new()
        {
            var output = GeneratorHarness.Run("""
                using Tracr;
                using static Tracr.Rasp;

                public class Base
                {
                    public static string Model => "base";
                }

                public partial class Derived : Base
                {
                    [RaspProgram("a", "b", MaxSeqLen = 3)]
                    static SOp Program() => Library.MakeHist();
                }
                """);
            AssertCleanBuild(output);
            Assert.Contains("public static new global::Tracr.CompiledTransformer", Assert.Single(output.Sources).Value);
        }

        [Theory]
        [InlineData("file static partial class Local", "static SOp Program() => Library.MakeHist();", "TRACR012")]
        [InlineData("public static partial class Split", "private static partial SOp Program();\n    private static partial SOp Program() => Library.MakeHist();", "TRACR013")]
        [InlineData("public static partial class Native", "static extern SOp Program();", "TRACR014")]
        public void Declarations_the_generator_cannot_extend_are_reported_by_the_analyzer_and_not_generated(string type, string method, string id)
        {
            string source = $$"""
                using Tracr;
                using static Tracr.Rasp;

                {{type}}
                {
                    [RaspProgram("a", "b", MaxSeqLen = 4)]
                    {{method}}
                }
                """;
            var compilation = GeneratorHarness.Compilation(source);
            var analyzer = TestCompilation.RunRaspProgramAnalyzer(compilation);
            Assert.Contains(analyzer, d => d.Id == id);
            var output = GeneratorHarness.Run(compilation);
            Assert.Empty(output.Sources);
            Assert.Empty(output.Diagnostics);
        }

        [Theory]
        [InlineData("var numeric = Numerical(Map(x => x, Tokens));\n        return Aggregate(Select(numeric, Tokens, Comparison.EQ), Tokens);", "TRACR201")]
        [InlineData("var offsets = new[] { 1, 2 };\n        return Library.ShiftBy(offsets[2], Tokens);", "TRACR105")]
        public void A_program_that_fails_still_gets_a_model_member_that_throws_with_the_diagnostic(string body, string id)
        {
            var output = GeneratorHarness.Run($$"""
                using Tracr;
                using static Tracr.Rasp;

                public static partial class Broken
                {
                    [RaspProgram(1, 2, MaxSeqLen = 4)]
                    static SOp Program()
                    {
                        {{body}}
                    }
                }

                public static class User
                {
                    public static int Width() => Broken.Model.ResidualWidth;
                }
                """);
            Assert.Contains(output.Diagnostics, d => d.Id == id);
            // The use site compiles: the only errors are Tracr's, none from the C# compiler (no CS0117).
            Assert.Empty(output.CompileErrors);
            Assert.Empty(GeneratedFileDiagnostics(output));
            var user = output.Load().GetType("User")!.GetMethod("Width")!;
            var e = Assert.Throws<TargetInvocationException>(() => user.Invoke(null, null));
            var inner = Assert.IsType<InvalidOperationException>(e.InnerException);
            Assert.Contains(id + ":", inner.Message);
        }
    }
}
