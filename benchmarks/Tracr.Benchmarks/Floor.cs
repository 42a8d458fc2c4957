using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tracr.Transformer;

namespace Tracr.Benchmarks
{
    /// <summary>
    /// The floor of a forward pass: the multiply-adds whose two factors are both non-zero (every
    /// other term of the transformer's sums is an exact zero), counted on the actual input from the
    /// reference's residual stream, divided by this machine's peak multiply-add rate.
    /// </summary>
    internal static class Floor
    {
        /// <summary>
        /// Non-zero multiply-adds of one forward pass, counting only terms whose result can reach the
        /// output: per head, query projection (x·W_QK, only into key coordinates some key position has),
        /// logits (q·k), value projection (x·W_OV) and mixing (w·v); per MLP, x·W1 (only into neurons with a
        /// non-zero W2 row) and relu(h)·W2. The embedding (a lookup) and the softmax's exponentials are not
        /// multiply-adds and are not counted.
        /// </summary>
        public static long NonZeroMadds(AssembledTransformer model, int[] ids)
        {
            var run = ReferenceForward.Run(model, ids);
            int n = ids.Length;
            long total = 0;
            int block = 0, headIndex = 0;
            foreach (var layer in model.Layers)
            {
                if (layer.Heads.Count > 0)
                {
                    var x = run.Residuals[block];
                    foreach (var h in layer.Heads)
                    {
                        var w = run.Attention[headIndex++].Weights;
                        int nq = h.QueryIndices.Length, nk = h.KeyIndices.Length, nv = h.ValueIndices.Length, no = h.OutputIndices.Length;
                        var q = new double[n, nk];
                        var v = new double[n, no];
                        var keyUsed = new bool[nk];
                        for (int s = 0; s < n; s++)
                            for (int j = 0; j < nk; j++)
                                if (x[s, h.KeyIndices[j]] != 0) keyUsed[j] = true;
                        for (int p = 0; p < n; p++)
                        {
                            for (int i = 0; i < nq; i++)
                            {
                                double xv = x[p, h.QueryIndices[i]];
                                if (xv == 0) continue;
                                for (int j = 0; j < nk; j++)
                                    if (h.WQK[i, j] != 0) { if (keyUsed[j]) total++; q[p, j] += xv * h.WQK[i, j]; }
                            }
                            for (int i = 0; i < nv; i++)
                            {
                                double xv = x[p, h.ValueIndices[i]];
                                if (xv == 0) continue;
                                for (int j = 0; j < no; j++)
                                    if (h.WOV[i, j] != 0) { total++; v[p, j] += xv * h.WOV[i, j]; }
                            }
                        }
                        for (int p = 0; p < n; p++)
                            for (int s = 0; s < (h.Causal ? p + 1 : n); s++)
                            {
                                for (int j = 0; j < nk; j++)
                                    if (q[p, j] != 0 && x[s, h.KeyIndices[j]] != 0) total++;
                                if (w[p, s] != 0)
                                    for (int j = 0; j < no; j++)
                                        if (v[s, j] != 0) total++;
                            }
                    }
                    block++;
                }
                if (layer.Mlp is { } mlp)
                {
                    var x = run.Residuals[block];
                    int nin = mlp.InputIndices.Length, nh = mlp.HiddenSize, no = mlp.OutputIndices.Length;
                    var hidden = new double[nh];
                    var live = new bool[nh];
                    for (int k = 0; k < nh; k++)
                        for (int j = 0; j < no; j++)
                            if (mlp.W2[k, j] != 0) live[k] = true;
                    for (int p = 0; p < n; p++)
                    {
                        Array.Clear(hidden);
                        for (int i = 0; i < nin; i++)
                        {
                            double xv = x[p, mlp.InputIndices[i]];
                            if (xv == 0) continue;
                            for (int k = 0; k < nh; k++)
                                if (mlp.W1[i, k] != 0) { if (live[k]) total++; hidden[k] += xv * mlp.W1[i, k]; }
                        }
                        for (int k = 0; k < nh; k++)
                        {
                            if (!(hidden[k] > 0)) continue;
                            for (int j = 0; j < no; j++)
                                if (mlp.W2[k, j] != 0) total++;
                        }
                    }
                    block++;
                }
            }
            return total;
        }

