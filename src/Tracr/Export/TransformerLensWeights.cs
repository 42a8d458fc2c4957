using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr.Export
{
    /// <summary>One exported parameter: a TransformerLens name, a row-major shape, and its values made on demand.</summary>
    /// <remarks>
    /// Values are produced only when a writer asks (<see cref="ToArray"/>), one tensor at a time, so exporting a
    /// large model never holds more than its largest tensor densely.
    /// </remarks>
    public sealed class ExportTensor
    {
        private readonly Action<double[]> _fill;

        internal ExportTensor(string name, int[] shape, Action<double[]> fill)
        {
            Name = name;
            Shape = shape;
            _fill = fill;
        }

        /// <summary>TransformerLens's state-dict name (<c>embed.W_E</c>, <c>blocks.0.attn.W_Q</c>, ...).</summary>
        public string Name { get; }

        public int[] Shape { get; }

        public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

        /// <summary>The dense values, row-major.</summary>
        public double[] ToArray()
        {
            var data = new double[ElementCount];
            _fill(data);
            return data;
        }
    }

    /// <summary>
    /// A compiled model in TransformerLens's <c>HookedTransformer</c> layout: every layer holds an attention
    /// layer of <see cref="HeadCount"/> heads and an MLP of width <see cref="MlpWidth"/>, with no layer norm.
    /// Both exports (safetensors for TransformerLens, ONNX) are written from this one view of a <see cref="PackedModel"/>.
    /// </summary>
    /// <remarks>
    /// How a head's W_QK and W_OV become Q/K/V/O is Tracr's assemble.py: W_Q = scatter(query dims) · W_QK,
    /// W_K = the identity onto the key dims, W_V = scatter(value dims) · W_OV, W_O = the identity onto the
    /// output dims; missing heads, and the attention or MLP of a layer that has none, are zero.
    /// TransformerLens divides logits by <c>attn_scale</c> (<c>sqrt(d_head)</c> by default) but this model's
    /// heads do not, so <see cref="AttentionScale"/> is folded into W_Q: the default configuration gives
    /// exactly this model's logits (docs/export.md).
    /// </remarks>
    public sealed class TransformerLensWeights
    {
        private TransformerLensWeights(PackedModel packed)
        {
            Packed = packed;
            var heads = packed.Blocks.OfType<PackedAttention>().SelectMany(a => a.Heads).ToArray();
            var causal = heads.Select(h => h.Causal).Distinct().ToArray();
            if (causal.Length > 1)
                throw new NotSupportedException(
                    "TransformerLens has one attention direction per model, but heads " +
                    string.Join(", ", heads.Where(h => h.Causal).Select(h => h.Node)) + " are causal and " +
                    string.Join(", ", heads.Where(h => !h.Causal).Select(h => h.Node)) + " are not.");
            Causal = causal.Length == 1 && causal[0];
            LayerCount = Math.Max(1, packed.LayerCount);
            HeadCount = Math.Max(1, packed.Blocks.OfType<PackedAttention>().Select(a => a.Heads.Length).DefaultIfEmpty(0).Max());
            HeadSize = Math.Max(1, heads.Select(h => Math.Max(h.KeyDims.Length, h.OutputDims.Length)).DefaultIfEmpty(0).Max());
            MlpWidth = Math.Max(1, packed.Blocks.OfType<PackedMlp>().Select(m => m.HiddenSize).DefaultIfEmpty(0).Max());
            AttentionScale = Math.Sqrt(HeadSize);
            var attention = new PackedAttention?[LayerCount];
            var mlps = new PackedMlp?[LayerCount];
            var hooks = new List<string> { "blocks.0.hook_resid_pre" };
            foreach (var block in packed.Blocks)
            {
                if (block is PackedAttention a)
                {
                    attention[a.Layer] = a;
                    hooks.Add($"blocks.{a.Layer}.hook_resid_mid");
                }
                else if (block is PackedMlp m)
                {
                    mlps[m.Layer] = m;
                    hooks.Add($"blocks.{m.Layer}.hook_resid_post");
                }
            }
            Attention = attention;
            Mlps = mlps;
            ResidualHooks = hooks;
            Tensors = BuildTensors();
        }

        /// <summary>The TransformerLens view of <paramref name="packed"/>.</summary>
        /// <exception cref="NotSupportedException">Some heads are causal and others not (TransformerLens has one attention direction per model).</exception>
        public static TransformerLensWeights From(PackedModel packed) =>
            new TransformerLensWeights(packed ?? throw new ArgumentNullException(nameof(packed)));

        /// <summary>The packed weights the view reads.</summary>
        public PackedModel Packed { get; }

        /// <summary>n_layers (at least 1).</summary>
        public int LayerCount { get; }

        /// <summary>n_heads: the most heads of any layer (at least 1).</summary>
        public int HeadCount { get; }

        /// <summary>d_head: the most key or output dimensions of any head (at least 1).</summary>
        public int HeadSize { get; }

        /// <summary>d_mlp: the widest MLP (at least 1).</summary>
        public int MlpWidth { get; }

        /// <summary>d_model.</summary>
        public int Width => Packed.Width;

        /// <summary>d_vocab: the user vocab, BOS, PAD.</summary>
        public int VocabSize => Packed.Tokens.Length;

        /// <summary>d_vocab_out: one logit per output dimension (1 for a numerical output).</summary>
        public int OutputSize => Packed.OutputDims.Length;

        /// <summary>n_ctx: max_seq_len + 1 (BOS).</summary>
        public int Context => Packed.MaxPositions;

        /// <summary>attention_dir "causal" when true.</summary>
        public bool Causal { get; }

        /// <summary>TransformerLens's attn_scale (its default, sqrt(d_head)); W_Q is multiplied by it.</summary>
        public double AttentionScale { get; }

        /// <summary>The attention layer of each TransformerLens layer, or null where the model has none (exported as zeros).</summary>
        public IReadOnlyList<PackedAttention?> Attention { get; }

        /// <summary>The MLP of each TransformerLens layer, or null where the model has none (exported as zeros).</summary>
        public IReadOnlyList<PackedMlp?> Mlps { get; }

        /// <summary>
        /// The TransformerLens hook holding each of the model's residuals: [0] <c>blocks.0.hook_resid_pre</c> (the
        /// embedding), then after every block <c>blocks.{l}.hook_resid_mid</c> (attention) or <c>hook_resid_post</c> (MLP).
        /// Aligned with <see cref="ModelRun{TOutput}.Residuals"/>.
        /// </summary>
        public IReadOnlyList<string> ResidualHooks { get; }

        /// <summary>Every parameter of the HookedTransformer state dict, in TransformerLens's order.</summary>
        public IReadOnlyList<ExportTensor> Tensors { get; }

        private List<ExportTensor> BuildTensors()
        {
            int d = Width, h = HeadCount, k = HeadSize, m = MlpWidth;
            var t = new List<ExportTensor>
            {
                new ExportTensor("embed.W_E", new[] { VocabSize, d }, a => Scatter(Packed.TokenEmbedding, a, (r, c) => (long)r * d + c, 1)),
                new ExportTensor("pos_embed.W_pos", new[] { Context, d }, a => Scatter(Packed.PositionEmbedding, a, (r, c) => (long)r * d + c, 1)),
            };
            for (int l = 0; l < LayerCount; l++)
            {
                var attn = Attention[l];
                var mlp = Mlps[l];
                string p = $"blocks.{l}.";
                t.Add(new ExportTensor(p + "attn.W_Q", new[] { h, d, k }, a => ForHeads(attn, (i, hd) =>
                    Scatter(hd.QueryKey, a, (r, c) => ((long)i * d + hd.QueryDims[r]) * k + c, AttentionScale))));
                t.Add(new ExportTensor(p + "attn.W_K", new[] { h, d, k }, a => ForHeads(attn, (i, hd) =>
                {
                    for (int j = 0; j < hd.KeyDims.Length; j++) a[((long)i * d + hd.KeyDims[j]) * k + j] = 1;
                })));
                t.Add(new ExportTensor(p + "attn.W_V", new[] { h, d, k }, a => ForHeads(attn, (i, hd) =>
                    Scatter(hd.OutputValue, a, (r, c) => ((long)i * d + hd.ValueDims[r]) * k + c, 1))));
                t.Add(new ExportTensor(p + "attn.W_O", new[] { h, k, d }, a => ForHeads(attn, (i, hd) =>
                {
                    for (int j = 0; j < hd.OutputDims.Length; j++) a[((long)i * k + j) * d + hd.OutputDims[j]] = 1;
                })));
                t.Add(new ExportTensor(p + "attn.b_Q", new[] { h, k }, Zero));
                t.Add(new ExportTensor(p + "attn.b_K", new[] { h, k }, Zero));
                t.Add(new ExportTensor(p + "attn.b_V", new[] { h, k }, Zero));
                t.Add(new ExportTensor(p + "attn.b_O", new[] { d }, Zero));
                t.Add(new ExportTensor(p + "mlp.W_in", new[] { d, m }, a =>
                {
                    if (mlp != null) Scatter(mlp.W1, a, (r, c) => (long)mlp.InputDims[r] * m + c, 1);
                }));
                t.Add(new ExportTensor(p + "mlp.b_in", new[] { m }, Zero));
                t.Add(new ExportTensor(p + "mlp.W_out", new[] { m, d }, a =>
                {
                    if (mlp != null) Scatter(mlp.W2, a, (r, c) => (long)r * d + mlp.OutputDims[c], 1);
                }));
                t.Add(new ExportTensor(p + "mlp.b_out", new[] { d }, Zero));
            }
            t.Add(new ExportTensor("unembed.W_U", new[] { d, OutputSize }, a =>
            {
                for (int j = 0; j < OutputSize; j++) a[(long)Packed.OutputDims[j] * OutputSize + j] = 1;
            }));
            t.Add(new ExportTensor("unembed.b_U", new[] { OutputSize }, Zero));
            return t;
        }

        private static void Zero(double[] a) { }

        private static void ForHeads(PackedAttention? attention, Action<int, PackedHead> write)
        {
            if (attention == null) return;
            for (int i = 0; i < attention.Heads.Length; i++) write(i, attention.Heads[i]);
        }

        /// <summary>Writes every non-zero of <paramref name="m"/> times <paramref name="scale"/> at <paramref name="index"/>(row, column).</summary>
        private static void Scatter(RunMatrix m, double[] a, Func<int, int, long> index, double scale)
        {
            for (int r = 0; r < m.Rows; r++)
                for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                    for (int c = m.RunColumn[i]; c < m.RunColumn[i] + m.RunLength[i]; c++)
                        a[index(r, c)] = m.RunValue[i] * scale;
        }
    }
}
