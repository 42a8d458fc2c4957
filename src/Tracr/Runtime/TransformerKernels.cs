using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.Intrinsics;
using Tracr.Runtime;

namespace Tracr.Generated
{
    /// <summary>
    /// The per-block kernels of the fast forward pass: the computation of
    /// <see cref="Tracr.Transformer.ReferenceForward"/>, restricted to the dimensions each block touches.
    /// <see cref="FastTransformer"/> calls them block by block; code generated for one model can call
    /// them with its blocks' plans as constants.
    /// </summary>
    /// <remarks>
    /// <para>The residual stream is <b>dimension-major</b> (see <see cref="ModelPlan{T}"/>): dimension d
    /// of every position is the vector <c>x[d · stride ..]</c>, stride = <see cref="Simd.Pad{T}"/>(n). A
    /// kernel reads <c>residual</c> and <b>adds</b> its block's output into <c>target</c>: the same span on
    /// the fast path, a zeroed delta when the block output itself is wanted.</para>
    /// <para>Every sum runs in the reference's order, with the terms that have an exact-zero factor (a
    /// zero activation or a zero weight) left out, which changes no sum. Weights in triplet form cost one
    /// vector operation over all positions per non-zero weight; in row form, position by position, the
    /// rows of the non-zero activations.</para>
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class TransformerKernels
    {
        /// <summary>
        /// The embedding: clears <c>residual[0 .. width · stride)</c>, then adds
        /// <c>TokenEmbedding[tokenIds[p]] + PositionEmbedding[p]</c> at every position p.
        /// </summary>
        internal static void Embed<T>(Span<T> residual, int width, int stride, ReadOnlySpan<int> tokenIds, Triplets<T> tokenEmbedding, Triplets<T> positionEmbedding)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = tokenIds.Length;
            if (stride < n) throw new ArgumentException("stride must be at least the number of positions.", nameof(stride));
            residual.Slice(0, width * stride).Clear();
            int[] tc = tokenEmbedding.RowColumn, pc = positionEmbedding.RowColumn;
            T[] tv = tokenEmbedding.RowValue, pv = positionEmbedding.RowValue;
            for (int p = 0; p < n; p++)
            {
                int t = tokenIds[p];
                for (int k = tokenEmbedding.RowStart[t], end = tokenEmbedding.RowStart[t + 1]; k < end; k++) residual[tc[k] * stride + p] += tv[k];
                for (int k = positionEmbedding.RowStart[p], end = positionEmbedding.RowStart[p + 1]; k < end; k++) residual[pc[k] * stride + p] += pv[k];
            }
        }

