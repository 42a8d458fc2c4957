using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Tracr.Transformer;

namespace Tracr.Export
{
    /// <summary>
    /// Writes a <see cref="TransformerLensWeights"/> as a safetensors file that TransformerLens loads:
    /// the state dict of a <c>HookedTransformer</c>, plus string metadata (the
    /// <c>HookedTransformerConfig</c> as JSON, the residual labels, the tokens, the output values and the hook of
    /// every residual) so the file alone says how to build the model and read it.
    /// </summary>
    internal static class TransformerLensExport
    {
        public static void Write(TransformerLensWeights w, Stream stream, TensorPrecision precision) =>
            Safetensors.Write(stream, w.Tensors, Metadata(w, precision), precision);

        public static Dictionary<string, string> Metadata(TransformerLensWeights w, TensorPrecision precision) => new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["producer"] = "Tracr.Generators",
            ["transformer_lens_config"] = Config(w, precision),
            ["residual_labels"] = JsonArray(w.Packed.ResidualLabels),
            ["tokens"] = JsonArray(w.Packed.Tokens.Select(t => t.Repr())),
            ["bos_token"] = w.Packed.BosToken.ToString(CultureInfo.InvariantCulture),
            ["pad_token"] = w.Packed.PadToken.ToString(CultureInfo.InvariantCulture),
            ["output_encoding"] = w.Packed.OutputEncoding == Encoding.Numerical ? "numerical" : "categorical",
            ["output_values"] = JsonArray(w.Packed.OutputValues.Select(v => v.Repr())),
            ["residual_hooks"] = JsonArray(w.ResidualHooks),
        };

        /// <summary>The keyword arguments of <c>HookedTransformerConfig(**config)</c>.</summary>
        public static string Config(TransformerLensWeights w, TensorPrecision precision)
        {
            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteNumber("n_layers", w.LayerCount);
                json.WriteNumber("d_model", w.Width);
                json.WriteNumber("n_ctx", w.Context);
                json.WriteNumber("d_head", w.HeadSize);
                json.WriteNumber("n_heads", w.HeadCount);
                json.WriteNumber("d_mlp", w.MlpWidth);
                json.WriteNumber("d_vocab", w.VocabSize);
                json.WriteNumber("d_vocab_out", w.OutputSize);
                json.WriteString("act_fn", "relu");
                json.WriteNull("normalization_type");
                json.WriteString("attention_dir", w.Causal ? "causal" : "bidirectional");
                json.WriteString("positional_embedding_type", "standard");
                json.WriteBoolean("use_attn_scale", true);
                json.WriteNumber("attn_scale", w.AttentionScale);
                json.WriteBoolean("default_prepend_bos", false);
                json.WriteString("dtype", precision == TensorPrecision.Float32 ? "float32" : "float64");
                json.WriteString("model_name", "tracr");
                json.WriteEndObject();
            }
            return Encoding8(buffer);
        }

        private static string JsonArray(IEnumerable<string> items)
        {
            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartArray();
                foreach (var s in items) json.WriteStringValue(s);
                json.WriteEndArray();
            }
            return Encoding8(buffer);
        }

        private static string Encoding8(MemoryStream buffer) => System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
