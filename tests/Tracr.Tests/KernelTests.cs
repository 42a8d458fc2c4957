using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Tracr.Generated;
using Tracr.Runtime;
using Tracr.Transformer;
using Xunit;

namespace Tracr.Tests
{
    /// <summary>
    /// The kernels on their own, TensorPrimitives-style: every length 0..256 (so every vector body and
    /// tail), against plain scalar loops; the block kernels on random synthetic blocks over 1..70
    /// positions (one and several register chunks) in both weight forms and both precisions.
    /// </summary>
    public class KernelTests
    {
        private static float[] RandomVector(Random rng, int n, double zeros = 0.5) =>
            Enumerable.Range(0, n).Select(_ => rng.NextDouble() < zeros ? 0f : (float)(rng.NextDouble() * 4 - 2)).ToArray();

        public static IEnumerable<object[]> Lengths => Enumerable.Range(0, 257).Where(n => n < 40 || n % 7 == 0 || n > 250).Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(Lengths))]
        public void ElementwiseOperationsMatchScalarLoops(int n)
        {
            var rng = new Random(n);
            var x = RandomVector(rng, n);
            var y0 = RandomVector(rng, n);

            var y = (float[])y0.Clone();
            Simd.AddScalar<float>(y, 0.75f);
            Assert.Equal(y0.Select(v => v + 0.75f), y);

            y = (float[])y0.Clone();
            Simd.AddScaled<float>(y, -1.5f, x);
            Assert.Equal(y0.Select((v, i) => v + -1.5f * x[i]), y);

            y = (float[])y0.Clone();
            Simd.Add<float>(y, x);
            Assert.Equal(y0.Select((v, i) => v + x[i]), y);

            var yd = y0.Select(v => (double)v).ToArray();
            var xd = x.Select(v => (double)v).ToArray();
            var expected = yd.Select((v, i) => v + 0.1 * xd[i]).ToArray();
            Simd.AddScaled<double>(yd, 0.1, xd);
            Assert.Equal(expected, yd);
        }

        [Theory]
        [MemberData(nameof(Lengths))]
        public void CompactionFindsExactlyTheNonZeros(int n)
        {
            var rng = new Random(n + 1000);
            var x = RandomVector(rng, n, zeros: 0.8);
            if (n > 3) { x[1] = float.NaN; x[2] = -0f; }
            var index = new int[n + 5];
            var value = new float[n + 5];
            index[0] = -7;
            int count = Simd.AppendNonZeros<float>(x, 100, index, value, 1);
            var expected = Enumerable.Range(0, n).Where(i => x[i] != 0 || float.IsNaN(x[i])).ToArray();
            Assert.Equal(expected.Length + 1, count);
            Assert.Equal(-7, index[0]);
            Assert.Equal(expected.Select(i => i + 100), index.Skip(1).Take(expected.Length));
            Assert.Equal(expected.Select(i => x[i]), value.Skip(1).Take(expected.Length));

            var positive = Enumerable.Range(0, n).Where(i => !(x[i] <= 0)).ToArray();
            var ri = new int[n];
            var rv = new float[n];
            Assert.Equal(positive.Length, Simd.CompactRelu<float>(x, ri, rv));
            Assert.Equal(positive, ri.Take(positive.Length));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(16)]
        [InlineData(32)]
        [InlineData(80)]
        [InlineData(256)]
        public void FullVectorOperations(int n)
        {
            Assert.Equal(0, n % Simd.PadUnit<float>());
            var rng = new Random(n);
            var x = RandomVector(rng, n);
            var y0 = RandomVector(rng, n);
            var y = (float[])y0.Clone();
            Simd.AddFull<float>(y, x);
            Assert.Equal(y0.Select((v, i) => v + x[i]), y);
            Assert.Equal(x.Any(v => v != 0), Simd.AnyNonZeroFull<float>(x));
            Assert.False(Simd.AnyNonZeroFull<float>(new float[n]));
            Assert.Equal(16, Simd.Pad<float>(1));
            Assert.Equal(8, Simd.Pad<double>(8));
            Assert.Equal(80, Simd.Pad<float>(65));
        }

        private static RunMatrix RandomRuns(Random rng, int rows, int cols, double density)
        {
            var m = new double[rows, cols];
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols;)
                {
                    int len = 1 + rng.Next(rng.Next(2) == 0 ? 3 : 20);
                    double v = rng.NextDouble() < density ? Math.Round(rng.NextDouble() * 8 - 4, 2) : 0;
                    for (int k = 0; k < len && c < cols; k++, c++) m[r, c] = v;
                }
            return RunMatrix.FromDense(m);
        }

        public static IEnumerable<object[]> Policies => new[]
        {
            new object[] { 8, 4, 2 }, new object[] { 1, 0, 2 }, new object[] { 100, 100, 2 }, new object[] { 3, 1, 3 },
        };

        [Theory]
        [MemberData(nameof(Policies))]
        public void SparseRowsMultiplyAsTheDenseMatrix(int minRun, int maxGap, int minRuns)
        {
            var rng = new Random(minRun * 31 + maxGap);
            var policy = new SegmentPolicy { MinRunLength = minRun, MaxSpanGap = maxGap, MinRunsPerSpan = minRuns };
            foreach (var (rows, cols) in new[] { (1, 1), (3, 17), (10, 64), (5, 300), (40, 33) })
            {
                var m = RandomRuns(rng, rows, cols, 0.4);
                var dense = m.ToDense();
                var sr = SparseRows<float>.From(m, policy: policy);
                Assert.Equal(dense.Cast<double>().Select(v => (double)(float)v), sr.ToDense().Cast<double>());
                for (int r = 0; r < rows; r++)
                {
                    var y0 = RandomVector(rng, cols);
                    var y = (float[])y0.Clone();
                    sr.AddScaledRow(r, 1.25f, y);
                    Assert.Equal(y0.Select((v, c) => dense[r, c] == 0 ? v : v + 1.25f * (float)dense[r, c]), y);
                }
                var t = Triplets<double>.From(m);
                Assert.Equal(dense.Cast<double>(), t.ToDense().Cast<double>());
            }
        }

        [Fact]
        public void ColumnMapsAndRowSelectionsKeepTheEntries()
        {
            var rng = new Random(3);
            var m = RandomRuns(rng, 6, 10, 0.5);
            var dense = m.ToDense();
            var rows = new[] { 4, 1, 5 };
            var used = Enumerable.Range(0, 10).Where(c => rows.Any(r => dense[r, c] != 0)).ToArray();
            var map = Enumerable.Range(0, 10).Select(c => Array.IndexOf(used, c)).ToArray();
            var t = Triplets<float>.From(m, rows, map, used.Length).ToDense();
            var s = SparseRows<float>.From(m, rows, map, used.Length).ToDense();
            var selected = BlockPruning.Select(m, rows, map);
            Assert.Equal((rows.Length, used.Length), (selected.Rows, selected.Columns));
            var d = selected.ToDense();
            for (int i = 0; i < rows.Length; i++)
                for (int j = 0; j < used.Length; j++)
                {
                    Assert.Equal((float)dense[rows[i], used[j]], t[i, j]);
                    Assert.Equal((float)dense[rows[i], used[j]], s[i, j]);
                    Assert.Equal(dense[rows[i], used[j]], d[i, j]);
                }
        }

        public static IEnumerable<object[]> PositionCounts => new[] { 1, 2, 7, 8, 9, 16, 17, 33, 65, 70 }.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(PositionCounts))]
        public void SoftmaxOverKeysMatchesScalarSoftmax(int n)
        {
            var rng = new Random(n);
            CheckSoftmax<float>(rng, n, 1e-6);
            CheckSoftmax<double>(rng, n, 1e-14);
        }

        private static void CheckSoftmax<T>(Random rng, int n, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int stride = Simd.Pad<T>(n);
            var logits = new T[n * stride];
            var l = new double[n, n];
            for (int s = 0; s < n; s++)
                for (int p = 0; p < n; p++)
                {
                    // Coldness-like logits, and the causal mask on half the queries.
                    double v = p % 2 == 1 && s > p ? double.NegativeInfinity : Math.Round(rng.NextDouble() * 200 - 100);
                    l[p, s] = v;
                    logits[s * stride + p] = T.CreateTruncating(v);
                }
            var weights = new T[n * stride];
            TransformerKernels.SoftmaxOverKeys<T>(logits, weights, stride, n);
            for (int p = 0; p < n; p++)
            {
                double max = Enumerable.Range(0, n).Max(s => l[p, s]);
                double sum = Enumerable.Range(0, n).Sum(s => Math.Exp(l[p, s] - max));
                for (int s = 0; s < n; s++)
                {
                    double expected = Math.Exp(l[p, s] - max) / sum, actual = double.CreateTruncating(weights[s * stride + p]);
                    Assert.True(Math.Abs(expected - actual) <= tolerance, $"n={n} p={p} s={s}: {actual} vs {expected}");
                    if (double.IsNegativeInfinity(l[p, s])) Assert.Equal(0, actual);
                }
            }
            for (int s = 0; s < n; s++)
                for (int p = n; p < stride; p++) Assert.Equal(T.Zero, weights[s * stride + p]);
        }

        [Theory]
        [MemberData(nameof(PositionCounts))]
        public void MlpKernelMatchesADenseMlp(int n)
        {
            var rng = new Random(100 + n);
            const int width = 40;
            var input = Enumerable.Range(0, width).OrderBy(_ => rng.Next()).Take(9).OrderBy(d => d).ToArray();
            var output = Enumerable.Range(0, width).OrderBy(_ => rng.Next()).Take(6).ToArray(); // may overlap the input
            var w1 = RandomRuns(rng, input.Length, 23, 0.5);
            var w2 = RandomRuns(rng, 23, output.Length, 0.4);
            var mlp = new PackedMlp(0, new[] { "m" }, input, w1, w2, output);
            var x = RandomResidual(rng, n, width);

            // The reference's arithmetic in double.
            var expected = (double[,])x.Clone();
            var d1 = w1.ToDense();
            var d2 = w2.ToDense();
            for (int p = 0; p < n; p++)
            {
                var delta = new double[output.Length];
                for (int h = 0; h < 23; h++)
                {
                    double a = 0;
                    for (int i = 0; i < input.Length; i++) a += x[p, input[i]] * d1[i, h];
                    a = Math.Max(0, a);
                    for (int j = 0; j < output.Length; j++) delta[j] += a * d2[h, j];
                }
                for (int j = 0; j < output.Length; j++) expected[p, output[j]] += delta[j];
            }

            // The plan runs blocks as given: the packed MLP as built (with all-zero rows and neurons) and pruned.
            foreach (var block in new[] { mlp, BlockPruning.Prune(mlp) })
                foreach (var forms in new[] { FormSelection.Triplets, FormSelection.Rows, FormSelection.Auto })
                {
                    CheckMlp<float>(block, x, expected, n, width, forms, 1e-4);
                    CheckMlp<double>(block, x, expected, n, width, forms, 1e-12);
                }
        }

        private static double[,] RandomResidual(Random rng, int n, int width)
        {
            var x = new double[n, width];
            for (int p = 0; p < n; p++)
                for (int d = 0; d < width; d++)
                    x[p, d] = rng.NextDouble() < 0.6 ? 0 : rng.Next(3) == 0 ? 1 : Math.Round(rng.NextDouble() * 2 - 1, 3);
            return x;
        }

        private static T[] ToDimensionMajor<T>(double[,] x, int stride) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = x.GetLength(0), width = x.GetLength(1);
            var r = new T[width * stride];
            for (int p = 0; p < n; p++)
                for (int d = 0; d < width; d++) r[d * stride + p] = T.CreateTruncating(x[p, d]);
            return r;
        }

        private static void AssertResidual<T>(double[,] expected, T[] actual, int stride, double tolerance, string what) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = expected.GetLength(0), width = expected.GetLength(1);
            for (int p = 0; p < n; p++)
                for (int d = 0; d < width; d++)
                {
                    double e = expected[p, d], a = double.CreateTruncating(actual[d * stride + p]);
                    Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e)), $"{what}: position {p} dimension {d}: {a} vs {e}");
                }
            for (int d = 0; d < width; d++)
                for (int p = n; p < stride; p++) Assert.Equal(T.Zero, actual[d * stride + p]);
        }

        private static void CheckMlp<T>(PackedMlp mlp, double[,] x, double[,] expected, int n, int width, FormSelection forms, double tolerance)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var plan = MlpPlan<T>.From(mlp, n, forms);
            var scratch = new KernelScratch<T>(new ScratchSizes(n, width, 0, 0, plan.Input.Count, 0, plan.HiddenSize, plan.HiddenSize, plan.Output.Count, false));
            int stride = Simd.Pad<T>(n);
            var r = ToDimensionMajor<T>(x, stride);
            TransformerKernels.Mlp<T>(r, r, stride, n, plan, scratch);
            AssertResidual(expected, r, stride, tolerance, $"MLP {typeof(T).Name} {plan.Form} n={n}");
        }

        [Theory]
        [MemberData(nameof(PositionCounts))]
        public void AttentionKernelMatchesADenseHead(int n)
        {
            var rng = new Random(200 + n);
            const int width = 40;
            foreach (bool causal in new[] { false, true })
            {
                int[] Pick(int k) => Enumerable.Range(0, width).OrderBy(_ => rng.Next()).Take(k).OrderBy(d => d).ToArray();
                var q = Pick(7); var k = Pick(6); var v = Pick(5); var o = Pick(4);
                var qk = RandomRuns(rng, q.Length, k.Length, 0.6);
                var ov = RandomRuns(rng, v.Length, o.Length, 0.5);
                var head = new PackedHead("h", causal, q, k, v, o, qk, ov);
                var x = RandomResidual(rng, n, width);

                // ReferenceForward's head, in double.
                var dqk = qk.ToDense();
                var dov = ov.ToDense();
                var logits = new double[n, n];
                var weights = new double[n, n];
                var expected = (double[,])x.Clone();
                var delta = new double[n, o.Length];
                for (int p = 0; p < n; p++)
                {
                    var qv = new double[k.Length];
                    for (int i = 0; i < q.Length; i++) for (int j = 0; j < k.Length; j++) qv[j] += x[p, q[i]] * dqk[i, j];
                    double max = double.NegativeInfinity;
                    for (int s = 0; s < n; s++)
                    {
                        double l = 0;
                        if (causal && s > p) l = double.NegativeInfinity;
                        else for (int j = 0; j < k.Length; j++) l += qv[j] * x[s, k[j]];
                        logits[p, s] = l;
                        max = Math.Max(max, l);
                    }
                    double sum = 0;
                    for (int s = 0; s < n; s++) sum += weights[p, s] = Math.Exp(logits[p, s] - max);
                    for (int s = 0; s < n; s++) weights[p, s] /= sum;
                }
                for (int s = 0; s < n; s++)
                {
                    var vs = new double[o.Length];
                    for (int i = 0; i < v.Length; i++) for (int j = 0; j < o.Length; j++) vs[j] += x[s, v[i]] * dov[i, j];
                    for (int p = 0; p < n; p++) for (int j = 0; j < o.Length; j++) delta[p, j] += weights[p, s] * vs[j];
                }
                for (int p = 0; p < n; p++) for (int j = 0; j < o.Length; j++) expected[p, o[j]] += delta[p, j];

                foreach (var block in new[] { head, BlockPruning.Prune(head) })
                    foreach (var forms in new[] { FormSelection.Triplets, FormSelection.Rows, FormSelection.Auto })
                    {
                        CheckHead<float>(block, x, expected, logits, n, width, forms, 1e-4);
                        CheckHead<double>(block, x, expected, logits, n, width, forms, 1e-12);
                    }
            }
        }

        private static void CheckHead<T>(PackedHead head, double[,] x, double[,] expected, double[,] logits, int n, int width, FormSelection forms, double tolerance)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var plan = HeadPlan<T>.From(head, n, forms);
            var scratch = new KernelScratch<T>(new ScratchSizes(n, width, plan.Key.Count, plan.Key.Count,
                Math.Max(plan.Query.Count, plan.Value.Count), plan.Output.Count, 0, 0, plan.Output.Count, false));
            int stride = Simd.Pad<T>(n);
            var r = ToDimensionMajor<T>(x, stride);
            var l = new T[n * stride];
            var w = new T[n * stride];
            TransformerKernels.ApplyHead<T>(r, r, stride, n, plan, scratch, l, w);
            string what = $"head {typeof(T).Name} causal={head.Causal} {plan.QueryKey.Form}/{plan.OutputValue.Form} n={n}";
            AssertResidual(expected, r, stride, tolerance, what);
            for (int p = 0; p < n; p++)
                for (int s = 0; s < n; s++)
                {
                    double e = logits[p, s], a = double.CreateTruncating(l[s * stride + p]);
                    Assert.True(e == a || Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e)), $"{what}: logit [{p},{s}] {a} vs {e}");
                }
        }
    }
}