        /// <summary>
        /// Peak multiply-add rate of one core (the fast path is single-threaded), in multiply-adds per
        /// microsecond: 16 independent chains of fused multiply-adds on the widest accelerated vector,
        /// all in registers; the best of several timed runs of at least a few tens of milliseconds.
        /// </summary>
        public static double PeakMaddsPerMicrosecond(bool single, int milliseconds = 200)
        {
            bool wide = Vector512.IsHardwareAccelerated;
            int lanes = (wide ? 64 : 32) / (single ? 4 : 8);
            double best = 0;
            long iterations = 1 << 16;
            for (int attempt = 0; attempt < 10; attempt++)
            {
                long start = Stopwatch.GetTimestamp();
                double sink = wide ? (single ? Fma512F(iterations) : Fma512D(iterations)) : (single ? Fma256F(iterations) : Fma256D(iterations));
                double us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                GC.KeepAlive(sink);
                best = Math.Max(best, iterations * 16.0 * lanes / us);
                if (us < milliseconds * 1000 / 4.0) iterations *= 2;
            }
            return best;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static double Fma512F(long iterations)
        {
            var m = Vector512.Create((float)0.999999);
            var a = Vector512.Create((float)1e-7);
            Vector512<float> c0 = Vector512.Create((float)1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            Vector512<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Vector512.FusedMultiplyAdd(c0, m, a);
                c1 = Vector512.FusedMultiplyAdd(c1, m, a);
                c2 = Vector512.FusedMultiplyAdd(c2, m, a);
                c3 = Vector512.FusedMultiplyAdd(c3, m, a);
                c4 = Vector512.FusedMultiplyAdd(c4, m, a);
                c5 = Vector512.FusedMultiplyAdd(c5, m, a);
                c6 = Vector512.FusedMultiplyAdd(c6, m, a);
                c7 = Vector512.FusedMultiplyAdd(c7, m, a);
                c8 = Vector512.FusedMultiplyAdd(c8, m, a);
                c9 = Vector512.FusedMultiplyAdd(c9, m, a);
                c10 = Vector512.FusedMultiplyAdd(c10, m, a);
                c11 = Vector512.FusedMultiplyAdd(c11, m, a);
                c12 = Vector512.FusedMultiplyAdd(c12, m, a);
                c13 = Vector512.FusedMultiplyAdd(c13, m, a);
                c14 = Vector512.FusedMultiplyAdd(c14, m, a);
                c15 = Vector512.FusedMultiplyAdd(c15, m, a);
            }
            var s = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
            return Vector512.Sum(s);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static double Fma512D(long iterations)
        {
            var m = Vector512.Create((double)0.999999);
            var a = Vector512.Create((double)1e-7);
            Vector512<double> c0 = Vector512.Create((double)1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            Vector512<double> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Vector512.FusedMultiplyAdd(c0, m, a);
                c1 = Vector512.FusedMultiplyAdd(c1, m, a);
                c2 = Vector512.FusedMultiplyAdd(c2, m, a);
                c3 = Vector512.FusedMultiplyAdd(c3, m, a);
                c4 = Vector512.FusedMultiplyAdd(c4, m, a);
                c5 = Vector512.FusedMultiplyAdd(c5, m, a);
                c6 = Vector512.FusedMultiplyAdd(c6, m, a);
                c7 = Vector512.FusedMultiplyAdd(c7, m, a);
                c8 = Vector512.FusedMultiplyAdd(c8, m, a);
                c9 = Vector512.FusedMultiplyAdd(c9, m, a);
                c10 = Vector512.FusedMultiplyAdd(c10, m, a);
                c11 = Vector512.FusedMultiplyAdd(c11, m, a);
                c12 = Vector512.FusedMultiplyAdd(c12, m, a);
                c13 = Vector512.FusedMultiplyAdd(c13, m, a);
                c14 = Vector512.FusedMultiplyAdd(c14, m, a);
                c15 = Vector512.FusedMultiplyAdd(c15, m, a);
            }
            var s = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
            return Vector512.Sum(s);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static double Fma256F(long iterations)
        {
            var m = Vector256.Create((float)0.999999);
            var a = Vector256.Create((float)1e-7);
            Vector256<float> c0 = Vector256.Create((float)1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            Vector256<float> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Vector256.FusedMultiplyAdd(c0, m, a);
                c1 = Vector256.FusedMultiplyAdd(c1, m, a);
                c2 = Vector256.FusedMultiplyAdd(c2, m, a);
                c3 = Vector256.FusedMultiplyAdd(c3, m, a);
                c4 = Vector256.FusedMultiplyAdd(c4, m, a);
                c5 = Vector256.FusedMultiplyAdd(c5, m, a);
                c6 = Vector256.FusedMultiplyAdd(c6, m, a);
                c7 = Vector256.FusedMultiplyAdd(c7, m, a);
                c8 = Vector256.FusedMultiplyAdd(c8, m, a);
                c9 = Vector256.FusedMultiplyAdd(c9, m, a);
                c10 = Vector256.FusedMultiplyAdd(c10, m, a);
                c11 = Vector256.FusedMultiplyAdd(c11, m, a);
                c12 = Vector256.FusedMultiplyAdd(c12, m, a);
                c13 = Vector256.FusedMultiplyAdd(c13, m, a);
                c14 = Vector256.FusedMultiplyAdd(c14, m, a);
                c15 = Vector256.FusedMultiplyAdd(c15, m, a);
            }
            var s = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
            return Vector256.Sum(s);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static double Fma256D(long iterations)
        {
            var m = Vector256.Create((double)0.999999);
            var a = Vector256.Create((double)1e-7);
            Vector256<double> c0 = Vector256.Create((double)1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
            Vector256<double> c8 = c0, c9 = c0, c10 = c0, c11 = c0, c12 = c0, c13 = c0, c14 = c0, c15 = c0;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Vector256.FusedMultiplyAdd(c0, m, a);
                c1 = Vector256.FusedMultiplyAdd(c1, m, a);
                c2 = Vector256.FusedMultiplyAdd(c2, m, a);
                c3 = Vector256.FusedMultiplyAdd(c3, m, a);
                c4 = Vector256.FusedMultiplyAdd(c4, m, a);
                c5 = Vector256.FusedMultiplyAdd(c5, m, a);
                c6 = Vector256.FusedMultiplyAdd(c6, m, a);
                c7 = Vector256.FusedMultiplyAdd(c7, m, a);
                c8 = Vector256.FusedMultiplyAdd(c8, m, a);
                c9 = Vector256.FusedMultiplyAdd(c9, m, a);
                c10 = Vector256.FusedMultiplyAdd(c10, m, a);
                c11 = Vector256.FusedMultiplyAdd(c11, m, a);
                c12 = Vector256.FusedMultiplyAdd(c12, m, a);
                c13 = Vector256.FusedMultiplyAdd(c13, m, a);
                c14 = Vector256.FusedMultiplyAdd(c14, m, a);
                c15 = Vector256.FusedMultiplyAdd(c15, m, a);
            }
            var s = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11 + c12 + c13 + c14 + c15;
            return Vector256.Sum(s);
        }
    }
}
