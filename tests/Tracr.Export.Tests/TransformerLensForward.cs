using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace Tracr.Export.Tests
{
    /// <summary>
    /// TransformerLens's HookedTransformer forward pass (components/embed.py, pos_embed.py, abstract_attention.py,
    /// mlps/mlp.py, unembed.py, with normalization_type None and act_fn relu), written from the file's tensors and
    /// config alone, independently of the model's own forward pass. Returns every hook it passes, by name.
    /// </summary>
    public sealed class TransformerLensForward
    {
        private readonly Dictionary<string, SafetensorsTensor> _tensors;
        private readonly int _layers, _d, _heads, _dHead, _dMlp, _vocabOut;
        private readonly double _attnScale;
        private readonly bool _causal;

        public TransformerLensForward(IReadOnlyDictionary<string, string> metadata, IReadOnlyList<SafetensorsTensor> tensors)
        {
            _tensors = tensors.ToDictionary(t => t.Name);
            using var config = JsonDocument.Parse(metadata["transformer_lens_config"]);
            var c = config.RootElement;
            _layers = c.GetProperty("n_layers").GetInt32();
            _d = c.GetProperty("d_model").GetInt32();
            _heads = c.GetProperty("n_heads").GetInt32();
            _dHead = c.GetProperty("d_head").GetInt32();
            _dMlp = c.GetProperty("d_mlp").GetInt32();
            _vocabOut = c.GetProperty("d_vocab_out").GetInt32();
            // HookedTransformerConfig: attn_scale = sqrt(d_head) unless given; use_attn_scale False means 1.
            _attnScale = !c.GetProperty("use_attn_scale").GetBoolean() ? 1 : c.TryGetProperty("attn_scale", out var s) ? s.GetDouble() : Math.Sqrt(_dHead);
            _causal = c.GetProperty("attention_dir").GetString() == "causal";
        }

        public Dictionary<string, double[,]> Run(int[] tokens)
        {
            int n = tokens.Length;
            var hooks = new Dictionary<string, double[,]>(StringComparer.Ordinal);
            var WE = T("embed.W_E");
            var Wpos = T("pos_embed.W_pos");
            var x = new double[n, _d];
            for (int p = 0; p < n; p++)
                for (int i = 0; i < _d; i++)
                    x[p, i] = WE[tokens[p] * _d + i] + Wpos[p * _d + i];
            for (int l = 0; l < _layers; l++)
            {
                string b = $"blocks.{l}.";
                hooks[b + "hook_resid_pre"] = (double[,])x.Clone();
                var (attnOut, pattern) = Attention(b + "attn.", x, n);
                hooks[b + "attn.hook_pattern"] = pattern;
                Add(x, attnOut);
                hooks[b + "hook_resid_mid"] = (double[,])x.Clone();
                Add(x, Mlp(b + "mlp.", x, n));
                hooks[b + "hook_resid_post"] = (double[,])x.Clone();
            }
            var WU = T("unembed.W_U");
            var bU = T("unembed.b_U");
            var logits = new double[n, _vocabOut];
            for (int p = 0; p < n; p++)
                for (int o = 0; o < _vocabOut; o++)
                {
                    double sum = bU[o];
                    for (int i = 0; i < _d; i++) sum += x[p, i] * WU[i * _vocabOut + o];
                    logits[p, o] = sum;
                }
            hooks["logits"] = logits;
            return hooks;
        }

        private (double[,] Out, double[,] Pattern) Attention(string prefix, double[,] x, int n)
        {
            double[] WQ = T(prefix + "W_Q"), WK = T(prefix + "W_K"), WV = T(prefix + "W_V"), WO = T(prefix + "W_O");
            double[] bQ = T(prefix + "b_Q"), bK = T(prefix + "b_K"), bV = T(prefix + "b_V"), bO = T(prefix + "b_O");
            var output = new double[n, _d];
            // Patterns of all heads stacked [head * n + query, key].
            var patterns = new double[_heads * n, n];
            for (int h = 0; h < _heads; h++)
            {
                var q = Project(x, n, WQ, bQ, h);
                var k = Project(x, n, WK, bK, h);
                var v = Project(x, n, WV, bV, h);
                var z = new double[n, _dHead];
                for (int p = 0; p < n; p++)
                {
                    var scores = new double[n];
                    double max = double.NegativeInfinity;
                    for (int s = 0; s < n; s++)
                    {
                        double dot = 0;
                        for (int e = 0; e < _dHead; e++) dot += q[p, e] * k[s, e];
                        scores[s] = _causal && s > p ? double.NegativeInfinity : dot / _attnScale;
                        max = Math.Max(max, scores[s]);
                    }
                    double sum = 0;
                    for (int s = 0; s < n; s++) sum += scores[s] = Math.Exp(scores[s] - max);
                    for (int s = 0; s < n; s++)
                    {
                        double w = scores[s] / sum;
                        patterns[h * n + p, s] = w;
                        for (int e = 0; e < _dHead; e++) z[p, e] += w * v[s, e];
                    }
                }
                for (int p = 0; p < n; p++)
                    for (int e = 0; e < _dHead; e++)
                    {
                        double ze = z[p, e];
                        if (ze == 0) continue;
                        for (int i = 0; i < _d; i++) output[p, i] += ze * WO[(h * _dHead + e) * _d + i];
                    }
            }
            for (int p = 0; p < n; p++)
                for (int i = 0; i < _d; i++) output[p, i] += bO[i];
            return (output, patterns);
        }

        /// <summary>x @ W[h] + b[h] for W [n_heads, d_model, d_head], b [n_heads, d_head].</summary>
        private double[,] Project(double[,] x, int n, double[] W, double[] b, int h)
        {
            var r = new double[n, _dHead];
            for (int p = 0; p < n; p++)
                for (int e = 0; e < _dHead; e++)
                {
                    double sum = b[h * _dHead + e];
                    for (int i = 0; i < _d; i++) sum += x[p, i] * W[(h * _d + i) * _dHead + e];
                    r[p, e] = sum;
                }
            return r;
        }

        private double[,] Mlp(string prefix, double[,] x, int n)
        {
            double[] Win = T(prefix + "W_in"), bin = T(prefix + "b_in"), Wout = T(prefix + "W_out"), bout = T(prefix + "b_out");
            var output = new double[n, _d];
            var post = new double[_dMlp];
            for (int p = 0; p < n; p++)
            {
                for (int j = 0; j < _dMlp; j++)
                {
                    double pre = bin[j];
                    for (int i = 0; i < _d; i++) pre += x[p, i] * Win[i * _dMlp + j];
                    post[j] = Math.Max(0, pre);
                }
                for (int i = 0; i < _d; i++)
                {
                    double sum = bout[i];
                    for (int j = 0; j < _dMlp; j++) sum += post[j] * Wout[j * _d + i];
                    output[p, i] = sum;
                }
            }
            return output;
        }

        private double[] T(string name) =>
            _tensors.TryGetValue(name, out var t) ? t.Values : throw new KeyNotFoundException($"The export has no tensor '{name}'.");

        private static void Add(double[,] x, double[,] y)
        {
            for (int p = 0; p < x.GetLength(0); p++)
                for (int i = 0; i < x.GetLength(1); i++) x[p, i] += y[p, i];
        }
    }
}
