using System;
using System.ComponentModel;
using System.Linq;
using System.Numerics;
using Tracr.Runtime;
using Tracr.Transformer;

namespace Tracr.Generated
{
    /// <summary>
    /// A <see cref="PackedModel"/> prepared for the fast forward pass in element type
    /// <typeparamref name="T"/> (float or double): embeddings as <see cref="Triplets{T}"/>, block plans
    /// with each weight matrix in its chosen <see cref="WeightForm"/>, and the buffer sizes a
    /// <see cref="KernelScratch{T}"/> needs.
    /// </summary>
    /// <remarks>
    /// <para>The blocks are taken as packed: <see cref="PackedModel.From"/> pruned them when the model was
    /// compiled (<see cref="BlockPruning"/>), and a generated model's data holds them pruned, so a plan
    /// only converts the weights to <typeparamref name="T"/> and picks each matrix's form for this
    /// machine's registers (<see cref="FormChoice"/>).</para>
    /// <para>The kernels keep the residual stream <b>dimension-major</b>: residual dimension d is the vector
    /// <c>x[d · stride .. d · stride + n)</c> over positions 0..n-1 (0 = BOS), with
    /// <c>stride = Simd.Pad(n)</c> so that every such vector is a whole number of SIMD vectors. Entries
    /// past n are padding: they never influence positions below n.</para>
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class ModelPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>The plan generated code runs on: the weight forms chosen by estimate.</summary>
        public ModelPlan(PackedModel packed) : this(packed, FormSelection.Auto, null)
        {
        }

        internal ModelPlan(PackedModel packed, FormSelection selection = FormSelection.Auto, SegmentPolicy? policy = null)
        {
            Packed = packed ?? throw new ArgumentNullException(nameof(packed));
            Width = packed.Width;
            MaxPositions = packed.MaxPositions;
            TokenEmbedding = Triplets<T>.From(packed.TokenEmbedding);
            PositionEmbedding = Triplets<T>.From(packed.PositionEmbedding);
            Blocks = packed.Blocks.Select(b => b switch
            {
                PackedAttention a => (BlockPlan<T>)new AttentionPlan<T>(a, MaxPositions, selection, policy),
                PackedMlp m => MlpPlan<T>.From(m, MaxPositions, selection, policy),
                _ => throw new NotSupportedException($"Unknown block {b.GetType().Name}."),
            }).ToArray();
            OutputDims = packed.OutputDims;
            OutputEncoding = packed.OutputEncoding;

            var heads = Blocks.OfType<AttentionPlan<T>>().SelectMany(a => a.Heads).ToArray();
            var mlps = Blocks.OfType<MlpPlan<T>>().ToArray();
            static int Max(System.Collections.Generic.IEnumerable<int> xs) => xs.DefaultIfEmpty(0).Max();
            Sizes = new ScratchSizes(
                MaxPositions,
                Width,
                QueryRows: Max(heads.Where(h => h.QueryKey.Form == WeightForm.Triplets).Select(h => h.Key.Count)),
                KeyDims: Max(heads.Select(h => h.Key.Count)),
                ListDims: Max(heads.Where(h => h.QueryKey.Form == WeightForm.Rows).Select(h => h.Query.Count)
                    .Concat(heads.Where(h => h.OutputValue.Form == WeightForm.Rows).Select(h => h.Value.Count))
                    .Concat(mlps.Where(m => m.Form == WeightForm.Rows).Select(m => m.Input.Count))),
                OutputRows: Max(heads.Select(h => h.Output.Count)),
                HiddenRows: Max(mlps.Where(m => m.Form == WeightForm.Triplets).Select(m => m.HiddenSize)),
                Hidden: Max(mlps.Where(m => m.Form == WeightForm.Rows).Select(m => m.HiddenSize)),
                Accumulator: Max(mlps.Where(m => m.Form == WeightForm.Rows).Select(m => m.Output.Count)
                    .Concat(heads.Where(h => h.OutputValue.Form == WeightForm.Rows).Select(h => h.Output.Count))),
                NeedsDelta: Blocks.OfType<AttentionPlan<T>>().Any(a => !a.InPlace));
        }

        /// <summary>The packed weights the plan was built from.</summary>
        public PackedModel Packed { get; }

        public int Width { get; }

        /// <summary><see cref="PackedModel.MaxPositions"/>: MaxSeqLen + 1 (BOS included).</summary>
        public int MaxPositions { get; }

        /// <summary>[token, width].</summary>
        internal Triplets<T> TokenEmbedding { get; }

        /// <summary>[position, width].</summary>
        internal Triplets<T> PositionEmbedding { get; }

