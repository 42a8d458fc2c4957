using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;
using Tracr.Runtime;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>The scaled models of the compiler's ScaleTests, compiled once for the whole class (3-8 s each).</summary>
    public sealed class ScaledModels
    {
        public ScaledModels()
        {
            Sort = RaspCompiler.Compile(Library.MakeSort(Tokens, Tokens, 64, 1), Enumerable.Range(0, 64).Select(i => (Value)i), 64);
            Dyck = RaspCompiler.Compile(Library.MakeShuffleDyck(new[] { "()", "{}" }), new Value[] { "(", ")", "{", "}" }, 32);
            SortFast = new FastTransformer(Sort.Packed);
            DyckFast = new FastTransformer(Dyck.Packed);
        }

        /// <summary>Sort, vocab 0..63, max_seq_len 64.</summary>
        public CompiledModel Sort { get; }

        /// <summary>shuffle_dyck over () and {}, max_seq_len 32.</summary>
        public CompiledModel Dyck { get; }

        public FastTransformer SortFast { get; }
        public FastTransformer DyckFast { get; }
    }

    public class ScaleTests : IClassFixture<ScaledModels>
    {
        private readonly ScaledModels _m;

        public ScaleTests(ScaledModels models) { _m = models; }

        [Fact]
        public void PrecisionRuleFollowsTheSteepestNeuron()
        {
            // Sort's steepest live neuron (the selector width's discretisation, slope ~1.7e4) is far below the
            // limit. shuffle_dyck's balance < 0 neurons needed double (slope ~4e6 over values ~1e-6 apart) until
            // basis inference learned that both means share a denominator (issue 13): its balance values are now
            // (k - j)/n, far enough apart for single precision.
            Assert.Equal(ForwardPrecision.Single, _m.SortFast.Precision);
            Assert.InRange(_m.Sort.Packed.MaxPreActivationScale, 1e3, PackedModel.SinglePrecisionScaleLimit / 10);
            double dyck = _m.Dyck.Packed.MaxPreActivationScale;
            Assert.Equal(dyck > PackedModel.SinglePrecisionScaleLimit ? ForwardPrecision.Double : ForwardPrecision.Single, _m.DyckFast.Precision);
            Assert.Equal(ForwardPrecision.Single, _m.DyckFast.Precision);
        }

        [Fact]
        public void SortAgreesWithTheReference()
        {
            var rng = new Random(64);
            var inputs = new List<int[]>
            {
                _m.Sort.Encode(Enumerable.Range(0, 64).Reverse().Select(i => (Value)i)),
                ForwardComparison.RandomIds(_m.Sort, rng, 64),
                ForwardComparison.RandomIds(_m.Sort, rng, 17),
            };
            var full = ForwardComparison.Compare(_m.Sort.Assembled, _m.SortFast, inputs[0]);
            ForwardComparison.AssertEquivalent(full, ForwardComparison.Tolerance(_m.SortFast.Precision), "sort 64/64, reversed input");
            var ws = _m.SortFast.CreateWorkspace();
            var outputs = new int[64];
            foreach (var ids in inputs)
            {
                var expected = Transformer.ReferenceForward.Run(_m.Sort.Assembled, ids).Outputs;
                _m.SortFast.PredictCategorical(ids, outputs, ws);
                for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], _m.SortFast.OutputValue(outputs[i]));
                var sorted = ids.Skip(1).Select(id => _m.Sort.Vocab[id]).OrderBy(v => v.AsDouble).ToArray();
                Assert.Equal(sorted, Enumerable.Range(0, sorted.Length).Select(i => _m.SortFast.OutputValue(outputs[i])).ToArray());
            }
        }

        [Fact]
        public void ShuffleDyckAgreesWithTheReference()
        {
            var inputs = new[] { "({)}" + new string('(', 14) + new string(')', 14), "(){}", ")(", "((((((((((((((((}}}}}}}}}}}}}}}}" };
            var fullIds = _m.Dyck.Encode(inputs[0].Select(c => (Value)c.ToString()));
            ForwardComparison.AssertEquivalent(ForwardComparison.Compare(_m.Dyck.Assembled, _m.DyckFast, fullIds),
                ForwardComparison.Tolerance(_m.DyckFast.Precision), "shuffle_dyck 32");
            var ws = _m.DyckFast.CreateWorkspace();
            var outputs = new int[32];
            foreach (var text in inputs)
            {
                var tokens = text.Select(c => (Value)c.ToString()).ToArray();
                var ids = _m.Dyck.Encode(tokens);
                var expected = Rasp.Evaluate(_m.Dyck.Program, tokens);
                _m.DyckFast.PredictCategorical(ids, outputs, ws);
                for (int i = 0; i < tokens.Length; i++) Assert.True(expected[i].Equals(_m.DyckFast.OutputValue(outputs[i])), $"{text} position {i}");
            }
        }

        [Fact]
        public void ShuffleDyckInSinglePrecisionDecodesAsDouble()
        {
            // The measurement behind the rule's margin: float32 would decode these inputs identically too.
            var single = new FastTransformer(_m.Dyck.Packed, ForwardPrecision.Single);
            var ws = single.CreateWorkspace();
            var wd = _m.DyckFast.CreateWorkspace();
            var rng = new Random(5);
            var a = new int[32];
            var b = new int[32];
            for (int t = 0; t < 500; t++)
            {
                var ids = ForwardComparison.RandomIds(_m.Dyck, rng, rng.Next(1, 33));
                single.PredictCategorical(ids, a, ws);
                _m.DyckFast.PredictCategorical(ids, b, wd);
                Assert.Equal(b.Take(ids.Length - 1), a.Take(ids.Length - 1));
            }
        }
    }
}
