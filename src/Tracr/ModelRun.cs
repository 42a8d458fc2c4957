using System.Collections.Generic;
using Tracr.Transformer;

namespace Tracr
{
    /// <summary>One run of a typed model: decoded outputs plus everything the transformer computed.</summary>
    public sealed class ModelRun<TOutput>
    {
        internal ModelRun(TOutput[] outputs, ModelRun details, IReadOnlyList<string> residualLabels)
        {
            Outputs = outputs;
            Details = details;
            ResidualLabels = residualLabels;
        }

        /// <summary>The decoded output at each input position (BOS removed).</summary>
        public TOutput[] Outputs { get; }

        /// <summary>[0] the embedding, then the residual stream after each block; each [position (0 = BOS), residual dimension].</summary>
        public IReadOnlyList<double[,]> Residuals => Details.Residuals;

        /// <summary>What each block (attention layer or MLP) added to the residual stream, named by <see cref="BlockNames"/>.</summary>
        public IReadOnlyList<double[,]> LayerOutputs => Details.BlockOutputs;

        /// <summary>"layer 0 attention", "layer 0 mlp", ...</summary>
        public IReadOnlyList<string> BlockNames => Details.BlockNames;

        /// <summary>Every head's attention logits and weights, [query position, key position] with BOS at 0.</summary>
        public IReadOnlyList<HeadAttention> Attention => Details.Attention;

        /// <summary>The name of each residual dimension (the columns of <see cref="Residuals"/>).</summary>
        public IReadOnlyList<string> ResidualLabels { get; }

        /// <summary>The untyped run (outputs as RASP values).</summary>
        public ModelRun Details { get; }
    }
}
