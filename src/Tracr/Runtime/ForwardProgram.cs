using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Numerics;
using Tracr.Runtime;

namespace Tracr.Generated
{
    /// <summary>
    /// The block code of a fast forward pass in element type <typeparamref name="T"/>: what runs after the
    /// embedding. <see cref="PlannedForward{T}"/> drives the generic <see cref="TransformerKernels"/> with a
    /// <see cref="ModelPlan{T}"/>; the source generator emits a subclass per model whose blocks are
    /// straight-line register code with that model's dimensions and weights as constants (falling back to
    /// the kernels for blocks too large to unroll). <see cref="FastTransformer"/> runs either.
    /// </summary>
    /// <remarks>
    /// Every method adds block outputs into <c>target</c> (which may be the residual itself, see
    /// <see cref="TransformerKernels"/>) and computes the reference's sums with zero terms skipped, so any
    /// implementation decodes like the reference; residuals agree to rounding (exactly in float64).
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public abstract class ForwardProgram<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        protected ForwardProgram(ModelPlan<T> plan) { Plan = plan ?? throw new ArgumentNullException(nameof(plan)); }

        /// <summary>The model's plan: sizes, embeddings, output dimensions, and the kernels' operands.</summary>
        public ModelPlan<T> Plan { get; }

        /// <summary>The blocks whose code is specialised to this model (the others run the plan's kernels).</summary>
        public virtual IReadOnlyList<string> SpecialisedBlocks => Array.Empty<string>();

        /// <summary>The fast path: every block in order, in place in <paramref name="residual"/> (dimension-major, <c>Plan.Width · stride</c>).</summary>
        public abstract void RunBlocks(Span<T> residual, int stride, int n, KernelScratch<T> scratch);

        /// <summary>
        /// Head <paramref name="head"/> of attention block <paramref name="block"/> (an index into
        /// <see cref="ModelPlan{T}.Blocks"/>): adds its output into <paramref name="target"/> and leaves its
        /// logits and weights (key-position-major) in <paramref name="logits"/> and <paramref name="weights"/>.
        /// </summary>
        public abstract void RunHead(int block, int head, ReadOnlySpan<T> residual, Span<T> target, int stride, int n,
            KernelScratch<T> scratch, Span<T> logits, Span<T> weights);

        /// <summary>MLP block <paramref name="block"/>: adds its output into <paramref name="target"/>.</summary>
        public abstract void RunMlp(int block, ReadOnlySpan<T> residual, Span<T> target, int stride, int n, KernelScratch<T> scratch);

        /// <summary>Every block on the generic kernels, in place (what <see cref="PlannedForward{T}"/> runs).</summary>
        protected void KernelBlocks(Span<T> residual, int stride, int n, KernelScratch<T> scratch)
        {
            foreach (var block in Plan.Blocks)
            {
                if (block is AttentionPlan<T> attention) TransformerKernels.AttentionLayer(residual, stride, n, attention, scratch);
                else TransformerKernels.Mlp(residual, residual, stride, n, (MlpPlan<T>)block, scratch);
            }
        }

        /// <summary>Head <paramref name="head"/> of block <paramref name="block"/> on the generic kernel.</summary>
        protected void KernelHead(int block, int head, ReadOnlySpan<T> residual, Span<T> target, int stride, int n,
            KernelScratch<T> scratch, Span<T> logits, Span<T> weights) =>
            TransformerKernels.ApplyHead(residual, target, stride, n, Attention(block).Heads[head], scratch, logits, weights);

        /// <summary>MLP block <paramref name="block"/> on the generic kernel.</summary>
        protected void KernelMlp(int block, ReadOnlySpan<T> residual, Span<T> target, int stride, int n, KernelScratch<T> scratch) =>
            TransformerKernels.Mlp(residual, target, stride, n, Mlp(block), scratch);

        private protected AttentionPlan<T> Attention(int block) =>
            Plan.Blocks[block] as AttentionPlan<T> ?? throw new ArgumentException($"Block {block} ({Plan.Blocks[block].Name}) is not an attention layer.", nameof(block));

