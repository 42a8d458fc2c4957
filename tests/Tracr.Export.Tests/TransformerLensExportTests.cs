using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Tracr.Export.Tests
{
    /// <summary>
    /// The TransformerLens export, read back from its bytes and run through TransformerLens's forward pass
    /// (<see cref="TransformerLensForward"/>), reproduces the reference forward pass: every residual at its hook,
    /// every head's pattern and the logits, on every golden model and the library cases.
    /// </summary>
    public sealed class TransformerLensExportTests
    {
        private readonly ITestOutputHelper _output;

        public TransformerLensExportTests(ITestOutputHelper output) { _output = output; }

        [Theory]
        [InlineData(TensorPrecision.Float64)]
        [InlineData(TensorPrecision.Float32)]
        public void EveryModel_ReproducesTheReferenceForwardPass(TensorPrecision precision)
        {
            var comparison = Comparison.For(precision);
            int models = 0, runs = 0;
            foreach (var c in ExportCases.All)
            {
                var bytes = Export(c.Model, precision);
                var (metadata, tensors) = Safetensors.Read(bytes);
                var tl = new TransformerLensForward(metadata, tensors);
                var weights = c.Model.ToTransformerLens();
                models++;
                foreach (var input in c.Inputs)
                {
                    runs++;
                    var run = c.Model.Apply(input);
                    var hooks = tl.Run(c.Model.Encode(input));
                    string at = $"{c.Name} [{string.Join(" ", input.Select(v => v.Repr()))}]";
                    for (int i = 0; i < run.Residuals.Count; i++)
                    {
                        var hook = hooks[weights.ResidualHooks[i]];
                        comparison.Matrix($"{at} {weights.ResidualHooks[i]}", run.Residuals[i], (r, d) => hook[r, d]);
                    }
                    var last = hooks[$"blocks.{weights.LayerCount - 1}.hook_resid_post"];
                    comparison.Matrix($"{at} final resid_post", run.Residuals[^1], (r, d) => last[r, d]);
                    var logits = hooks["logits"];
                    comparison.Matrix($"{at} logits", run.Residuals[^1], (r, o) => logits[r, o], c.Model.Packed.OutputDims);
                    foreach (var head in run.Attention)
                    {
                        var pattern = hooks[$"blocks.{head.Layer}.attn.hook_pattern"];
                        int n = input.Length + 1;
                        comparison.Matrix($"{at} L{head.Layer}H{head.Head} pattern", head.Weights, (q, k) => pattern[head.Head * n + q, k]);
                    }
                }
            }
            _output.WriteLine($"TransformerLens {precision}: {models} models, {runs} inputs, {comparison}");
            Assert.True(comparison.Failures.Count == 0, string.Join("\n", comparison.Failures));
            Assert.True(models >= 4);
        }

        [Fact]
        public void Config_DescribesTheModel()
        {
            var model = ExportCases.Get("library_sort_causal").Model;
            var (metadata, tensors) = Safetensors.Read(Export(model, TensorPrecision.Float32));
            var w = model.ToTransformerLens();
            using var config = System.Text.Json.JsonDocument.Parse(metadata["transformer_lens_config"]);
            var c = config.RootElement;
            Assert.Equal(w.LayerCount, c.GetProperty("n_layers").GetInt32());
            Assert.Equal(model.Packed.Width, c.GetProperty("d_model").GetInt32());
            Assert.Equal(model.MaxSeqLen + 1, c.GetProperty("n_ctx").GetInt32());
            Assert.Equal(model.Vocab.Count + 2, c.GetProperty("d_vocab").GetInt32());
            Assert.Equal("causal", c.GetProperty("attention_dir").GetString());
            Assert.Equal("relu", c.GetProperty("act_fn").GetString());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, c.GetProperty("normalization_type").ValueKind);
            Assert.Equal(Math.Sqrt(w.HeadSize), c.GetProperty("attn_scale").GetDouble());
            Assert.Equal(model.ResidualLabels, System.Text.Json.JsonSerializer.Deserialize<string[]>(metadata["residual_labels"]));
            // Shapes as TransformerLens declares its parameters.
            var shapes = tensors.ToDictionary(t => t.Name, t => t.Shape);
            Assert.Equal(new long[] { w.HeadCount, w.Width, w.HeadSize }, shapes["blocks.0.attn.W_Q"]);
            Assert.Equal(new long[] { w.HeadCount, w.HeadSize }, shapes["blocks.0.attn.b_Q"]);
            Assert.Equal(new long[] { w.HeadCount, w.HeadSize, w.Width }, shapes["blocks.0.attn.W_O"]);
            Assert.Equal(new long[] { w.Width }, shapes["blocks.0.attn.b_O"]);
            Assert.Equal(new long[] { w.Width, w.MlpWidth }, shapes["blocks.0.mlp.W_in"]);
            Assert.Equal(new long[] { w.Width, w.OutputSize }, shapes["unembed.W_U"]);
            Assert.Equal(new long[] { model.MaxSeqLen + 1, w.Width }, shapes["pos_embed.W_pos"]);
            Assert.Equal(2 + 12 * w.LayerCount + 2, tensors.Count);
        }

        [Fact]
        public void BuildTimeModel_ExportsTheSameBytesAsTheRunTimeCompile()
        {
            var generated = BuildTimeModels.ReverseModel;
            var runtime = RaspCompiler.Compile(BuildTimeModels.Reverse(), "abcd".Select(ch => (Value)ch.ToString()), 5);
            Assert.Equal(Export(runtime, TensorPrecision.Float64), ExportGenerated(TensorPrecision.Float64));
            Assert.Equal(Export(runtime, TensorPrecision.Float32), ExportGenerated(TensorPrecision.Float32));

            byte[] ExportGenerated(TensorPrecision p)
            {
                var m = new MemoryStream();
                generated.ExportTransformerLens(m, p);
                return m.ToArray();
            }
        }

        [Fact]
        public void ExportToFile_WritesTheSameBytesAsToAStream()
        {
            var model = ExportCases.Get("library_reverse").Model;
            string path = Path.Combine(Path.GetTempPath(), $"tracr-export-{Guid.NewGuid():N}.safetensors");
            try
            {
                model.ExportTransformerLens(path);
                Assert.Equal(Export(model, TensorPrecision.Float32), File.ReadAllBytes(path));
            }
            finally
            {
                File.Delete(path);
            }
        }

        internal static byte[] Export(CompiledModel model, TensorPrecision precision)
        {
            var stream = new MemoryStream();
            model.ExportTransformerLens(stream, precision);
            return stream.ToArray();
        }
    }
}
