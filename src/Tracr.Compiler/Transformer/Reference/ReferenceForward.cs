using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Transformer
{
    /// <summary>
    /// The reference forward pass, written for clarity over speed: dense per-position vectors,
    /// each block gathering the residual dimensions it reads and scattering what it writes.
    /// </summary>
    internal static class ReferenceForward
    {
        public static ModelRun<Value> Run(AssembledTransformer model, IReadOnlyList<int> tokenIds)
        {
            int n = tokenIds.Count; // includes BOS at position 0
            int width = model.Width;
            var x = new double[n, width];
            for (int p = 0; p < n; p++)
                for (int d = 0; d < width; d++)
                    x[p, d] = model.TokenEmbedding[tokenIds[p], d] + model.PositionEmbedding[p, d];

            var residuals = new List<double[,]> { (double[,])x.Clone() };
            var outputs = new List<double[,]>();
            var names = new List<string>();
            var attention = new List<AttentionPattern>();

            for (int l = 0; l < model.Layers.Count; l++)
            {
                var layer = model.Layers[l];
                if (layer.Heads.Count > 0)
                {
                    var delta = new double[n, width];
                    for (int h = 0; h < layer.Heads.Count; h++)
                        attention.Add(ApplyHead(layer.Heads[h], x, delta, n, l, h));
                    Add(x, delta);
                    outputs.Add(delta);
                    names.Add($"layer {l} attention");
                    residuals.Add((double[,])x.Clone());
                }
                if (layer.Mlp != null)
                {
                    var delta = ApplyMlp(layer.Mlp, x, n, width);
                    Add(x, delta);
                    outputs.Add(delta);
                    names.Add($"layer {l} mlp");
                    residuals.Add((double[,])x.Clone());
                }
            }

            var decoded = new Value[n - 1];
            for (int p = 1; p < n; p++) decoded[p - 1] = Decode(model, x, p);
            return new ModelRun<Value>(decoded, residuals, outputs, names, attention, model.ResidualLabels);
        }

        private static AttentionPattern ApplyHead(HeadWeights head, double[,] x, double[,] delta, int n, int layer, int index)
        {
            int nq = head.QueryIndices.Length, nk = head.KeyIndices.Length;
            // q[p] = x[p, Q] · W_QK (in key coordinates); k[p] = x[p, K].
            var q = new double[n, nk];
            for (int p = 0; p < n; p++)
                for (int i = 0; i < nq; i++)
                {
                    double xv = x[p, head.QueryIndices[i]];
                    if (xv == 0) continue;
                    for (int j = 0; j < nk; j++) q[p, j] += xv * head.WQK[i, j];
                }
            var logits = new double[n, n];
            var weights = new double[n, n];
            for (int p = 0; p < n; p++)
            {
                double max = double.NegativeInfinity;
                for (int s = 0; s < n; s++)
                {
                    double logit;
                    if (head.Causal && s > p)
                    {
                        logit = double.NegativeInfinity;
                    }
                    else
                    {
                        logit = 0;
                        for (int j = 0; j < nk; j++) logit += q[p, j] * x[s, head.KeyIndices[j]];
                    }
                    logits[p, s] = logit;
                    max = Math.Max(max, logit);
                }
                double sum = 0;
                for (int s = 0; s < n; s++) sum += weights[p, s] = Math.Exp(logits[p, s] - max);
                for (int s = 0; s < n; s++) weights[p, s] /= sum;
            }
            // v[s] = x[s, V] · W_OV; out[p] = sum_s w[p, s] v[s], written at the output dimensions.
            int nv = head.ValueIndices.Length, no = head.OutputIndices.Length;
            var v = new double[n, no];
            for (int s = 0; s < n; s++)
                for (int i = 0; i < nv; i++)
                {
                    double xv = x[s, head.ValueIndices[i]];
                    if (xv == 0) continue;
                    for (int j = 0; j < no; j++) v[s, j] += xv * head.WOV[i, j];
                }
            for (int p = 0; p < n; p++)
                for (int s = 0; s < n; s++)
                {
                    double w = weights[p, s];
                    if (w == 0) continue;
                    for (int j = 0; j < no; j++) delta[p, head.OutputIndices[j]] += w * v[s, j];
                }
            return new AttentionPattern(layer, index, head.Node, logits, weights);
        }

        private static double[,] ApplyMlp(MlpWeights mlp, double[,] x, int n, int width)
        {
            var delta = new double[n, width];
            int nin = mlp.InputIndices.Length, nh = mlp.HiddenSize, no = mlp.OutputIndices.Length;
            var hidden = new double[nh];
            for (int p = 0; p < n; p++)
            {
                Array.Clear(hidden, 0, nh);
                for (int i = 0; i < nin; i++)
                {
                    double xv = x[p, mlp.InputIndices[i]];
                    if (xv == 0) continue;
                    for (int h = 0; h < nh; h++) hidden[h] += xv * mlp.W1[i, h];
                }
                for (int h = 0; h < nh; h++)
                {
                    double a = Math.Max(0, hidden[h]);
                    if (a == 0) continue;
                    for (int j = 0; j < no; j++) delta[p, mlp.OutputIndices[j]] += a * mlp.W2[h, j];
                }
            }
            return delta;
        }

        private static void Add(double[,] x, double[,] delta)
        {
            int n = x.GetLength(0), w = x.GetLength(1);
            for (int p = 0; p < n; p++)
                for (int d = 0; d < w; d++)
                    x[p, d] += delta[p, d];
        }

        /// <summary>Reads the output node's subspace at one position.</summary>
        public static Value Decode(AssembledTransformer model, double[,] x, int position)
        {
            if (model.OutputEncoding == Encoding.Numerical) return Value.FromFloat(x[position, model.OutputIndices[0]]);
            int best = -1;
            double bestValue = double.NegativeInfinity;
            for (int i = 0; i < model.OutputIndices.Length; i++)
            {
                double v = x[position, model.OutputIndices[i]];
                if (v > bestValue)
                {
                    bestValue = v;
                    best = i;
                }
            }
            return best < 0 || bestValue < 0.5 ? Value.None : model.OutputValues[best];
        }
    }
}
