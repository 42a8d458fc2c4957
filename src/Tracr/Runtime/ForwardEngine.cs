using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr.Runtime
{
    /// <summary>The forward pass in one element type: embedding, a <see cref="ForwardProgram{T}"/>'s blocks, decoding.</summary>
    internal sealed class ForwardEngine<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ForwardEngine(ForwardProgram<T> program) { Program = program; }

        public ForwardProgram<T> Program { get; }

        public ModelPlan<T> Plan => Program.Plan;

        public KernelScratch<T> CreateScratch() => new KernelScratch<T>(Plan.Sizes);

        /// <summary>Embedding and every block, in place in the scratch's residual stream; returns the stride.</summary>
        public int Forward(ReadOnlySpan<int> tokenIds, KernelScratch<T> scratch)
        {
            int n = tokenIds.Length, stride = Simd.Pad<T>(n);
            var x = scratch.Residual.AsSpan(0, Plan.Width * stride);
            TransformerKernels.Embed(x, Plan.Width, stride, tokenIds, Plan.TokenEmbedding, Plan.PositionEmbedding);
            Program.RunBlocks(x, stride, n, scratch);
            return stride;
        }

        public void PredictCategorical(ReadOnlySpan<int> tokenIds, Span<int> outputs, KernelScratch<T> scratch)
        {
            int stride = Forward(tokenIds, scratch);
            ReadOnlySpan<T> x = scratch.Residual;
            for (int p = 1; p < tokenIds.Length; p++)
                outputs[p - 1] = TransformerKernels.DecodeCategorical(x, stride, p, Plan.OutputDims);
        }

        public void PredictNumerical(ReadOnlySpan<int> tokenIds, Span<double> outputs, KernelScratch<T> scratch)
        {
            int stride = Forward(tokenIds, scratch);
            ReadOnlySpan<T> x = scratch.Residual;
            int dim = Plan.OutputDims[0];
            for (int p = 1; p < tokenIds.Length; p++)
                outputs[p - 1] = TransformerKernels.DecodeNumerical(x, stride, p, dim);
        }

        /// <summary>The full path: every block adds into a zeroed delta that is then added to the residual, as in the reference.</summary>
        public ModelRun<Value> RunFull(ReadOnlySpan<int> tokenIds)
        {
            int n = tokenIds.Length, width = Plan.Width, stride = Simd.Pad<T>(n);
            var scratch = CreateScratch();
            var x = scratch.Residual.AsSpan(0, width * stride);
            var delta = new T[width * stride];
            TransformerKernels.Embed(x, width, stride, tokenIds, Plan.TokenEmbedding, Plan.PositionEmbedding);
            var residuals = new List<double[,]> { ToPositionMajor(x, n, width, stride) };
            var outputs = new List<double[,]>();
            var names = new List<string>();
            var attention = new List<AttentionPattern>();
            var logits = new T[n * stride];
            var weights = new T[n * stride];
            for (int b = 0; b < Plan.Blocks.Length; b++)
            {
                var block = Plan.Blocks[b];
                Array.Clear(delta);
                if (block is AttentionPlan<T> layer)
                {
                    for (int h = 0; h < layer.Heads.Length; h++)
                    {
                        Program.RunHead(b, h, x, delta, stride, n, scratch, logits, weights);
                        attention.Add(new AttentionPattern(layer.Layer, h, layer.Heads[h].Node, ToQueryMajor(logits, n, stride), ToQueryMajor(weights, n, stride)));
                    }
                }
                else
                {
                    Program.RunMlp(b, x, delta, stride, n, scratch);
                }
                TensorPrimitives.Add<T>(x, delta, x);
                outputs.Add(ToPositionMajor(delta, n, width, stride));
                names.Add(block.Name);
                residuals.Add(ToPositionMajor(x, n, width, stride));
            }

            var decoded = new Value[n - 1];
            for (int p = 1; p < n; p++)
            {
                if (Plan.OutputEncoding == Encoding.Numerical)
                {
                    decoded[p - 1] = Value.FromFloat(TransformerKernels.DecodeNumerical<T>(x, stride, p, Plan.OutputDims[0]));
                }
                else
                {
                    int best = TransformerKernels.DecodeCategorical<T>(x, stride, p, Plan.OutputDims);
                    decoded[p - 1] = best < 0 ? Value.None : Plan.Packed.OutputValues[best];
                }
            }
            return new ModelRun<Value>(decoded, residuals, outputs, names, attention, Plan.Packed.ResidualLabels);
        }

        /// <summary>[position, dimension] from the dimension-major layout.</summary>
        private static double[,] ToPositionMajor(ReadOnlySpan<T> data, int n, int width, int stride)
        {
            var m = new double[n, width];
            for (int d = 0; d < width; d++)
                for (int p = 0; p < n; p++)
                    m[p, d] = double.CreateTruncating(data[d * stride + p]);
            return m;
        }

        /// <summary>[query position, key position] from the key-major layout.</summary>
        private static double[,] ToQueryMajor(ReadOnlySpan<T> data, int n, int stride)
        {
            var m = new double[n, n];
            for (int s = 0; s < n; s++)
                for (int p = 0; p < n; p++)
                    m[p, s] = double.CreateTruncating(data[s * stride + p]);
            return m;
        }
    }
}
