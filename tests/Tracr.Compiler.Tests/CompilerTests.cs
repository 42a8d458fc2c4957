using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>The compiler API, its errors, and the places where we deliberately do better than Tracr.</summary>
    public class CompilerTests
    {
        private static SOp MakeLength() => SelectorWidth(Select(Tokens, Tokens, Comparison.TRUE).Named("all_true_selector")).Named("length");

        private static SOp MakeReverse(SOp sop)
        {
            var oppIdx = (MakeLength() - Indices).Named("opp_idx");
            oppIdx = (oppIdx - 1).Named("opp_idx-1");
            var reverseSelector = Select(Indices, oppIdx, Comparison.EQ).Named("reverse_selector");
            return Aggregate(reverseSelector, sop).Named("reverse");
        }

        private static SOp MakeFracPrevs(SOp bools) =>
            Numerical(Aggregate(Select(Indices, Indices, Comparison.LEQ), Numerical(bools), 0)).Named("frac_prevs");

        private static Value[] Ints(params int[] xs) => xs.Select(x => (Value)x).ToArray();

        private static void AssertSameOutputs(IReadOnlyList<Value> expected, IReadOnlyList<Value> actual, double tolerance = 1e-6)
        {
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                if (expected[i].IsNumeric && actual[i].IsNumeric)
                    Assert.True(Math.Abs(expected[i].AsDouble - actual[i].AsDouble) <= tolerance, $"position {i}: expected {expected[i].Repr()}, got {actual[i].Repr()}");
                else
                    Assert.True(expected[i].Equals(actual[i]), $"position {i}: expected {expected[i].Repr()}, got {actual[i].Repr()}");
            }
        }

        [Fact]
        public void Readme_reverse_compiles_and_runs()
        {
            var model = RaspCompiler.Compile(MakeReverse(Tokens), Ints(1, 2, 3), 5, new CompilerOptions { CompilerBos = "BOS" });
            Assert.Equal(Ints(3, 2, 1), model.Apply(Ints(1, 2, 3)).Outputs);
            Assert.Equal(4, model.Assembled.Layers.Count);
            Assert.Contains("tokens:BOS", model.ResidualLabels);
        }

        // Tracr decodes SelectorWidth with a fixed slope, so length 10 comes out as 9 from max_seq_len 7 up.
        [Theory]
        [InlineData(10)]
        [InlineData(16)]
        [InlineData(32)]
        [InlineData(64)]
        public void SelectorWidth_is_exact_at_every_length(int maxSeqLen)
        {
            var categorical = RaspCompiler.Compile(MakeLength(), Ints(1, 2, 3), maxSeqLen);
            var numerical = RaspCompiler.Compile(Numerical(MakeLength()), Ints(1, 2, 3), maxSeqLen);
            var rng = new Random(maxSeqLen);
            for (int n = 1; n <= maxSeqLen; n++)
            {
                var input = Enumerable.Range(0, n).Select(_ => (Value)rng.Next(1, 4)).ToArray();
                Assert.All(categorical.Apply(input).Outputs, v => Assert.Equal((Value)n, v));
                Assert.All(numerical.Apply(input).Outputs, v => Assert.Equal(n, v.AsDouble, 6));
            }
        }

        [Fact]
        public void SelectorWidth_histogram_is_exact_at_length_32()
        {
            var hist = SelectorWidth(Select(Tokens, Tokens, Comparison.EQ)).Named("hist");
            var model = RaspCompiler.Compile(hist, Ints(0, 1), 32);
            var rng = new Random(7);
            for (int trial = 0; trial < 20; trial++)
            {
                var input = Enumerable.Range(0, rng.Next(1, 33)).Select(_ => (Value)rng.Next(0, 2)).ToArray();
                AssertSameOutputs(Rasp.Evaluate(hist, input), model.Apply(input).Outputs);
            }
        }

        // Tracr's value set for a mean is {v/n}: it misses 2/3, so a Map on it is wrong there.
        [Fact]
        public void Numerical_mean_value_set_has_every_reachable_fraction()
        {
            var frac = MakeFracPrevs(Tokens == "a");
            var twicePlusOne = Numerical(Map(x => 2 * x + 1, frac)).Named("twice_plus_one");
            var model = RaspCompiler.Compile(twicePlusOne, new Value[] { "a", "b" }, 5);
            var fracNode = model.Graph.Nodes.Single(n => n.Expr.Name == "frac_prevs");
            Assert.Contains((Value)(2.0 / 3), fracNode.ValueSet!);
            Assert.Contains((Value)0.75, fracNode.ValueSet!);
            Assert.Equal(new[] { 0, 1.0 / 5, 1.0 / 4, 1.0 / 3, 2.0 / 5, 1.0 / 2, 3.0 / 5, 2.0 / 3, 3.0 / 4, 4.0 / 5, 1 }, fracNode.ValueSet!.Select(v => v.AsDouble));

            // Every input of length <= 5: exhaustive.
            foreach (var input in AllInputs(new Value[] { "a", "b" }, 5))
                AssertSameOutputs(Rasp.Evaluate(twicePlusOne, input), model.Apply(input).Outputs, 1e-6);
        }

        [Fact]
        public void Categorical_to_numerical_map_keeps_negative_values()
        {
            var program = Numerical(Map(x => x - 2, Tokens));
            var model = RaspCompiler.Compile(program, Ints(1, 2, 3), 4);
            AssertSameOutputs(new Value[] { -1, 0, 1, -1 }, model.Apply(Ints(1, 2, 3, 1)).Outputs);
        }

        // Tracr's discretising MLPs write f(0) at BOS (their bias comes from `one`, which is 1 there);
        // a later head then sees BOS as a match, or reads a value there instead of the default.
        [Fact]
        public void Numerical_input_maps_write_nothing_at_bos()
        {
            var a = Numerical(Map(x => x + 1, Indices));
            var b = Map(x => x, a);
            var c2 = Numerical(Map(x => x > 0 ? 1 : 0, a));
            var programs = new[]
            {
                SelectorWidth(Select(b, b, Comparison.LT)),
                Numerical(Aggregate(Select(Indices, Indices, Comparison.LT), c2, 0)),
                Aggregate(Select(Indices, Indices, (k, q) => k == q - 1), b),
            };
            foreach (var program in programs)
            {
                var model = RaspCompiler.Compile(program, Ints(0, 1), 3);
                foreach (var input in AllInputs(Ints(0, 1), 3))
                    AssertSameOutputs(Rasp.Evaluate(program, input), model.Apply(input).Outputs);
                var bosRow = model.Apply(Ints(0, 1, 0)).Residuals.Last();
                for (int d = 0; d < model.Assembled.Width; d++)
                {
                    string label = model.ResidualLabels[d];
                    if (label == "one" || label.StartsWith("tokens:")) continue;
                    Assert.True(Math.Abs(bosRow[0, d]) < 1e-9, $"{label} is {bosRow[0, d]} at BOS");
                }
            }
        }

        [Fact]
        public void The_one_direction_exists_only_when_a_block_reads_it()
        {
            Assert.DoesNotContain("one", RaspCompiler.Compile(Categorical(Map(x => x + 1, Tokens)), Ints(0, 1), 3).ResidualLabels);
            Assert.Contains("one", RaspCompiler.Compile(Library.MakeHist(), Ints(0, 1), 3).ResidualLabels);
        }

        [Fact]
        public void Length_primitive_and_Full_compile()
        {
            var oppIndex = (Length - Indices - 1).Named("opp_index");
            var model = RaspCompiler.Compile(oppIndex, Ints(1, 2, 3), 6);
            foreach (var input in AllInputs(Ints(1, 2), 6))
                AssertSameOutputs(Rasp.Evaluate(oppIndex, input), model.Apply(input).Outputs);

            var full = Numerical(Full(2.5));
            AssertSameOutputs(new Value[] { 2.5, 2.5 }, RaspCompiler.Compile(full, Ints(1, 2), 3).Apply(Ints(2, 1)).Outputs);

            var plusFull = SequenceMap((x, y) => x + y, Tokens, Full(10));
            AssertSameOutputs(Ints(11, 12), RaspCompiler.Compile(plusFull, Ints(1, 2), 3).Apply(Ints(1, 2)).Outputs);
        }

        [Fact]
        public void ConstantSOp_compiles_as_a_lookup_on_indices()
        {
            var program = SequenceMap((x, y) => x * y, Tokens, ConstantSOp(Ints(1, 10, 100), checkLength: false));
            var model = RaspCompiler.Compile(program, Ints(1, 2), 3);
            AssertSameOutputs(Ints(2, 10, 200), model.Apply(Ints(2, 1, 2)).Outputs);
        }

        [Fact]
        public void Selects_over_the_same_keys_and_queries_fuse_and_compile()
        {
            var sel = Select(Indices, Indices, Comparison.LEQ) & Select(Indices, Indices, Comparison.GEQ);
            Assert.IsType<Select>(sel);
            var program = Aggregate(sel, Tokens);
            var model = RaspCompiler.Compile(program, new Value[] { "x", "y" }, 4);
            AssertSameOutputs(new Value[] { "x", "y", "y" }, model.Apply(new Value[] { "x", "y", "y" }).Outputs);
        }

        [Fact]
        public void Composite_selectors_over_different_sops_compile()
        {
            // Tracr crashes on this; here the head sums the two parts' scores (CompositeSelectorTests covers it exhaustively).
            var sel = (Select(Indices, Indices, Comparison.LEQ) & Select(Tokens, Tokens, Comparison.EQ)).Named("mixed");
            var program = SelectorWidth(sel).Named("width");
            var model = RaspCompiler.Compile(program, new Value[] { "x", "y" }, 4);
            var input = new Value[] { "x", "y", "x", "x" };
            AssertSameOutputs(Rasp.Evaluate(program, input).ToArray(), model.Apply(input).Outputs);
            Assert.Equal(Ints(1, 1, 2, 3), model.Apply(input).Outputs);
        }

        [Fact]
        public void Validation_reports_every_unsupported_node()
        {
            var numericalKeys = Numerical(Map(x => x + 1, Indices)).Named("shifted");
            var program = Aggregate(Select(numericalKeys, Indices, Comparison.EQ).Named("sel"), Tokens, "default").Named("agg");
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(program, Ints(1), 3));
            Assert.Equal(2, e.Unsupported.Count);
            Assert.Contains(e.Unsupported, u => u.NodeName == "agg" && u.Reason.Contains("None as default"));
            Assert.Contains(e.Unsupported, u => u.NodeName == "sel" && u.Reason.Contains("keys must be categorical"));
        }

        [Fact]
        public void Numerical_mean_of_any_numbers_compiles_to_the_means_of_selectable_multisets()
        {
            // Tracr refuses this (it averages only 0/1); the attention head averages any values exactly.
            var program = Numerical(Aggregate(Select(Indices, Indices, Comparison.LEQ), Numerical(Tokens + 0).Named("vals"), 0)).Named("mean");
            var model = RaspCompiler.Compile(program, Ints(1, 2, 3), 3);
            var values = model.Graph.Nodes.Single(n => n.Expr.Name == "mean").ValueSet!;
            // Means of 1..3 values from {1, 2, 3}: sums 1..9 over n = 1..3, plus the default 0.
            var expected = new HashSet<double> { 0 };
            for (int n = 1; n <= 3; n++)
                for (int sum = n; sum <= 3 * n; sum++) expected.Add(Math.Round((double)sum / n, 9));
            Assert.Equal(expected.OrderBy(x => x), values.Select(v => Math.Round(v.AsDouble, 9)).OrderBy(x => x));
            var run = model.Apply(Ints(3, 1, 3)).Outputs;
            var want = new[] { 3.0, 2.0, 7.0 / 3 };
            for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], run[i].AsDouble, 6);
        }

        [Fact]
        public void A_mean_whose_value_set_exceeds_the_limit_is_refused_with_the_node_named()
        {
            var program = Numerical(Aggregate(Select(Indices, Indices, Comparison.LEQ), Numerical(Map(x => Math.Sqrt(x.AsDouble), Tokens)).Named("roots"), 0)).Named("mean");
            var options = new CompilerOptions { MaxNumericalValueSetSize = 50 };
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(program, Ints(1, 2, 3, 5, 7), 8, options));
            Assert.Equal("basis_inference", e.Stage);
            Assert.Equal(UnsupportedKind.ValueSetTooLarge, Assert.Single(e.Unsupported).Kind);
            Assert.Contains("mean", e.Message);
            Assert.Contains("MaxNumericalValueSetSize", e.Message);
        }

        [Fact]
        public void Failing_lambdas_are_reported_with_the_node_and_input()
        {
            var program = Map(x => x.AsString + "!", Tokens).Named("shout");
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(program, Ints(1, 2), 3));
            Assert.Contains("shout", e.Message);
            Assert.Contains("input 1", e.Message);
        }

        [Fact]
        public void Validate_reports_static_and_input_dependent_problems()
        {
            // Selecting every earlier position and "averaging" tokens: fine while the values agree.
            var program = Aggregate(Select(Indices, Indices, Comparison.LEQ), Tokens).Named("smear");
            Assert.Empty(RaspCompiler.Validate(program));
            Assert.Empty(RaspCompiler.Validate(program, Ints(3, 3)));
            var problem = Assert.Single(RaspCompiler.Validate(program, Ints(1, 2)));
            Assert.Equal("smear", problem.NodeName);
            Assert.Contains("width > 1", problem.Reason);
            // Several strings cannot even be evaluated (Tracr's _mean refuses them).
            Assert.Contains("evaluator fails", Assert.Single(RaspCompiler.Validate(program, new Value[] { "a", "b" })).Reason);

            // A numerical mean of any numbers is what the model computes too.
            var mean = Numerical(Aggregate(Select(Indices, Indices, Comparison.LEQ), Numerical(Map(x => x, Tokens)), 0)).Named("mean");
            Assert.Empty(RaspCompiler.Validate(mean, Ints(0, 1, 1)));
            Assert.Empty(RaspCompiler.Validate(mean, Ints(0, 2)));

            var numericalTokens = Assert.Single(RaspCompiler.Validate(Numerical(Tokens)));
            Assert.Contains("categorical", numericalTokens.Reason);
        }

        [Fact]
        public void Bad_arguments_are_argument_exceptions()
        {
            Assert.Throws<ArgumentException>(() => RaspCompiler.Compile(Tokens + 0, Array.Empty<Value>(), 3));
            Assert.Throws<ArgumentOutOfRangeException>(() => RaspCompiler.Compile(Tokens + 0, Ints(1), 0));
            var bos = Assert.Throws<ArgumentException>(() => RaspCompiler.Compile(Tokens + 0, new Value[] { "compiler_bos", "a" }, 3));
            Assert.Contains("BOS", bos.Message);
            var pad = Assert.Throws<ArgumentException>(() => RaspCompiler.Compile(Tokens + 0, new Value[] { "x" }, 3, new CompilerOptions { CompilerPad = "x" }));
            Assert.Contains("PAD", pad.Message);
        }

        [Fact]
        public void Apply_names_the_bad_token_and_position()
        {
            var model = RaspCompiler.Compile(Tokens + 1, Ints(1, 2), 3);
            var oov = Assert.Throws<ArgumentException>(() => model.Apply(Ints(1, 7)));
            Assert.Contains("7", oov.Message);
            Assert.Contains("position 1", oov.Message);
            var tooLong = Assert.Throws<ArgumentException>(() => model.Apply(Ints(1, 1, 1, 1)));
            Assert.Contains("4 tokens", tooLong.Message);
            Assert.Empty(model.Apply(Array.Empty<Value>()).Outputs);
        }

        [Fact]
        public void Causal_models_match_the_causal_evaluator()
        {
            var frac = MakeFracPrevs(Tokens == "a");
            var model = RaspCompiler.Compile(frac, new Value[] { "a", "b" }, 5, new CompilerOptions { Causal = true });
            Assert.All(model.Craft.Layers.OfType<Craft.AttentionLayer>().SelectMany(l => l.Heads), h => Assert.True(h.Causal));
            foreach (var input in AllInputs(new Value[] { "a", "b" }, 5))
                AssertSameOutputs(Rasp.Evaluate(frac, input, causal: true), model.Apply(input).Outputs);
        }

        [Fact]
        public void Residuals_layer_outputs_and_attention_are_consistent()
        {
            var model = RaspCompiler.Compile(MakeReverse(Tokens), new Value[] { "a", "b" }, 4);
            var run = model.Apply(new Value[] { "a", "b", "b" });
            Assert.Equal(run.LayerOutputs.Count + 1, run.Residuals.Count);
            Assert.Equal(model.Craft.Layers.Count, run.LayerOutputs.Count);
            for (int b = 0; b < run.LayerOutputs.Count; b++)
                for (int p = 0; p < 4; p++)
                    for (int d = 0; d < model.Assembled.Width; d++)
                        Assert.Equal(run.Residuals[b][p, d] + run.LayerOutputs[b][p, d], run.Residuals[b + 1][p, d], 12);
            Assert.Equal(model.Assembled.HeadCount, run.Attention.Count);
            Assert.All(run.Attention, a => Assert.Equal(4, a.Weights.GetLength(0)));
        }

        // Tracr labels nodes with a process-wide counter; ours count per compilation, so the same
        // program gives the same layout every time. The fingerprint below was produced in another
        // process: it pins labels and weights across processes and machines.
        [Fact]
        public void Layouts_and_weights_are_deterministic_across_compilations_and_processes()
        {
            SOp Program() => MakeReverse(Tokens);
            var a = RaspCompiler.Compile(Program(), new Value[] { "a", "b", "c" }, 5);
            var unrelated = RaspCompiler.Compile(MakeFracPrevs(Tokens == "x"), new Value[] { "x" }, 3); // shifts no counter
            var b = RaspCompiler.Compile(Program(), new Value[] { "c", "b", "a" }, 5);
            Assert.Equal(a.ResidualLabels, b.ResidualLabels);
            Assert.Equal(Fingerprint(a), Fingerprint(b));
            Assert.True(ExpectedReverseFingerprint == Fingerprint(a), "fingerprint " + Fingerprint(a));
            Assert.NotNull(unrelated);
        }

        internal const string ExpectedReverseFingerprint = "737A40559646E686DD6CA1E21B8EC640C6BD202FC66ED4E42FBA43D9F8C3B64C";

        internal static string Fingerprint(CompiledModel model)
        {
            var sb = new StringBuilder();
            void Matrix(double[,] m)
            {
                sb.Append(m.GetLength(0)).Append('x').Append(m.GetLength(1)).Append(':');
                foreach (var v in m) sb.Append(v.ToString("R", CultureInfo.InvariantCulture)).Append(',');
                sb.Append('\n');
            }
            sb.AppendLine(string.Join("|", model.ResidualLabels));
            Matrix(model.Assembled.TokenEmbedding);
            Matrix(model.Assembled.PositionEmbedding);
            foreach (var layer in model.Assembled.Layers)
            {
                foreach (var h in layer.Heads)
                {
                    sb.AppendLine(h.Node + string.Join(",", h.QueryIndices) + ";" + string.Join(",", h.KeyIndices) + ";" + string.Join(",", h.ValueIndices) + ";" + string.Join(",", h.OutputIndices));
                    Matrix(h.WQK);
                    Matrix(h.WOV);
                }
                if (layer.Mlp != null)
                {
                    sb.AppendLine(string.Join(",", layer.Mlp.InputIndices) + ";" + string.Join(",", layer.Mlp.OutputIndices) + ";" + string.Join(",", layer.Mlp.HiddenLabels));
                    Matrix(layer.Mlp.W1);
                    Matrix(layer.Mlp.W2);
                }
            }
            using var sha = SHA256.Create();
            return Convert.ToHexString(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(sb.ToString())));
        }

        internal static IEnumerable<Value[]> AllInputs(Value[] vocab, int maxLen)
        {
            for (int n = 1; n <= maxLen; n++)
            {
                var idx = new int[n];
                while (true)
                {
                    yield return idx.Select(i => vocab[i]).ToArray();
                    int k = n - 1;
                    while (k >= 0 && ++idx[k] == vocab.Length) idx[k--] = 0;
                    if (k < 0) break;
                }
            }
        }
    }
}
