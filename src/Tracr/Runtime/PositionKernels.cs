using System;
using System.Numerics;
using System.Runtime.InteropServices;
using Tracr.Generated;

namespace Tracr.Runtime
{
    /// <summary>
    /// The position-vectorised kernels, written once over a register type <typeparamref name="TV"/>
    /// (<see cref="Register512{T}"/>, <see cref="Register256{T}"/> or <see cref="Register1{T}"/>). The positions are processed
    /// in chunks of one register; within a chunk every output vector (a query, value, hidden neuron or
    /// block output) is summed in a register over its column's entries (rows ascending) and stored once.
    /// </summary>
    internal static class PositionKernels<T, TV>
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : struct, IRegister<TV, T>
    {
        /// <summary>Positions covered by whole registers: n rounded up to a multiple of the register width (at most the stride).</summary>
        private static int Covered(int n) => (n + TV.Count - 1) / TV.Count * TV.Count;

        /// <summary>
        /// <c>y[c] = Σ_k Value[k] · x[rows[Row[k]]]</c> (or consecutive x rows when <paramref name="rows"/> is
        /// null) for every column c, positions [0, end); ReLU applied when <paramref name="relu"/>. Entries
        /// whose x row is zero at every position are skipped (one-hot inputs leave most rows empty).
        /// </summary>
        private static void Columns(ReadOnlySpan<T> x, int[]? rows, Triplets<T> m, Span<T> y, int stride, int end, bool relu, Span<byte> active)
        {
            ref T rx = ref MemoryMarshal.GetReference(x);
            ref T ry = ref MemoryMarshal.GetReference(y);
            int[] cs = m.ColumnStart, row = m.Row;
            T[] val = m.Value;
            int columns = m.Columns;
            if ((long)columns * stride > y.Length) throw new ArgumentException("y is too short.");
            active = active.Slice(0, m.Rows);
            for (int r = 0; r < m.Rows; r++)
                active[r] = Simd.AnyNonZeroFull(x.Slice((rows is null ? r : rows[r]) * stride, end)) ? (byte)1 : (byte)0;
            for (int b = 0; b < end; b += TV.Count)
            {
                for (int c = 0; c < columns; c++)
                {
                    var acc = TV.Zero;
                    for (int k = cs[c], e = cs[c + 1]; k < e; k++)
                    {
                        int r = row[k];
                        if (active[r] == 0) continue;
                        acc = TV.MultiplyAdd(acc, TV.Broadcast(val[k]), TV.Load(ref rx, (nuint)((rows is null ? r : rows[r]) * stride + b)));
                    }
                    if (relu) acc = TV.Max(acc, TV.Zero);
                    TV.Store(acc, ref ry, (nuint)(c * stride + b));
                }
            }
        }

        public static void Mlp(ReadOnlySpan<T> residual, Span<T> target, int stride, int n, MlpPlan<T> mlp, KernelScratch<T> scratch)
        {
            int nh = mlp.HiddenSize, end = Covered(n);
            CheckRows(residual, mlp.Input, stride);
            CheckRows(target, mlp.Output, stride);
            var hidden = scratch.HiddenRows.AsSpan(0, nh * stride);
            Columns(residual, mlp.Input.Dims, mlp.W1.Entries!, hidden, stride, end, relu: true, scratch.Active);

            // target[O_j] += Σ_h W2[h, j] · hidden[h], the sum completed before it is added (as the reference adds its delta).
            var w2 = mlp.W2.Entries!;
            ref T rh = ref MemoryMarshal.GetReference((ReadOnlySpan<T>)hidden);
            ref T rt = ref MemoryMarshal.GetReference(target);
            int[] cs = w2.ColumnStart, row = w2.Row, outDims = mlp.Output.Dims;
            T[] val = w2.Value;
            var active = scratch.Active.AsSpan(0, nh);
            for (int h = 0; h < nh; h++) active[h] = Simd.AnyNonZeroFull<T>(hidden.Slice(h * stride, end)) ? (byte)1 : (byte)0;
            for (int b = 0; b < end; b += TV.Count)
            {
                for (int j = 0; j < outDims.Length; j++)
                {
                    var acc = TV.Zero;
                    for (int k = cs[j], e = cs[j + 1]; k < e; k++)
                    {
                        int h = row[k];
                        if (active[h] == 0) continue;
                        acc = TV.MultiplyAdd(acc, TV.Broadcast(val[k]), TV.Load(ref rh, (nuint)(h * stride + b)));
                    }
                    nuint at = (nuint)(outDims[j] * stride + b);
                    TV.Store(TV.Add(TV.Load(ref rt, at), acc), ref rt, at);
                }
            }
        }

        public static void ApplyHead(ReadOnlySpan<T> residual, Span<T> target, int stride, int n, HeadPlan<T> head,
            KernelScratch<T> scratch, Span<T> logits, Span<T> weights)
        {
            if (logits.Length < n * stride || weights.Length < n * stride) throw new ArgumentException("logits and weights need n * stride entries.");
            int nk = head.Key.Count, no = head.Output.Count, end = Covered(n);
            CheckRows(residual, head.Query, stride);
            CheckRows(residual, head.Key, stride);
            CheckRows(residual, head.Value, stride);
            CheckRows(target, head.Output, stride);

            // 1. logits[s, p] = Σ_j q[p, j] · x[s, K_j] (j ascending), q[p] = x[p, Q] · W_QK.
            var ki = scratch.KeyIndex.AsSpan();
            var kv = scratch.KeyValue.AsSpan();
            var kc = scratch.KeyCount.AsSpan(0, n);
            if (head.QueryKey.Entries is { } qk)
            {
                var q = scratch.QueryRows.AsSpan(0, nk * stride);
                Columns(residual, head.Query.Dims, qk, q, stride, end, relu: false, scratch.Active);
                TransformerKernels.ListNonZeros(residual, stride, n, head.Key.Dims, ki, kv, kc, nk);
                ref T rq = ref MemoryMarshal.GetReference((ReadOnlySpan<T>)q);
                ref T rl = ref MemoryMarshal.GetReference(logits);
                for (int b = 0; b < end; b += TV.Count)
                {
                    for (int s = 0; s < n; s++)
                    {
                        var acc = TV.Zero;
                        for (int k = s * nk, e = s * nk + kc[s]; k < e; k++)
                            acc = TV.MultiplyAdd(acc, TV.Load(ref rq, (nuint)(ki[k] * stride + b)), TV.Broadcast(kv[k]));
                        TV.Store(acc, ref rl, (nuint)(s * stride + b));
                    }
                }
            }
            else
            {
                logits.Slice(0, n * stride).Clear();
                var rows = head.QueryKey.SparseRows!;
                int cap = head.Query.Count;
                var li = scratch.ListIndex.AsSpan();
                var lv = scratch.ListValue.AsSpan();
                var lc = scratch.ListCount.AsSpan(0, n);
                TransformerKernels.ListNonZeros(residual, stride, n, head.Query.Dims, li, lv, lc, cap);
                TransformerKernels.ListNonZeros(residual, stride, n, head.Key.Dims, ki, kv, kc, nk);
                var q = scratch.Query.AsSpan(0, nk);
                for (int p = 0; p < n; p++)
                {
                    q.Clear();
                    for (int k = 0, c = lc[p]; k < c; k++) rows.AddScaledRow(li[p * cap + k], lv[p * cap + k], q);
                    int visible = head.Causal ? p + 1 : n;
                    for (int s = 0; s < visible; s++)
                    {
                        T l = T.Zero;
                        for (int k = s * nk, e = s * nk + kc[s]; k < e; k++) l += q[ki[k]] * kv[k];
                        logits[s * stride + p] = l;
                    }
                }
            }

            // 2. Causal mask (key s hidden from queries p < s), softmax over s.
            if (head.Causal) MaskCausal(logits, stride, n);
            Softmax(logits, weights, stride, n);
            if (no == 0) return;

            // 3. v[j] (a vector over key positions) = x[·, V] · W_OV[:, j].
            var v = scratch.ValueRows.AsSpan(0, no * stride);
            if (head.OutputValue.Entries is { } ov)
            {
                Columns(residual, head.Value.Dims, ov, v, stride, end, relu: false, scratch.Active);
            }
            else
            {
                v.Clear();
                var rows = head.OutputValue.SparseRows!;
                int cap = head.Value.Count;
                var li = scratch.ListIndex.AsSpan();
                var lv = scratch.ListValue.AsSpan();
                var lc = scratch.ListCount.AsSpan(0, n);
                TransformerKernels.ListNonZeros(residual, stride, n, head.Value.Dims, li, lv, lc, cap);
                var acc = scratch.Accumulator.AsSpan(0, no);
                for (int s = 0; s < n; s++)
                {
                    if (lc[s] == 0) continue;
                    acc.Clear();
                    for (int k = 0; k < lc[s]; k++) rows.AddScaledRow(li[s * cap + k], lv[s * cap + k], acc);
                    for (int j = 0; j < no; j++) v[j * stride + s] = acc[j];
                }
            }

            // 4. target[O_j] += Σ_s v[j, s] · weights[s] (s ascending, zero terms skipped): first the non-zero
            //    v[j, s] of every output j (values are mostly one-hot), then every chunk of query positions.
            var mi = scratch.MixIndex.AsSpan();
            var mv = scratch.MixValue.AsSpan();
            var mc = scratch.MixCount.AsSpan(0, no);
            int unit = Simd.PadUnit<T>();
            for (int j = 0; j < no; j++)
            {
                int c = 0, at = j * n;
                var vj = v.Slice(j * stride, stride);
                for (int b = 0; b < n; b += unit)
                {
                    ulong bits = Simd.NonZeroBits<T>(vj.Slice(b, unit));
                    if (n - b < unit) bits &= (1UL << (n - b)) - 1;
                    while (bits != 0)
                    {
                        int s = b + BitOperations.TrailingZeroCount(bits);
                        bits &= bits - 1;
                        mi[at + c] = s;
                        mv[at + c] = vj[s];
                        c++;
                    }
                }
                mc[j] = c;
            }
            ref T rw = ref MemoryMarshal.GetReference((ReadOnlySpan<T>)weights);
            ref T rt = ref MemoryMarshal.GetReference(target);
            int[] outDims = head.Output.Dims;
            for (int b = 0; b < end; b += TV.Count)
            {
                for (int j = 0; j < no; j++)
                {
                    var acc = TV.Zero;
                    for (int k = j * n, e = j * n + mc[j]; k < e; k++)
                        acc = TV.MultiplyAdd(acc, TV.Load(ref rw, (nuint)(mi[k] * stride + b)), TV.Broadcast(mv[k]));
                    nuint at = (nuint)(outDims[j] * stride + b);
                    TV.Store(TV.Add(TV.Load(ref rt, at), acc), ref rt, at);
                }
            }
        }

        /// <summary>logits[s, p] = −∞ for p &lt; s.</summary>
        public static void MaskCausal(Span<T> logits, int stride, int n)
        {
            ref T rl = ref MemoryMarshal.GetReference(logits);
            int end = Covered(n);
            for (int s = 1; s < n; s++)
                for (int b = 0; b < s && b < end; b += TV.Count)
                {
                    nuint at = (nuint)(s * stride + b);
                    TV.Store(TV.FillBelow(TV.Load(ref rl, at), b, s, T.NegativeInfinity), ref rl, at);
                }
        }

        public static void Softmax(ReadOnlySpan<T> logits, Span<T> weights, int stride, int n)
        {
            if (logits.Length < n * stride || weights.Length < n * stride) throw new ArgumentException("logits and weights need n * stride entries.");
            ref T rl = ref MemoryMarshal.GetReference(logits);
            ref T rw = ref MemoryMarshal.GetReference(weights);
            int end = Covered(n);
            for (int b = 0; b < end; b += TV.Count)
            {
                var max = TV.Load(ref rl, (nuint)b);
                for (int s = 1; s < n; s++) max = TV.Max(max, TV.Load(ref rl, (nuint)(s * stride + b)));
                var sum = TV.Zero;
                for (int s = 0; s < n; s++)
                {
                    var e = TV.Exp(TV.Subtract(TV.Load(ref rl, (nuint)(s * stride + b)), max));
                    TV.Store(e, ref rw, (nuint)(s * stride + b));
                    sum = TV.Add(sum, e);
                }
                for (int s = 0; s < n; s++)
                {
                    nuint at = (nuint)(s * stride + b);
                    // Padding positions (p >= n) get weight 0, so the residual's padding stays 0.
                    TV.Store(TV.ZeroFrom(TV.Divide(TV.Load(ref rw, at), sum), b, n), ref rw, at);
                }
            }
            if (stride > end)
                for (int s = 0; s < n; s++) weights.Slice(s * stride + end, stride - end).Clear();
        }

        private static void CheckRows(ReadOnlySpan<T> x, DimensionMap dims, int stride)
        {
            if (dims.MaxDim >= x.Length / stride) throw new ArgumentException($"Residual dimension {dims.MaxDim} is outside the residual span.");
        }
    }
}
