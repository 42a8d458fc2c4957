using System;
using System.Collections.Generic;

namespace Tracr
{
    /// <summary>
    /// One run of a compiled model (Tracr's <c>AssembledTransformerModelOutput</c>): the decoded outputs plus
    /// everything the transformer computed on the way. The same type on both paths:
    /// <c>CompiledModel.Apply</c> returns a <c>ModelRun&lt;Value&gt;</c> (the reference forward pass), a typed
    /// model's <c>Apply</c> (generated, or <c>CompiledTransformer.From</c>) a <c>ModelRun&lt;TOutput&gt;</c>.
    /// </summary>
    /// <typeparam name="TOutput">The decoded output's type: <see cref="Value"/> for models compiled at run time.</typeparam>
    sealed partial class ModelRun<TOutput>
    {
        internal ModelRun(TOutput[] outputs, IReadOnlyList<double[,]> residuals, IReadOnlyList<double[,]> layerOutputs,
            IReadOnlyList<string> layerNames, IReadOnlyList<AttentionPattern> attention, IReadOnlyList<string> residualLabels)
        {
            Outputs = outputs;
            Residuals = residuals;
            LayerOutputs = layerOutputs;
            LayerNames = layerNames;
            Attention = attention;
            ResidualLabels = residualLabels;
        }

        /// <summary>
        /// The decoded output at each input position (BOS removed): for a categorical output the value of the
        /// largest output dimension (None, or null for a typed model, when it is below 0.5), for a numerical one its value.
        /// </summary>
        public TOutput[] Outputs { get; }

        /// <summary>[0] the embedded input, [i + 1] the residual stream after layer i; each [position (0 = BOS), residual dimension].</summary>
        public IReadOnlyList<double[,]> Residuals { get; }

        /// <summary>What each layer (an attention layer or an MLP, as in Tracr's <c>layer_outputs</c>) added to the residual stream, [position, residual dimension].</summary>
        public IReadOnlyList<double[,]> LayerOutputs { get; }

        /// <summary>"layer 0 attention", "layer 0 mlp", ... naming <see cref="LayerOutputs"/>.</summary>
        public IReadOnlyList<string> LayerNames { get; }

        /// <summary>Every head's attention logits and weights, in layer then head order.</summary>
        public IReadOnlyList<AttentionPattern> Attention { get; }

        /// <summary>The name of each residual dimension (the columns of <see cref="Residuals"/> and <see cref="LayerOutputs"/>).</summary>
        public IReadOnlyList<string> ResidualLabels { get; }

        /// <summary>The same run with outputs decoded into another type (a typed model retypes its engine's run).</summary>
        internal ModelRun<TOther> WithOutputs<TOther>(TOther[] outputs)
        {
            if (outputs.Length != Outputs.Length) throw new ArgumentException($"{outputs.Length} outputs for a run over {Outputs.Length} positions.", nameof(outputs));
            return new ModelRun<TOther>(outputs, Residuals, LayerOutputs, LayerNames, Attention, ResidualLabels);
        }
    }

    /// <summary>
    /// The attention pattern of one head on one input (Tracr's <c>attn_logits</c> and their softmax):
    /// [query position, key position], row and column 0 = BOS.
    /// </summary>
    sealed partial class AttentionPattern
    {
        internal AttentionPattern(int layer, int head, string node, double[,] logits, double[,] weights)
        {
            Layer = layer;
            Head = head;
            Node = node;
            Logits = logits;
            Weights = weights;
        }

        /// <summary>The layer the head is in.</summary>
        public int Layer { get; }

        /// <summary>The head's index within its layer.</summary>
        public int Head { get; }

        /// <summary>The label of the program node the head computes (e.g. <c>aggregate_3</c>).</summary>
        public string Node { get; }

        /// <summary>Query-key scores before the softmax (−∞ where a causal mask hides the key).</summary>
        public double[,] Logits { get; }

        /// <summary>The softmax of <see cref="Logits"/> over keys: each row sums to 1.</summary>
        public double[,] Weights { get; }
    }
}
