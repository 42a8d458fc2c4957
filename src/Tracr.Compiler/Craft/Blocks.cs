using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Craft
{
    /// <summary>A craft block: what one RASP node compiles to, acting on named subspaces.</summary>
    abstract partial class CraftBlock
    {
        /// <summary>Every direction the block reads or writes.</summary>
        public abstract VectorSpace ResidualSpace { get; }
    }

    /// <summary>
    /// One attention head. Logits are <c>q · W_QK · kᵀ</c> (query on the left), the head writes
    /// <c>softmax(logits) · (x · W_OV)</c>. Causal heads mask keys after the query.
    /// </summary>
    sealed partial class AttentionHead : CraftBlock
    {
        public AttentionHead(ScalarBilinear wQK, Linear wOV, bool causal, string node)
        {
            WQK = wQK;
            WOV = wOV;
            Causal = causal;
            Node = node;
        }

        public ScalarBilinear WQK { get; }
        public Linear WOV { get; }
        public bool Causal { get; }

        /// <summary>The label of the RASP node this head computes.</summary>
        public string Node { get; }

        public override VectorSpace ResidualSpace =>
            VectorSpace.Join(WQK.LeftSpace, WQK.RightSpace, WOV.InputSpace, WOV.OutputSpace);
    }

    /// <summary>A ReLU MLP: <c>relu(x · Fst) · Snd</c>.</summary>
    sealed partial class Mlp : CraftBlock
    {
        public Mlp(Linear fst, Linear snd, IReadOnlyList<string> nodes)
        {
            if (!fst.OutputSpace.Equals(snd.InputSpace))
                throw new ArgumentException("An MLP's hidden spaces must match.");
            Fst = fst;
            Snd = snd;
            Nodes = nodes;
        }

        public Linear Fst { get; }
        public Linear Snd { get; }

        /// <summary>The labels of the RASP nodes this MLP computes (several once MLPs are combined in parallel).</summary>
        public IReadOnlyList<string> Nodes { get; }

        public int HiddenSize => Fst.OutputSpace.Dimensions;

        public override VectorSpace ResidualSpace => VectorSpace.Join(Fst.InputSpace, Snd.OutputSpace);

        /// <summary>Runs MLPs side by side as one MLP (Tracr's <c>MLP.combine_in_parallel</c>).</summary>
        public static Mlp CombineInParallel(IReadOnlyList<Mlp> mlps) =>
            new Mlp(Linear.CombineInParallel(mlps.Select(m => m.Fst).ToList()),
                Linear.CombineInParallel(mlps.Select(m => m.Snd).ToList()),
                mlps.SelectMany(m => m.Nodes).Distinct().ToList());
    }

    /// <summary>An attention head followed by an MLP, both for one node (SelectorWidth compiles to this).</summary>
    sealed partial class AttentionThenMlp : CraftBlock
    {
        public AttentionThenMlp(AttentionHead attention, Mlp mlp)
        {
            Attention = attention;
            Mlp = mlp;
        }

        public AttentionHead Attention { get; }
        public Mlp Mlp { get; }
        public override VectorSpace ResidualSpace => VectorSpace.Join(Attention.ResidualSpace, Mlp.ResidualSpace);
    }

    /// <summary>A half layer of the compiled model: all attention heads of one layer, or its one (combined) MLP.</summary>
    abstract partial class CraftLayer
    {
        protected CraftLayer(int halfLayer) { HalfLayer = halfLayer; }

        /// <summary>Position in the attention/MLP alternation: even = attention, odd = MLP.</summary>
        public int HalfLayer { get; }

        /// <summary>The transformer layer this half layer belongs to.</summary>
        public int Layer => HalfLayer / 2;

        public abstract IReadOnlyList<string> Nodes { get; }
    }

    sealed partial class AttentionLayer : CraftLayer
    {
        public AttentionLayer(int halfLayer, IReadOnlyList<AttentionHead> heads) : base(halfLayer) { Heads = heads; }
        public IReadOnlyList<AttentionHead> Heads { get; }
        public override IReadOnlyList<string> Nodes => Heads.Select(h => h.Node).ToList();
    }

    sealed partial class MlpLayer : CraftLayer
    {
        public MlpLayer(int halfLayer, Mlp mlp) : base(halfLayer) { Mlp = mlp; }
        public Mlp Mlp { get; }
        public override IReadOnlyList<string> Nodes => Mlp.Nodes;
    }

    /// <summary>The craft model: layers in execution order over one residual space (Tracr's <c>SeriesWithResiduals</c>).</summary>
    sealed partial class CraftModel
    {
        public CraftModel(IReadOnlyList<CraftLayer> layers, VectorSpace residualSpace)
        {
            Layers = layers;
            ResidualSpace = residualSpace;
        }

        public IReadOnlyList<CraftLayer> Layers { get; }
        public VectorSpace ResidualSpace { get; }
    }
}
