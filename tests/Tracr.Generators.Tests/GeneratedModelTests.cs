using System;
using System.Linq;
using System.Reflection;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;

namespace Tracr.Generators.Tests
{
    /// <summary>Generated models compiled, loaded and run: typed API, errors, and agreement with the runtime compiler.</summary>
    public class GeneratedModelTests
    {
        private const string Source = """
            using System;
            using Tracr;
            using static Tracr.Rasp;

            namespace Demo;

            public static partial class Reverse
            {
                [RaspProgram("a", "b", "c", MaxSeqLen = 5)]
                public static SOp Program() => Library.MakeReverse(Tokens);
            }

            public static partial class Numbers
            {
                static SOp Shift(int k, SOp s) => Aggregate(Select(Indices, Indices, (key, q) => key == q - k), s);

                [RaspProgram(VocabFrom = 1, VocabTo = 4, MaxSeqLen = 5)]
                public static SOp Shifted()
                {
                    var x = Map(v => v * 2 + 1, Tokens);
                    for (int i = 1; i <= 2; i++) x = Shift(1, x);
                    return x;
                }

                [RaspProgram('x', 'y', MaxSeqLen = 6, ModelName = "Fraction")]
                public static SOp Frac() => Library.MakeFracPrevs(Tokens == "x");
            }
            """;

        private static readonly Lazy<Assembly> Built = new Lazy<Assembly>(() =>
        {
            var output = GeneratorHarness.Run(Source);
            Assert.Empty(output.Diagnostics);
            return output.Load();
        });