        /// <summary>
        /// One attention layer on the fast path: every head reads the residual before the layer and the
        /// heads' sum is added to it (directly when <see cref="AttentionPlan{T}.InPlace"/>, else through
        /// <see cref="KernelScratch{T}.Delta"/>, over <see cref="AttentionPlan{T}.OutputUnion"/> only).
        /// </summary>
        internal static void AttentionLayer<T>(Span<T> residual, int stride, int n, AttentionPlan<T> layer, KernelScratch<T> scratch)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var logits = scratch.Logits.AsSpan(0, n * stride);
            var weights = scratch.Weights.AsSpan(0, n * stride);
            if (layer.InPlace)
            {
                foreach (var head in layer.Heads) ApplyHead(residual, residual, stride, n, head, scratch, logits, weights);
                return;
            }
            var delta = scratch.Delta.AsSpan();
            foreach (int d in layer.OutputUnion) delta.Slice(d * stride, stride).Clear();
            foreach (var head in layer.Heads) ApplyHead(residual, delta, stride, n, head, scratch, logits, weights);
            foreach (int d in layer.OutputUnion) Simd.AddFull(residual.Slice(d * stride, stride), delta.Slice(d * stride, stride));
        }

        /// <summary>
        /// One head: <c>logits[p, s] = (x[p, Q] · W_QK) · x[s, K]</c> (−∞ for s &gt; p when causal), softmax
        /// over s, and <c>target[p, O] += Σ_s weights[p, s] · (x[s, V] · W_OV)</c>.
        /// <paramref name="logits"/> and <paramref name="weights"/> (n · stride each) receive the matrices
        /// key-position-major: entry <c>[s · stride + p]</c> is query p, key s.
        /// <paramref name="residual"/> and <paramref name="target"/> may be the same span.
        /// </summary>
        internal static void ApplyHead<T>(ReadOnlySpan<T> residual, Span<T> target, int stride, int n, HeadPlan<T> head,
            KernelScratch<T> scratch, Span<T> logits, Span<T> weights)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (Vector512.IsHardwareAccelerated) PositionKernels<T, Register512<T>>.ApplyHead(residual, target, stride, n, head, scratch, logits, weights);
            else if (Vector256.IsHardwareAccelerated) PositionKernels<T, Register256<T>>.ApplyHead(residual, target, stride, n, head, scratch, logits, weights);
            else PositionKernels<T, Register1<T>>.ApplyHead(residual, target, stride, n, head, scratch, logits, weights);
        }

        /// <summary>
        /// Softmax over key positions for every query position: with <c>logits[s · stride + p]</c>,
        /// <c>weights[s, p] = exp(logits[s, p] − max_s) / Σ_s exp(logits[s, p] − max_s)</c>, the sum in
        /// ascending s. Masked logits (−∞) get weight 0, and so do padding positions p ≥ n.
        /// </summary>
        public static void SoftmaxOverKeys<T>(ReadOnlySpan<T> logits, Span<T> weights, int stride, int n)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (Vector512.IsHardwareAccelerated) PositionKernels<T, Register512<T>>.Softmax(logits, weights, stride, n);
            else if (Vector256.IsHardwareAccelerated) PositionKernels<T, Register256<T>>.Softmax(logits, weights, stride, n);
            else PositionKernels<T, Register1<T>>.Softmax(logits, weights, stride, n);
        }

        /// <summary>Causal mask: <c>logits[s · stride + p] = −∞</c> for key positions s after the query position p.</summary>
        public static void MaskCausal<T>(Span<T> logits, int stride, int n)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (Vector512.IsHardwareAccelerated) PositionKernels<T, Register512<T>>.MaskCausal(logits, stride, n);
            else if (Vector256.IsHardwareAccelerated) PositionKernels<T, Register256<T>>.MaskCausal(logits, stride, n);
            else PositionKernels<T, Register1<T>>.MaskCausal(logits, stride, n);
        }

        /// <summary>
        /// An MLP: <c>target[Output] += relu(x[Input] · W1) · W2</c> at every position.
        /// <paramref name="residual"/> and <paramref name="target"/> may be the same span (each position's
        /// output is added after its inputs have been read).
        /// </summary>
        internal static void Mlp<T>(ReadOnlySpan<T> residual, Span<T> target, int stride, int n, MlpPlan<T> mlp, KernelScratch<T> scratch)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (mlp.HiddenSize == 0 || mlp.Output.Count == 0) return;
            if (mlp.W1.Entries != null)
            {
                if (Vector512.IsHardwareAccelerated) PositionKernels<T, Register512<T>>.Mlp(residual, target, stride, n, mlp, scratch);
                else if (Vector256.IsHardwareAccelerated) PositionKernels<T, Register256<T>>.Mlp(residual, target, stride, n, mlp, scratch);
                else PositionKernels<T, Register1<T>>.Mlp(residual, target, stride, n, mlp, scratch);
            }
            else
            {
                MlpRows(residual, target, stride, n, mlp, scratch);
            }
        }

        /// <summary>The row form of <see cref="Mlp{T}"/>: position by position, the W1 rows of the non-zero inputs and the W2 rows of the active neurons.</summary>
        private static void MlpRows<T>(ReadOnlySpan<T> residual, Span<T> target, int stride, int n, MlpPlan<T> mlp, KernelScratch<T> scratch)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int nh = mlp.HiddenSize, no = mlp.Output.Count;
            int[] outDims = mlp.Output.Dims;
            var r1 = mlp.W1.SparseRows!;
            var r2 = mlp.W2.SparseRows!;
            int cap = mlp.Input.Count;
            var li = scratch.ListIndex.AsSpan();
            var lv = scratch.ListValue.AsSpan();
            var lc = scratch.ListCount.AsSpan(0, n);
            ListNonZeros(residual, stride, n, mlp.Input.Dims, li, lv, lc, cap);
            var hidden = scratch.Hidden.AsSpan(0, nh);
            var hi = scratch.HiddenIndex.AsSpan(0, nh);
            var hv = scratch.HiddenValue.AsSpan(0, nh);
            var acc = scratch.Accumulator.AsSpan(0, no);
            var ai = scratch.AccumulatorIndex.AsSpan(0, no);
            var av = scratch.AccumulatorValue.AsSpan(0, no);
            for (int p = 0; p < n; p++)
            {
                int cin = lc[p];
                if (cin == 0) continue; // every pre-activation is 0: nothing is added here
                hidden.Clear();
                for (int k = 0; k < cin; k++) r1.AddScaledRow(li[p * cap + k], lv[p * cap + k], hidden);
                int active = Simd.CompactRelu<T>(hidden, hi, hv);
                if (active == 0) continue;
                acc.Clear();
                for (int k = 0; k < active; k++) r2.AddScaledRow(hi[k], hv[k], acc);
                int written = Simd.AppendNonZeros<T>(acc, 0, ai, av, 0);
                for (int k = 0; k < written; k++) target[outDims[ai[k]] * stride + p] += av[k];
            }
        }

        /// <summary>
        /// For every position p &lt; n, lists the non-zero values of the residual at <paramref name="dims"/>
        /// as (local index, value), ascending: entries <c>[p · cap .. p · cap + count[p])</c>.
        /// </summary>
        public static void ListNonZeros<T>(ReadOnlySpan<T> residual, int stride, int n, int[] dims, Span<int> index, Span<T> value, Span<int> count, int cap)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            count.Slice(0, n).Clear();
            int unit = Simd.PadUnit<T>();
            for (int k = 0; k < dims.Length; k++)
            {
                var row = residual.Slice(dims[k] * stride, stride);
                for (int b = 0; b < n; b += unit)
                {
                    ulong bits = Simd.NonZeroBits(row.Slice(b, unit));
                    if (n - b < unit) bits &= (1UL << (n - b)) - 1;
                    while (bits != 0)
                    {
                        int p = b + System.Numerics.BitOperations.TrailingZeroCount(bits);
                        bits &= bits - 1;
                        int c = count[p]++;
                        index[p * cap + c] = k;
                        value[p * cap + c] = row[p];
                    }
                }
            }
        }

        /// <summary>
        /// Categorical decoding of position p: the index (into the output values) of the largest of
        /// <c>x[outputDims, p]</c>, the first on ties; -1 (None) when that is below 0.5 or there is no output dimension.
        /// </summary>
        public static int DecodeCategorical<T>(ReadOnlySpan<T> residual, int stride, int p, ReadOnlySpan<int> outputDims) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int best = -1;
            T bestValue = T.NegativeInfinity;
            for (int i = 0; i < outputDims.Length; i++)
            {
                T v = residual[outputDims[i] * stride + p];
                if (v > bestValue)
                {
                    bestValue = v;
                    best = i;
                }
            }
            return best < 0 || bestValue < T.CreateTruncating(0.5) ? -1 : best;
        }

        /// <summary>Numerical decoding of position p: the output dimension's value.</summary>
        public static double DecodeNumerical<T>(ReadOnlySpan<T> residual, int stride, int p, int outputDim) where T : unmanaged, IFloatingPointIeee754<T> =>
            double.CreateTruncating(residual[outputDim * stride + p]);
    }
}
