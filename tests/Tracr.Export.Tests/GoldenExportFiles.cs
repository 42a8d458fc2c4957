using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace Tracr.Export.Tests
{
    /// <summary>
    /// Writes every case's exports with the reference run they must reproduce, the input of
    /// scripts/check_exports.py (scripts/check-exports.sh sets <c>TRACR_EXPORT_DIR</c>; without it the files go
    /// to a temporary folder that is removed). Per case: <c>NAME.safetensors</c> (float64), <c>NAME.onnx</c>
    /// (float32) and <c>NAME.expected.json</c> (each input's token ids, outputs, residual at every hook and attention pattern of every head).
    /// </summary>
    public sealed class GoldenExportFiles
    {
        [Fact]
        public void GoldenExports_WriteTheFilesThePythonCheckReads()
        {
            string? configured = Environment.GetEnvironmentVariable("TRACR_EXPORT_DIR");
            string dir = configured ?? Path.Combine(Path.GetTempPath(), $"tracr-exports-{Guid.NewGuid():N}");
            Directory.CreateDirectory(dir);
            try
            {
                foreach (var c in ExportCases.All)
                {
                    c.Model.ExportTransformerLens(Path.Combine(dir, c.Name + ".safetensors"), TensorPrecision.Float64);
                    c.Model.ExportOnnx(Path.Combine(dir, c.Name + ".onnx"));
                    File.WriteAllBytes(Path.Combine(dir, c.Name + ".expected.json"), Expected(c));
                }
                Assert.Equal(3 * ExportCases.All.Count, Directory.GetFiles(dir).Count(f => ExportCases.All.Any(c => Path.GetFileName(f).StartsWith(c.Name + ".", StringComparison.Ordinal))));
                // The expected runs read back as written.
                var first = ExportCases.All[0];
                using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, first.Name + ".expected.json")));
                var run = doc.RootElement.GetProperty("runs")[0];
                Assert.Equal(first.Model.Encode(first.Inputs[0]), run.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()));
            }
            finally
            {
                if (configured == null) Directory.Delete(dir, recursive: true);
            }
        }

        private static byte[] Expected(ExportCase c)
        {
            var hooks = c.Model.ToTransformerLens().ResidualHooks;
            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("case", c.Name);
                json.WriteStartArray("runs");
                foreach (var input in c.Inputs)
                {
                    var run = c.Model.Apply(input);
                    json.WriteStartObject();
                    json.WriteStartArray("input_ids");
                    foreach (int id in c.Model.Encode(input)) json.WriteNumberValue(id);
                    json.WriteEndArray();
                    json.WriteStartArray("outputs");
                    foreach (var v in run.Outputs) json.WriteStringValue(v.Repr());
                    json.WriteEndArray();
                    json.WriteStartObject("residuals");
                    for (int i = 0; i < run.Residuals.Count; i++)
                    {
                        json.WritePropertyName(hooks[i]);
                        WriteMatrix(json, run.Residuals[i]);
                    }
                    json.WriteEndObject();
                    // Each attention layer's real heads (TransformerLens pads with zero heads after them).
                    json.WriteStartObject("patterns");
                    foreach (var layer in run.Attention.GroupBy(h => h.Layer))
                    {
                        json.WriteStartArray($"blocks.{layer.Key}.attn.hook_pattern");
                        foreach (var head in layer.OrderBy(h => h.Head)) WriteMatrix(json, head.Weights);
                        json.WriteEndArray();
                    }
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            return buffer.ToArray();
        }

        private static void WriteMatrix(Utf8JsonWriter json, double[,] m)
        {
            json.WriteStartArray();
            for (int r = 0; r < m.GetLength(0); r++)
            {
                json.WriteStartArray();
                for (int c = 0; c < m.GetLength(1); c++) json.WriteNumberValue(m[r, c]);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
    }
}
