using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Compiler;
using Tracr.Craft;
using Tracr.Tests.Golden;
using Xunit;
using Xunit.Abstractions;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>
    /// The size estimate (pass 3b) against what the compiler then allocates, and the budget it enforces
    /// (docs/diagnostics/TRACR302.md, TRACR303.md).
    /// </summary>
    public class SizeEstimationTests
    {
        private readonly ITestOutputHelper _output;

        public SizeEstimationTests(ITestOutputHelper output) { _output = output; }

        public static IEnumerable<object[]> GoldenCases => GoldenData.CaseNames.Where(n => GoldenPrograms.Known.Contains(n)).Select(n => new object[] { n });

        /// <summary>Matrix entries the compiled model actually holds, counted from its craft blocks, layers and embeddings.</summary>
        private static (long Blocks, long Layers, long Embeddings) Allocated(CompiledModel model)
        {
            long blocks = 0;
            var blockMlps = new HashSet<Mlp>();
            foreach (var node in model.Graph.Nodes)
            {
                switch (node.Block)
                {
                    case AttentionHead h: blocks += Entries(h); break;
                    case Mlp m: blocks += Entries(m); blockMlps.Add(m); break;
                    case AttentionThenMlp p: blocks += Entries(p.Attention) + Entries(p.Mlp); blockMlps.Add(p.Mlp); break;
                }
            }
            // A layer holding one block's MLP itself allocated nothing of its own.
            long layers = model.Craft.Layers.OfType<MlpLayer>().Where(l => !blockMlps.Contains(l.Mlp)).Sum(l => Entries(l.Mlp));
            long embeddings = model.Assembled.TokenEmbedding.LongLength + model.Assembled.PositionEmbedding.LongLength;
            return (blocks, layers, embeddings);
        }

        private static long Entries(AttentionHead h) => h.WQK.Matrix.LongLength + h.WOV.Matrix.LongLength;
        private static long Entries(Mlp m) => m.Fst.Matrix.LongLength + m.Snd.Matrix.LongLength;

        /// <summary>Discretising MLPs are estimated with every input value (an upper bound); everything else exactly.</summary>
        private static bool HasNumericalInputMap(CompiledModel model) =>
            model.Graph.Nodes.Any(n => n.Expr is Map map && !(n.Expr is SequenceMap) && map.Inner.IsNumerical);

        private static void AssertEstimateMatches(CompiledModel model)
        {
            var estimate = model.Estimate;
            var (blocks, layers, embeddings) = Allocated(model);
            long estimatedBlocks = estimate.Nodes.Values.Sum(n => n.BlockWeights);
            long estimatedLayers = estimate.MlpLayers.Sum(l => l.Weights);
            Assert.Equal(model.Assembled.Width, estimate.ResidualWidth);
            Assert.Equal(embeddings, estimate.EmbeddingWeights);
            Assert.Equal(model.Craft.Layers.OfType<MlpLayer>().Count(), estimate.MlpLayers.Count);
            if (HasNumericalInputMap(model))
            {
                Assert.True(estimatedBlocks >= blocks, $"blocks: estimated {estimatedBlocks} < allocated {blocks}");
                Assert.True(estimatedLayers >= layers, $"layers: estimated {estimatedLayers} < allocated {layers}");
                Assert.True(estimate.MlpNeurons >= model.Craft.Layers.OfType<MlpLayer>().Sum(l => l.Mlp.HiddenSize));
            }
            else
            {
                Assert.Equal(blocks, estimatedBlocks);
                Assert.Equal(layers, estimatedLayers);
                Assert.Equal(model.Craft.Layers.OfType<MlpLayer>().Sum(l => (long)l.Mlp.HiddenSize), estimate.MlpNeurons);
            }
        }

        [Theory]
        [MemberData(nameof(GoldenCases))]
        public void Estimate_equals_the_allocation_of_every_golden_program(string caseName)
        {
            var golden = GoldenPrograms.Get(caseName);
            CompiledModel model;
            try
            {
                model = golden.Compile();
            }
            catch (RaspCompilationException e) when (e.Unsupported.All(u => u.Kind != UnsupportedKind.ModelTooLarge && u.Kind != UnsupportedKind.ValueSetProductTooLarge))
            {
                return; // an unsupported_* case, refused for its own reason
            }
            AssertEstimateMatches(model);
        }

        [Fact]
        public void Estimate_equals_the_allocation_of_the_large_test_models()
        {
            var sort = RaspCompiler.Compile(Library.MakeSort(Tokens, Tokens, 64, 1), Enumerable.Range(0, 64).Select(i => (Value)i), 64);
            var dyck = RaspCompiler.Compile(Library.MakeShuffleDyck(new[] { "()", "{}" }), new Value[] { "(", ")", "{", "}" }, 32);
            var reverse = RaspCompiler.Compile(Library.MakeReverse(Tokens), new Value[] { "a", "b", "c" }, 100);
            foreach (var (name, model) in new[] { ("sort 64/64", sort), ("shuffle_dyck 32", dyck), ("reverse 100", reverse) })
            {
                _output.WriteLine($"{name}: estimated {model.Estimate.Weights:N0} weights, residual {model.Estimate.ResidualWidth}, " +
                                  $"{model.Estimate.MlpNeurons:N0} MLP neurons; dense parameters {model.Assembled.ParameterCount:N0}");
                AssertEstimateMatches(model);
                Assert.True(model.Estimate.Weights <= new CompilerOptions().MaxWeights, $"{name} must compile with the default budget");
            }
        }

        [Fact]
        public void Reverse_at_length_1000_is_refused_in_basis_inference_naming_the_sequence_map()
        {
            var e = Assert.Throws<RaspCompilationException>(() =>
                RaspCompiler.Compile(Library.MakeReverse(Tokens), new Value[] { "a", "b", "c" }, 1000));
            var u = Assert.Single(e.Unsupported);
            _output.WriteLine(e.Message);
            Assert.Equal(UnsupportedKind.ModelTooLarge, u.Kind);
            Assert.Equal("basis_inference", e.Stage);
            Assert.Equal("opp_idx", u.NodeName);
            // (1001 + 1000 + 1) inputs x 1001 * 1000 neurons
            Assert.Contains("2,004,002,000 weights", u.Reason);
            Assert.Contains("1,001 x 1,000 = 1,001,000 neurons", u.Reason);
            Assert.Contains("200,000,000 (CompilerOptions.MaxWeights)", u.Reason);
        }

        [Fact]
        public void A_model_over_the_budget_is_refused_by_the_estimate_before_any_block_is_built()
        {
            // A SequenceMap over 300 tokens x 50 indices: 15,000 hidden neurons, (300 + 50 + 1) x 15,000 + 15,000 x 349 weights.
            // Its first layer (5.3M) passes basis inference's early check at a budget of 8M; the whole model (10.7M) does not.
            var program = SequenceMap((x, y) => x + y, Tokens, Indices).Named("sum");
            var vocab = Enumerable.Range(0, 300).Select(i => (Value)i).ToArray();
            var options = new CompilerOptions { MaxWeights = 8_000_000 };
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(program, vocab, 50, options));
            _output.WriteLine(e.Message);
            var u = Assert.Single(e.Unsupported);
            Assert.Equal(SizeEstimation.Stage, e.Stage);
            Assert.Equal(UnsupportedKind.ModelTooLarge, u.Kind);
            Assert.Equal("sum", u.NodeName);
            Assert.Contains("would allocate 10,747,806 weights (86.0 MB as doubles), more than the budget of 8,000,000", u.Reason);
            Assert.Contains("this node accounts for 10,500,000 of them: a categorical SequenceMap MLP with a hidden neuron per pair of input values " +
                            "(300 x 50 = 15,000 neurons) over 351 inputs and 349 outputs", u.Reason);

            // The same program within a raised budget compiles, and its estimate is what it allocates.
            var model = RaspCompiler.Compile(program, vocab, 50, new CompilerOptions { MaxWeights = 50_000_000 });
            AssertEstimateMatches(model);
            Assert.Equal(10_747_806, model.Estimate.Weights);
        }

        [Fact]
        public void A_sequence_map_over_too_many_pairs_is_refused_before_its_function_is_called()
        {
            int calls = 0;
            var program = SequenceMap((x, y) => { calls++; return x + y; }, Tokens, Map(x => x, Tokens)).Named("sum");
            var vocab = Enumerable.Range(0, 3000).Select(i => (Value)i).ToArray();
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(program, vocab, 4));
            var u = Assert.Single(e.Unsupported);
            _output.WriteLine(e.Message);
            Assert.Equal(UnsupportedKind.ValueSetProductTooLarge, u.Kind);
            Assert.Equal("sum", u.NodeName);
            Assert.Contains("(3000 x 3000) = 9,000,000 combinations, more than the limit of 4,000,000", u.Reason);
            Assert.Equal(0, calls);
        }

        [Fact]
        public void A_numerical_mean_at_a_huge_length_is_refused_before_its_fractions_are_enumerated()
        {
            var program = Numerical(Aggregate(Select(Indices, Indices, Comparison.LEQ), Numerical(Map(x => x == 0 ? 1 : 0, Indices)), 0)).Named("frac");
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(program, new Value[] { 1 }, 5000));
            var u = Assert.Single(e.Unsupported);
            Assert.Equal(UnsupportedKind.ValueSetProductTooLarge, u.Kind);
            Assert.Contains("12,507,500 combinations", u.Reason);
        }

        [Fact]
        public void A_model_whose_embeddings_are_over_the_budget_names_the_output_and_the_embeddings()
        {
            // tokens alone: no block at all, 1,002 tokens + 1,001 positions over a residual of 1,002 + 1,000 dimensions.
            var vocab = Enumerable.Range(0, 1000).Select(i => (Value)i).ToArray();
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(Tokens, vocab, 1000, new CompilerOptions { MaxWeights = 1_000_000 }));
            var u = Assert.Single(e.Unsupported);
            _output.WriteLine(e.Message);
            Assert.Equal(UnsupportedKind.ModelTooLarge, u.Kind);
            Assert.Equal("tokens", u.NodeLabel);
            Assert.Contains("the token and position embeddings account for 4,010,006 of them (1,002 tokens and 1,001 positions over a residual of width 2,002)", u.Reason);
        }

        [Fact]
        public void Option_defaults_are_defined_once()
        {
            var options = new CompilerOptions();
            Assert.Equal(CompilerDefaults.MlpExactness, options.MlpExactness);
            Assert.Equal(CompilerDefaults.SoftmaxColdness, options.SoftmaxColdness);
            Assert.Equal(CompilerDefaults.MaxValueSetSize, options.MaxValueSetSize);
            Assert.Equal(CompilerDefaults.MaxNumericalValueSetSize, options.MaxNumericalValueSetSize);
            Assert.Equal(CompilerDefaults.MaxValueSetProduct, options.MaxValueSetProduct);
            Assert.Equal(CompilerDefaults.MaxWeights, options.MaxWeights);
            Assert.Equal(CompilerDefaults.CompilerBos, options.CompilerBos);
            Assert.Equal(CompilerDefaults.CompilerPad, options.CompilerPad);
        }
    }
}