        private protected MlpPlan<T> Mlp(int block) =>
            Plan.Blocks[block] as MlpPlan<T> ?? throw new ArgumentException($"Block {block} ({Plan.Blocks[block].Name}) is not an MLP.", nameof(block));

        /// <summary>
        /// Throws unless the spans and sizes are ones this model's code may index without bounds checks:
        /// 1 ≤ n ≤ MaxPositions, stride ≥ <see cref="Simd.Pad{T}"/>(n), both spans at least
        /// <c>Width · stride</c>, and a scratch sized for this plan.
        /// </summary>
        protected void CheckArguments(ReadOnlySpan<T> residual, ReadOnlySpan<T> target, int stride, int n, KernelScratch<T> scratch)
        {
            if (n < 1 || n > Plan.MaxPositions) throw new ArgumentOutOfRangeException(nameof(n), $"Expected 1 to {Plan.MaxPositions} positions, got {n}.");
            if (stride < Simd.Pad<T>(n) || stride % Simd.PadUnit<T>() != 0) throw new ArgumentOutOfRangeException(nameof(stride), $"The stride must be a multiple of {Simd.PadUnit<T>()} of at least {Simd.Pad<T>(n)}, got {stride}.");
            if (residual.Length < Plan.Width * stride) throw new ArgumentException($"The residual needs {Plan.Width} x {stride} entries, has {residual.Length}.", nameof(residual));
            if (target.Length < Plan.Width * stride) throw new ArgumentException($"The target needs {Plan.Width} x {stride} entries, has {target.Length}.", nameof(target));
            if (scratch is null) throw new ArgumentNullException(nameof(scratch));
            if (scratch.Sizes != Plan.Sizes) throw new ArgumentException("The scratch was sized for another plan.", nameof(scratch));
        }

        /// <summary>Throws unless <paramref name="logits"/> and <paramref name="weights"/> hold n · stride entries.</summary>
        protected static void CheckAttention(Span<T> logits, Span<T> weights, int stride, int n)
        {
            if (logits.Length < n * stride || weights.Length < n * stride) throw new ArgumentException("logits and weights need n * stride entries.");
        }

        /// <summary>
        /// Throws unless the plan has the shape the code was generated for: the same width, blocks and
        /// (pruned) block dimensions, given as one count per block part in order.
        /// </summary>
        protected void CheckShape(int width, int[] shape)
        {
            var actual = new List<int>();
            foreach (var block in Plan.Blocks)
            {
                if (block is AttentionPlan<T> a)
                    foreach (var h in a.Heads) actual.AddRange(new[] { h.Query.Count, h.Key.Count, h.Value.Count, h.Output.Count });
                else if (block is MlpPlan<T> m) actual.AddRange(new[] { m.Input.Count, m.HiddenSize, m.Output.Count });
                actual.Add(-1);
            }
            if (Plan.Width != width || !actual.ToArray().AsSpan().SequenceEqual(shape))
                throw new InvalidOperationException($"{GetType().Name} was generated for another model (width {width}, {shape.Length} block parts); this plan has width {Plan.Width}.");
        }
    }

    /// <summary>The forward pass driven by a <see cref="ModelPlan{T}"/>: every block on the generic kernels.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class PlannedForward<T> : ForwardProgram<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public PlannedForward(ModelPlan<T> plan) : base(plan) { }

        public override void RunBlocks(Span<T> residual, int stride, int n, KernelScratch<T> scratch) =>
            KernelBlocks(residual, stride, n, scratch);

        public override void RunHead(int block, int head, ReadOnlySpan<T> residual, Span<T> target, int stride, int n,
            KernelScratch<T> scratch, Span<T> logits, Span<T> weights) =>
            KernelHead(block, head, residual, target, stride, n, scratch, logits, weights);

        public override void RunMlp(int block, ReadOnlySpan<T> residual, Span<T> target, int stride, int n, KernelScratch<T> scratch) =>
            KernelMlp(block, residual, target, stride, n, scratch);
    }
}
