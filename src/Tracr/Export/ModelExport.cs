using System;
using System.IO;
using Tracr.Export;
using Tracr.Export.Onnx;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr
{
    /// <summary>
    /// Exports of compiled models for researchers' tools: TransformerLens (a safetensors state dict with its
    /// config) and ONNX. The same members serve models compiled at run time (<see cref="CompiledModel"/>) and
    /// at build time (<see cref="CompiledTransformer{TToken, TOutput}"/>, through <see cref="ICompiledTransformer"/>);
    /// both write from one <see cref="TransformerLensWeights"/> view of the model's <see cref="PackedModel"/>.
    /// docs/export.md describes the files and how to load them.
    /// </summary>
    public static class ModelExport
    {
        /// <summary>The model in TransformerLens's HookedTransformer layout (names, shapes, config).</summary>
        /// <exception cref="NotSupportedException">Some heads are causal and others not.</exception>
        public static TransformerLensWeights ToTransformerLens(this CompiledModel model) => TransformerLensWeights.From(Packed(model));

        /// <inheritdoc cref="ToTransformerLens(CompiledModel)"/>
        public static TransformerLensWeights ToTransformerLens(this ICompiledTransformer model) => TransformerLensWeights.From(Packed(model));

        /// <summary>
        /// Writes the model as a safetensors file of HookedTransformer parameters (<c>embed.W_E</c>,
        /// <c>blocks.{l}.attn.W_Q</c>, ...) whose metadata holds the HookedTransformerConfig as JSON
        /// (<c>transformer_lens_config</c>), the residual labels, tokens and output values.
        /// </summary>
        public static void ExportTransformerLens(this CompiledModel model, Stream stream, TensorPrecision precision = TensorPrecision.Float32) =>
            TransformerLensExport.Write(model.ToTransformerLens(), stream, precision);

        /// <inheritdoc cref="ExportTransformerLens(CompiledModel, Stream, TensorPrecision)"/>
        public static void ExportTransformerLens(this ICompiledTransformer model, Stream stream, TensorPrecision precision = TensorPrecision.Float32) =>
            TransformerLensExport.Write(model.ToTransformerLens(), stream, precision);

        /// <inheritdoc cref="ExportTransformerLens(CompiledModel, Stream, TensorPrecision)"/>
        public static void ExportTransformerLens(this CompiledModel model, string path, TensorPrecision precision = TensorPrecision.Float32) =>
            ToFile(path, s => model.ExportTransformerLens(s, precision));

        /// <inheritdoc cref="ExportTransformerLens(CompiledModel, Stream, TensorPrecision)"/>
        public static void ExportTransformerLens(this ICompiledTransformer model, string path, TensorPrecision precision = TensorPrecision.Float32) =>
            ToFile(path, s => model.ExportTransformerLens(s, precision));

        /// <summary>
        /// Writes the model as an ONNX model (opset 17): input <c>input_ids</c> (int64 [seq], BOS first),
        /// outputs <c>logits</c>, every residual under its TransformerLens hook name and every attention pattern.
        /// </summary>
        public static void ExportOnnx(this CompiledModel model, Stream stream, TensorPrecision precision = TensorPrecision.Float32) =>
            OnnxExport.Write(model.ToTransformerLens(), stream, precision);

        /// <inheritdoc cref="ExportOnnx(CompiledModel, Stream, TensorPrecision)"/>
        public static void ExportOnnx(this ICompiledTransformer model, Stream stream, TensorPrecision precision = TensorPrecision.Float32) =>
            OnnxExport.Write(model.ToTransformerLens(), stream, precision);

        /// <inheritdoc cref="ExportOnnx(CompiledModel, Stream, TensorPrecision)"/>
        public static void ExportOnnx(this CompiledModel model, string path, TensorPrecision precision = TensorPrecision.Float32) =>
            ToFile(path, s => model.ExportOnnx(s, precision));

        /// <inheritdoc cref="ExportOnnx(CompiledModel, Stream, TensorPrecision)"/>
        public static void ExportOnnx(this ICompiledTransformer model, string path, TensorPrecision precision = TensorPrecision.Float32) =>
            ToFile(path, s => model.ExportOnnx(s, precision));

        private static PackedModel Packed(CompiledModel model) => (model ?? throw new ArgumentNullException(nameof(model))).Packed;

        private static PackedModel Packed(ICompiledTransformer model) => (model ?? throw new ArgumentNullException(nameof(model))).Packed;

        private static void ToFile(string path, Action<Stream> write)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            write(file);
        }
    }
}