        internal BlockPlan<T>[] Blocks { get; }
        public int[] OutputDims { get; }
        public Encoding OutputEncoding { get; }
        internal ScratchSizes Sizes { get; }
    }

    /// <summary>The buffer sizes of a <see cref="KernelScratch{T}"/>, each the maximum over the model's blocks.</summary>
    /// <param name="MaxPositions"><see cref="PackedModel.MaxPositions"/>.</param>
    /// <param name="Width">Residual width.</param>
    /// <param name="QueryRows">Key dimensions of heads whose W_QK is in triplet form (their queries, one vector over positions each).</param>
    /// <param name="KeyDims">Key dimensions of heads (key lists; the query vector of row-form W_QK).</param>
    /// <param name="ListDims">Dimensions listed per position by row-form matrices (queries, values, MLP inputs).</param>
    /// <param name="OutputRows">Output dimensions of heads (their values, one vector over positions each).</param>
    /// <param name="HiddenRows">Hidden neurons of triplet-form MLPs (one vector over positions each).</param>
    /// <param name="Hidden">Hidden neurons of row-form MLPs (one position at a time).</param>
    /// <param name="Accumulator">Output dimensions of row-form MLPs and row-form W_OV (one position at a time).</param>
    /// <param name="NeedsDelta">Some attention layer cannot add its heads in place.</param>
    internal readonly record struct ScratchSizes(
        int MaxPositions,
        int Width,
        int QueryRows,
        int KeyDims,
        int ListDims,
        int OutputRows,
        int HiddenRows,
        int Hidden,
        int Accumulator,
        bool NeedsDelta);

    /// <summary>
    /// Reusable buffers of the kernels for one sequence at a time (not thread-safe). Sized once from
    /// <see cref="ScratchSizes"/>; the kernels never allocate.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class KernelScratch<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        internal KernelScratch(ScratchSizes sizes)
        {
            Sizes = sizes;
            int n = sizes.MaxPositions, s = Simd.Pad<T>(n);
            MaxStride = s;
            Residual = new T[sizes.Width * s];
            Delta = sizes.NeedsDelta ? new T[sizes.Width * s] : Array.Empty<T>();
            QueryRows = new T[sizes.QueryRows * s];
            Query = new T[sizes.KeyDims];
            KeyIndex = new int[n * sizes.KeyDims];
            KeyValue = new T[n * sizes.KeyDims];
            KeyCount = new int[n];
            ListIndex = new int[n * sizes.ListDims];
            ListValue = new T[n * sizes.ListDims];
            ListCount = new int[n];
            Logits = new T[n * s];
            Weights = new T[n * s];
            ValueRows = new T[sizes.OutputRows * s];
            Active = new byte[Math.Max(sizes.Width, sizes.HiddenRows)];
            MixIndex = new int[sizes.OutputRows * n];
            MixValue = new T[sizes.OutputRows * n];
            MixCount = new int[sizes.OutputRows];
            HiddenRows = new T[sizes.HiddenRows * s];
            Hidden = new T[sizes.Hidden];
            HiddenIndex = new int[sizes.Hidden];
            HiddenValue = new T[sizes.Hidden];
            Accumulator = new T[sizes.Accumulator];
            AccumulatorIndex = new int[sizes.Accumulator];
            AccumulatorValue = new T[sizes.Accumulator];
        }

        internal ScratchSizes Sizes { get; }

        /// <summary>Pad(MaxPositions): the largest stride.</summary>
        public int MaxStride { get; }

        /// <summary>The residual stream, dimension-major: [width, stride].</summary>
        public T[] Residual { get; }

        /// <summary>An attention layer's summed head outputs when its heads cannot add in place: [width, stride].</summary>
        public T[] Delta { get; }

        /// <summary>The last head's logits, key-position-major: <c>Logits[s · stride + p]</c> is query p's logit for key s.</summary>
        public T[] Logits { get; }

        /// <summary>The last head's attention weights, laid out as <see cref="Logits"/>.</summary>
        public T[] Weights { get; }

        internal T[] QueryRows { get; }
        internal T[] Query { get; }
        internal int[] KeyIndex { get; }
        internal T[] KeyValue { get; }
        internal int[] KeyCount { get; }
        internal int[] ListIndex { get; }
        internal T[] ListValue { get; }
        internal int[] ListCount { get; }
        /// <summary>A head's value vectors, one per output dimension: [outputs, stride].</summary>
        public T[] ValueRows { get; }
        internal byte[] Active { get; }
        internal int[] MixIndex { get; }
        internal T[] MixValue { get; }
        internal int[] MixCount { get; }
        internal T[] HiddenRows { get; }
        internal T[] Hidden { get; }
        internal int[] HiddenIndex { get; }
        internal T[] HiddenValue { get; }
        internal T[] Accumulator { get; }
        internal int[] AccumulatorIndex { get; }
        internal T[] AccumulatorValue { get; }
    }
}
