using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;
using Tracr.Runtime;
using Tracr.Tests.Golden;
using Tracr.Transformer;
using Xunit;

namespace Tracr.Tests
{
    /// <summary>The fast path's contract: no allocation, batch equals sequential, argument checks.</summary>
    public class FastPathTests
    {
        private static CompiledModel Golden(string name) => GoldenPrograms.Get(name).Compile();

        /// <summary>
        /// After a warm-up (JIT tiers, static initialisation), some round of 200 calls of
        /// <paramref name="runAll"/> allocates nothing. A per-call allocation shows in every round; a one-off
        /// can come from the JIT itself (on-stack replacement compiles on this thread and may materialise
        /// string literals), hence up to five rounds.
        /// </summary>
        internal static void AssertSteadyStateAllocatesNothing(Action runAll)
        {
            for (int i = 0; i < 50; i++) runAll();
            var rounds = new List<long>();
            for (int round = 0; round < 5; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 200; i++) runAll();
                rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
                if (rounds[^1] == 0) break;
            }
            Assert.True(rounds[^1] == 0, "Bytes allocated per round of 200 passes: " + string.Join(", ", rounds));
        }

        public static IEnumerable<object[]> AllocationCases()
        {
            foreach (var name in new[] { "lib_make_sort", "lib_make_frac_prevs", "lib_make_shuffle_dyck", "causal_detect_pattern_abc", "lib_make_nary_sequencemap" })
                foreach (var (p, f) in EquivalenceTests.Configurations)
                    yield return new object[] { name, p, f };
        }

        [Theory]
        [MemberData(nameof(AllocationCases))]
        public void TheFastPathAllocatesNothing(string name, object precision, object forms)
        {
            // object: the theory is public, the runtime's ForwardPrecision and FormSelection are internal.
            var model = Golden(name);
            var fast = new FastTransformer(model.Packed, (ForwardPrecision)precision, (FormSelection)forms);
            var ws = fast.CreateWorkspace();
            var rng = new Random(1);
            var inputs = Enumerable.Range(0, 8).Select(i => ForwardComparison.RandomIds(model, rng, 1 + i % model.MaxSeqLen)).ToArray();
            var categorical = new int[model.MaxSeqLen];
            var numerical = new double[model.MaxSeqLen];
            void RunAll()
            {
                foreach (var ids in inputs)
                {
                    if (model.OutputEncoding == Encoding.Numerical) fast.PredictNumerical(ids, numerical, ws);
                    else fast.PredictCategorical(ids, categorical, ws);
                }
            }
            AssertSteadyStateAllocatesNothing(RunAll);
        }

        [Theory]
        [InlineData("lib_make_sort", 3)]
        [InlineData("lib_make_sort", 1000)]
        [InlineData("lib_make_frac_prevs", 1000)]
        [InlineData("causal_frac_prevs_1", 40)]
        [InlineData("lib_make_shuffle_dyck", 700)]
        public void BatchEqualsSequential(string name, int count)
        {
            var model = Golden(name);
            var fast = new FastTransformer(model.Packed);
            var rng = new Random(count);
            var batch = Enumerable.Range(0, count).Select(_ => ForwardComparison.RandomIds(model, rng, rng.Next(0, model.MaxSeqLen + 1))).ToArray();
            var ws = fast.CreateWorkspace();
            if (model.OutputEncoding == Encoding.Numerical)
            {
                var outputs = batch.Select(b => new double[b.Length - 1]).ToArray();
                fast.PredictNumericalBatch(batch, outputs);
                for (int i = 0; i < count; i++)
                {
                    var one = new double[batch[i].Length - 1];
                    fast.PredictNumerical(batch[i], one, ws);
                    Assert.Equal(one, outputs[i]);
                }
            }
            else
            {
                var outputs = batch.Select(b => new int[b.Length - 1]).ToArray();
                fast.PredictCategoricalBatch(batch, outputs);
                for (int i = 0; i < count; i++)
                {
                    var one = new int[batch[i].Length - 1];
                    fast.PredictCategorical(batch[i], one, ws);
                    Assert.Equal(one, outputs[i]);
                }
            }
        }

        [Fact]
        public void BatchIsThreadSafe()
        {
            var model = Golden("lib_make_sort_freq");
            var fast = new FastTransformer(model.Packed);
            var rng = new Random(7);
            var batch = Enumerable.Range(0, 300).Select(_ => ForwardComparison.RandomIds(model, rng, model.MaxSeqLen)).ToArray();
            var expected = batch.Select(b => ReferenceForward.Run(model.Assembled, b).Outputs).ToArray();
            System.Threading.Tasks.Parallel.For(0, 8, _ =>
            {
                var outputs = batch.Select(b => new int[b.Length - 1]).ToArray();
                fast.PredictCategoricalBatch(batch, outputs);
                for (int i = 0; i < batch.Length; i++)
                    Assert.Equal(expected[i], outputs[i].Select(fast.OutputValue).ToArray());
            });
        }

        [Fact]
        public void ALoneBosGivesNoOutput()
        {
            var model = Golden("lib_make_length");
            var fast = new FastTransformer(model);
            var ids = new[] { model.Assembled.BosTokenIndex };
            fast.PredictCategorical(ids, Span<int>.Empty, fast.CreateWorkspace());
            var run = fast.RunFull(ids);
            Assert.Empty(run.Outputs);
            Assert.Equal(ReferenceForward.Run(model.Assembled, ids).Residuals.Count, run.Residuals.Count);
        }

        [Fact]
        public void ArgumentsAreChecked()
        {
            var model = Golden("lib_make_length");
            var fast = new FastTransformer(model.Packed);
            var ws = fast.CreateWorkspace();
            var ok = model.Encode(new Value[] { "a", "b" });
            var outputs = new int[5];
            Assert.Throws<ArgumentException>(() => fast.PredictCategorical(Array.Empty<int>(), outputs, ws));
            Assert.Throws<ArgumentException>(() => fast.PredictCategorical(new int[model.MaxSeqLen + 2], outputs, ws));
            Assert.Throws<ArgumentException>(() => fast.PredictCategorical(ok, new int[1], ws));
            Assert.Throws<ArgumentOutOfRangeException>(() => fast.PredictCategorical(new[] { ok[0], 99 }, outputs, ws));
            Assert.Throws<ArgumentException>(() => fast.PredictCategorical(ok, outputs, new FastTransformer(model.Packed).CreateWorkspace()));
            Assert.Throws<InvalidOperationException>(() => fast.PredictNumerical(ok, new double[5], ws));
            Assert.Throws<ArgumentException>(() => fast.PredictCategoricalBatch(new[] { ok, ok }, new[] { new int[2] }));
            fast.PredictCategorical(ok, outputs, ws);
            Assert.Equal(model.Apply(new Value[] { "a", "b" }).Outputs, outputs.Take(2).Select(fast.OutputValue).ToArray());
        }
    }
}