        private static object Model(string type, string property) =>
            Built.Value.GetType("Demo." + type)!.GetProperty(property, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

        private static SOp ProgramOf(string type, string method) =>
            (SOp)Built.Value.GetType("Demo." + type)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;

        [Fact]
        public void Reverse_model_is_typed_and_reverses()
        {
            var model = Assert.IsType<CompiledTransformer<string, string?>>(Model("Reverse", "Model"));
            Assert.Equal(new[] { "c", "b", "a" }, model.Predict(new[] { "a", "b", "c" }));
            var run = model.Apply("b", "a");
            Assert.Equal(new[] { "a", "b" }, run.Outputs);
            Assert.Equal(run.LayerNames.Count + 1, run.Residuals.Count);
            Assert.Equal(model.ResidualWidth, run.Residuals[0].GetLength(1));
            Assert.Equal(model.HeadCount, run.Attention.Count);
        }

        [Fact]
        public void Integer_and_char_vocabularies_get_typed_tokens_and_outputs()
        {
            var shifted = Assert.IsType<CompiledTransformer<int, int?>>(Model("Numbers", "ShiftedModel"));
            // Shifted twice by one: the first two positions select nothing (None -> null).
            Assert.Equal(new int?[] { null, null, 3, 5 }, shifted.Predict(new[] { 1, 2, 3, 4 }));

            var frac = Assert.IsType<CompiledTransformer<char, double>>(Model("Numbers", "Fraction"));
            var outputs = frac.Predict("xyxx".ToCharArray());
            Assert.Equal(new[] { 1.0, 0.5, 2.0 / 3, 0.75 }, outputs.Select(o => Math.Round(o, 6)).ToArray(), new ToleranceComparer(1e-6));
        }

        [Fact]
        public void Bad_inputs_name_the_token_and_its_position()
        {
            var model = (CompiledTransformer<string, string?>)Model("Reverse", "Model");
            var unknown = Assert.Throws<ArgumentException>(() => model.Predict(new[] { "a", "z" }));
            Assert.Contains("\"z\" at position 1", unknown.Message);
            var tooLong = Assert.Throws<ArgumentException>(() => model.Predict(new[] { "a", "a", "a", "a", "a", "a" }));
            Assert.Contains("at most 5", tooLong.Message);
        }

        [Fact]
        public void Generated_models_equal_runtime_compiled_models_and_the_evaluator_on_every_input()
        {
            Check<string, string?>("Reverse", "Program", "Model", new[] { "a", "b", "c" }, 5, v => Value.FromString(v));
            Check<int, int?>("Numbers", "Shifted", "ShiftedModel", new[] { 1, 2, 3, 4 }, 5, v => Value.FromInt(v));
        }

        [Theory]
        [InlineData("Reverse", "Program", "Model")]
        [InlineData("Numbers", "Shifted", "ShiftedModel")]
        [InlineData("Numbers", "Frac", "Fraction")]
        public void Summary_is_the_same_text_on_the_generated_and_the_run_time_path(string type, string method, string property)
        {
            var generated = (ICompiledTransformer)Model(type, property);
            var packed = generated.Packed;
            var compiled = RaspCompiler.Compile(ProgramOf(type, method), packed.Tokens.Take(packed.Tokens.Length - 2), packed.MaxSeqLen);

            Assert.Matches(@"^\d+ layers?, \d+ heads?, residual width \d+, \d+ MLP neurons?$", generated.Summary);
            Assert.Equal(generated.Summary, CompiledTransformer.From(compiled).Summary);
            Assert.Equal(generated.Summary, compiled.Summary);
            Assert.Equal(generated.Summary, compiled.ToString());
        }

        [Fact]
        public void A_generated_model_and_a_run_time_model_return_runs_of_one_shape()
        {
            var generated = (CompiledTransformer<string, string?>)Model("Reverse", "Model");
            var compiled = RaspCompiler.Compile(ProgramOf("Reverse", "Program"), new Value[] { "a", "b", "c" }, 5);

            ModelRun<string?> typed = generated.Apply("b", "c", "a");
            ModelRun<Value> reference = compiled.Apply(new Value[] { "b", "c", "a" });

            Assert.Equal(new[] { "a", "c", "b" }, typed.Outputs);
            Assert.Equal(new Value[] { "a", "c", "b" }, reference.Outputs);
            Assert.Equal(reference.ResidualLabels, typed.ResidualLabels);
            Assert.Equal(reference.LayerNames, typed.LayerNames);
            Assert.Equal(reference.Residuals.Count, typed.Residuals.Count);
            Assert.Equal(reference.LayerOutputs.Count, typed.LayerOutputs.Count);
            Assert.Equal(reference.Attention.Select(a => (a.Layer, a.Head, a.Node)), typed.Attention.Select(a => (a.Layer, a.Head, a.Node)));
            Assert.Equal(reference.Residuals[^1].GetLength(1), typed.ResidualLabels.Count);
        }

        private static void Check<TToken, TOutput>(string type, string method, string property, TToken[] vocab, int maxLen, Func<TToken, Value> toValue)
            where TToken : notnull
        {
            var generated = (CompiledTransformer<TToken, TOutput>)Model(type, property);
            var program = ProgramOf(type, method);
            var runtime = CompiledTransformer.From(RaspCompiler.Compile(program, vocab.Select(toValue), maxLen));
            Assert.Equal(runtime.Packed.ResidualLabels, generated.Packed.ResidualLabels);

            int checkedInputs = 0;
            foreach (var input in AllInputs(vocab, maxLen))
            {
                var values = input.Select(toValue).ToArray();
                var expected = Rasp.Evaluate(program, values);
                var fromGenerated = generated.PredictValues(values);
                Assert.Equal(runtime.PredictValues(values), fromGenerated);
                Assert.Equal(expected, fromGenerated);
                checkedInputs++;
            }
            Assert.True(checkedInputs > 100);
        }

        private static System.Collections.Generic.IEnumerable<T[]> AllInputs<T>(T[] vocab, int maxLen)
        {
            for (int n = 1; n <= maxLen; n++)
            {
                var index = new int[n];
                while (true)
                {
                    yield return index.Select(i => vocab[i]).ToArray();
                    int p = n - 1;
                    while (p >= 0 && ++index[p] == vocab.Length) index[p--] = 0;
                    if (p < 0) break;
                }
            }
        }

        private sealed class ToleranceComparer : System.Collections.Generic.IEqualityComparer<double>
        {
            private readonly double _tolerance;
            public ToleranceComparer(double tolerance) { _tolerance = tolerance; }
            public bool Equals(double x, double y) => Math.Abs(x - y) <= _tolerance;
            public int GetHashCode(double obj) => 0;
        }
    }
}
