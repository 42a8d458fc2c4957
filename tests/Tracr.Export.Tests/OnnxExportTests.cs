using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace Tracr.Export.Tests
{
    /// <summary>
    /// Every model's ONNX export, loaded and run by ONNX Runtime, reproduces the reference forward pass: logits,
    /// every residual (outputs named by TransformerLens hook) and every head's attention pattern.
    /// </summary>
    public sealed class OnnxExportTests
    {
        private readonly ITestOutputHelper _output;

        public OnnxExportTests(ITestOutputHelper output) { _output = output; }

        [Theory]
        [InlineData(TensorPrecision.Float64)]
        [InlineData(TensorPrecision.Float32)]
        public void EveryModel_RunsInOnnxRuntimeLikeTheReference(TensorPrecision precision)
        {
            var comparison = Comparison.For(precision);
            int models = 0, runs = 0;
            foreach (var c in ExportCases.All)
            {
                var weights = c.Model.ToTransformerLens();
                using var session = new InferenceSession(Export(c.Model, precision));
                models++;
                foreach (var input in c.Inputs)
                {
                    runs++;
                    var run = c.Model.Apply(input);
                    var outputs = RunOnnx(session, c.Model.Encode(input), precision);
                    string at = $"{c.Name} [{string.Join(" ", input.Select(v => v.Repr()))}]";
                    for (int i = 0; i < run.Residuals.Count; i++)
                    {
                        var (values, shape) = outputs[weights.ResidualHooks[i]];
                        Assert.Equal(new[] { input.Length + 1, c.Model.Packed.Width }, shape);
                        comparison.Matrix($"{at} {weights.ResidualHooks[i]}", run.Residuals[i], (r, d) => values[r * shape[1] + d]);
                    }
                    var (logits, logitShape) = outputs["logits"];
                    comparison.Matrix($"{at} logits", run.Residuals[^1], (r, o) => logits[r * logitShape[1] + o], c.Model.Packed.OutputDims);
                    foreach (var head in run.Attention)
                    {
                        var (pattern, s) = outputs[$"blocks.{head.Layer}.attn.hook_pattern"];
                        comparison.Matrix($"{at} L{head.Layer}H{head.Head} pattern", head.Weights, (q, k) => pattern[(head.Head * s[1] + q) * s[2] + k]);
                    }
                }
            }
            _output.WriteLine($"ONNX Runtime {precision}: {models} models, {runs} inputs, {comparison}");
            Assert.True(comparison.Failures.Count == 0, string.Join("\n", comparison.Failures));
            Assert.True(models >= 4);
        }

        [Fact]
        public void BuildTimeModel_ExportsTheSameModelAsTheRunTimeCompile()
        {
            var runtime = RaspCompiler.Compile(BuildTimeModels.Reverse(), "abcd".Select(ch => (Value)ch.ToString()), 5);
            var stream = new MemoryStream();
            BuildTimeModels.ReverseModel.ExportOnnx(stream);
            Assert.Equal(Export(runtime, TensorPrecision.Float32), stream.ToArray());
            using var session = new InferenceSession(stream.ToArray());
            var ids = runtime.Encode("dcab".Select(ch => (Value)ch.ToString()));
            var (logits, shape) = RunOnnx(session, ids, TensorPrecision.Float32)["logits"];
            // Argmax of each non-BOS position's logits decodes the reversed input.
            var decoded = Enumerable.Range(1, ids.Length - 1).Select(p =>
                runtime.Packed.OutputValues[Enumerable.Range(0, shape[1]).OrderByDescending(o => logits[p * shape[1] + o]).First()].Repr());
            Assert.Equal(new[] { "'b'", "'a'", "'c'", "'d'" }, decoded);
        }

        [Fact]
        public void Metadata_CarriesTheResidualLabels()
        {
            var model = ExportCases.Get("library_reverse").Model;
            using var session = new InferenceSession(Export(model, TensorPrecision.Float32));
            var labels = System.Text.Json.JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["residual_labels"]);
            Assert.Equal(model.ResidualLabels, labels);
            Assert.Equal("Tracr.Generators", session.ModelMetadata.ProducerName);
            Assert.Equal(new[] { "input_ids" }, session.InputMetadata.Keys.ToArray());
        }

        internal static byte[] Export(CompiledModel model, TensorPrecision precision)
        {
            var stream = new MemoryStream();
            model.ExportOnnx(stream, precision);
            return stream.ToArray();
        }

        /// <summary>Every output of one run, as doubles with its shape.</summary>
        internal static Dictionary<string, (double[] Values, int[] Shape)> RunOnnx(InferenceSession session, int[] ids, TensorPrecision precision)
        {
            var input = new DenseTensor<long>(ids.Select(i => (long)i).ToArray(), new[] { ids.Length });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input_ids", input) });
            var outputs = new Dictionary<string, (double[], int[])>(StringComparer.Ordinal);
            foreach (var r in results)
            {
                if (precision == TensorPrecision.Float32)
                {
                    var t = r.AsTensor<float>();
                    outputs[r.Name] = (t.ToArray().Select(v => (double)v).ToArray(), t.Dimensions.ToArray());
                }
                else
                {
                    var t = r.AsTensor<double>();
                    outputs[r.Name] = (t.ToArray(), t.Dimensions.ToArray());
                }
            }
            return outputs;
        }
    }
}
