using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr.Runtime
{
    /// <summary>
    /// What a block needs at run time, precomputed once from its <see cref="PackedBlock"/>: the residual
    /// dimensions it reads and writes as <see cref="DimensionMap"/>s and its weights as
    /// <see cref="SparseRows{T}"/> in the element type of the forward pass.
    /// </summary>
    /// <remarks>The dimensions and weights are the packed block's, as <see cref="BlockPruning"/> left them.</remarks>
    internal abstract class BlockPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private protected BlockPlan(int layer, string name)
        {
            Layer = layer;
            Name = name;
        }

        public int Layer { get; }

        /// <summary>"layer 0 attention", "layer 0 mlp", ... as the reference forward pass names blocks.</summary>
        public string Name { get; }
    }

    /// <summary>A weight matrix in the form a block uses it: <see cref="Entries"/> or <see cref="SparseRows"/>, the other null.</summary>
    internal sealed class BlockWeights<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public BlockWeights(Triplets<T>? entries, SparseRows<T>? sparseRows)
        {
            if ((entries is null) == (sparseRows is null)) throw new ArgumentException("Exactly one form is required.");
            Entries = entries;
            SparseRows = sparseRows;
        }

        public Triplets<T>? Entries { get; }
        public SparseRows<T>? SparseRows { get; }
        public WeightForm Form => Entries != null ? WeightForm.Triplets : WeightForm.Rows;
        public int Rows => Entries?.Rows ?? SparseRows!.Rows;
        public int Columns => Entries?.Columns ?? SparseRows!.Columns;

        /// <summary>A packed block's matrix (pruned: every row and column holds a non-zero) in <paramref name="form"/>.</summary>
        public static BlockWeights<T> From(RunMatrix m, WeightForm form, SegmentPolicy? policy) =>
            form == WeightForm.Triplets
                ? new BlockWeights<T>(Triplets<T>.From(m), null)
                : new BlockWeights<T>(null, SparseRows<T>.From(m, null, null, m.Columns, policy));

        /// <summary>The dense matrix as doubles (for tests).</summary>
        public double[,] ToDense() => Entries?.ToDense() ?? SparseRows!.ToDense();
    }

    /// <summary>One attention head (see <see cref="BlockPlan{T}"/>).</summary>
    internal sealed class HeadPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public HeadPlan(string node, bool causal, DimensionMap query, DimensionMap key, DimensionMap value, DimensionMap output,
            BlockWeights<T> queryKey, BlockWeights<T> outputValue)
        {
            if (queryKey.Rows != query.Count || queryKey.Columns != key.Count) throw new ArgumentException("W_QK must be [query dims, key dims].");
            if (outputValue.Rows != value.Count || outputValue.Columns != output.Count) throw new ArgumentException("W_OV must be [value dims, output dims].");
            Node = node;
            Causal = causal;
            Query = query;
            Key = key;
            Value = value;
            Output = output;
            QueryKey = queryKey;
            OutputValue = outputValue;
        }

        public string Node { get; }
        public bool Causal { get; }
        public DimensionMap Query { get; }
        public DimensionMap Key { get; }
        public DimensionMap Value { get; }
        public DimensionMap Output { get; }

        /// <summary>W_QK [query, key] over the kept dimensions.</summary>
        public BlockWeights<T> QueryKey { get; }

        /// <summary>W_OV [value, output] over the kept dimensions.</summary>
        public BlockWeights<T> OutputValue { get; }

        public static HeadPlan<T> From(PackedHead head, int positions, FormSelection selection = FormSelection.Auto, SegmentPolicy? policy = null) =>
            new HeadPlan<T>(head.Node, head.Causal,
                new DimensionMap(head.QueryDims), new DimensionMap(head.KeyDims), new DimensionMap(head.ValueDims), new DimensionMap(head.OutputDims),
                BlockWeights<T>.From(head.QueryKey, FormChoice.Choose(selection, head.QueryKey, positions, Lanes), policy),
                BlockWeights<T>.From(head.OutputValue, FormChoice.Choose(selection, head.OutputValue, positions, Lanes), policy));

        /// <summary>Positions per register in the position kernels (16 floats or 8 doubles with AVX-512).</summary>
        internal static int Lanes => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? System.Runtime.Intrinsics.Vector512<T>.Count
            : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? System.Runtime.Intrinsics.Vector256<T>.Count : 1;
    }

    /// <summary>An attention layer: its heads, and whether they may add straight into the residual stream.</summary>
    internal sealed class AttentionPlan<T> : BlockPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public AttentionPlan(PackedAttention layer, int positions, FormSelection selection = FormSelection.Auto, SegmentPolicy? policy = null)
            : base(layer.Layer, layer.Name)
        {
            Heads = layer.Heads.Select(h => HeadPlan<T>.From(h, positions, selection, policy)).ToArray();
            InPlace = layer.InPlace;
            OutputUnion = layer.OutputUnion;
        }

        public HeadPlan<T>[] Heads { get; }

        /// <summary>Every residual dimension some head writes, ascending.</summary>
        public int[] OutputUnion { get; }

        /// <summary>True when the fast path may accumulate every head's output directly into the residual stream (<see cref="PackedAttention.InPlace"/>).</summary>
        public bool InPlace { get; }
    }

    /// <summary>An MLP (see <see cref="BlockPlan{T}"/>): <c>relu(x[Input] · W1) · W2</c> added at <see cref="Output"/>.</summary>
    internal sealed class MlpPlan<T> : BlockPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public MlpPlan(int layer, string[] nodes, DimensionMap input, BlockWeights<T> w1, BlockWeights<T> w2, DimensionMap output, int compiledHiddenSize)
            : base(layer, $"layer {layer} mlp")
        {
            if (w1.Rows != input.Count || w2.Rows != w1.Columns || w2.Columns != output.Count)
                throw new ArgumentException("MLP shapes must be W1 [input, hidden], W2 [hidden, output].");
            if (w1.Form != w2.Form) throw new ArgumentException("W1 and W2 must have the same form (the hidden layer is stored per form).");
            Nodes = nodes;
            Input = input;
            W1 = w1;
            W2 = w2;
            Output = output;
            CompiledHiddenSize = compiledHiddenSize;
        }

        public string[] Nodes { get; }
        public DimensionMap Input { get; }
        public BlockWeights<T> W1 { get; }
        public BlockWeights<T> W2 { get; }
        public DimensionMap Output { get; }
        public WeightForm Form => W1.Form;

        /// <summary>Kept hidden neurons.</summary>
        public int HiddenSize => W1.Columns;

        /// <summary>Hidden neurons of the compiled MLP, before pruning (<see cref="PackedMlp.CompiledHiddenSize"/>).</summary>
        public int CompiledHiddenSize { get; }

        public static MlpPlan<T> From(PackedMlp mlp, int positions, FormSelection selection = FormSelection.Auto, SegmentPolicy? policy = null)
        {
            var form = FormChoice.ChooseMlp(selection, mlp, positions, HeadPlan<T>.Lanes, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
            return new MlpPlan<T>(mlp.Layer, mlp.Nodes, new DimensionMap(mlp.InputDims),
                BlockWeights<T>.From(mlp.W1, form, policy), BlockWeights<T>.From(mlp.W2, form, policy),
                new DimensionMap(mlp.OutputDims), mlp.CompiledHiddenSize);
        }
    }
}
