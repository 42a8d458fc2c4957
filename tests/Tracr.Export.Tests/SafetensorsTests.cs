using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;

using Xunit;

namespace Tracr.Export.Tests
{
    /// <summary>The safetensors writer follows the format byte for byte, and the reader refuses files that break it.</summary>
    public sealed class SafetensorsTests
    {
        private static byte[] Reverse(TensorPrecision precision) =>
            TransformerLensExportTests.Export(ExportCases.Get("library_reverse").Model, precision);

        [Theory]
        [InlineData(TensorPrecision.Float32, "F32", 4)]
        [InlineData(TensorPrecision.Float64, "F64", 8)]
        public void Layout_FollowsTheSpec(TensorPrecision precision, string dtype, int size)
        {
            var bytes = Reverse(precision);
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0UL, (8 + n) % 8);
            string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)n);
            Assert.StartsWith("{\"__metadata__\":{", header);
            Assert.Equal(header.TrimEnd(' ').Length + header.Length - header.TrimEnd(' ').Length, header.Length);
            using var doc = System.Text.Json.JsonDocument.Parse(header);
            long end = 0;
            foreach (var t in doc.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
            {
                Assert.Equal(dtype, t.Value.GetProperty("dtype").GetString());
                var offsets = t.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                long count = t.Value.GetProperty("shape").EnumerateArray().Aggregate(1L, (a, e) => a * e.GetInt64());
                Assert.Equal(end, offsets[0]);
                Assert.Equal(count * size, offsets[1] - offsets[0]);
                end = offsets[1];
            }
            Assert.Equal(bytes.Length - 8 - (long)n, end);
        }

        [Fact]
        public void ReadBack_GivesTheExportedValues()
        {
            var model = ExportCases.Get("library_reverse").Model;
            var (metadata, tensors) = Safetensors.Read(Reverse(TensorPrecision.Float64));
            var exported = model.ToTransformerLens().Tensors;
            Assert.Equal(exported.Select(t => t.Name), tensors.Select(t => t.Name));
            foreach (var (e, r) in exported.Zip(tensors))
            {
                Assert.Equal(e.Shape.Select(s => (long)s), r.Shape);
                Assert.Equal(e.ToArray(), r.Values);
            }
            Assert.Equal("pt", metadata["format"]);
            // The token embedding is the model's, row for row.
            var we = tensors.Single(t => t.Name == "embed.W_E").Values;
            var dense = model.Packed.TokenEmbedding.ToDense();
            for (int r = 0; r < dense.GetLength(0); r++)
                for (int c = 0; c < dense.GetLength(1); c++) Assert.Equal(dense[r, c], we[r * dense.GetLength(1) + c]);
        }

        [Fact]
        public void Reader_RefusesTruncatedData()
        {
            var bytes = Reverse(TensorPrecision.Float32);
            var ex = Assert.Throws<InvalidDataException>(() => Safetensors.Read(bytes.AsSpan(0, bytes.Length - 4).ToArray()));
            Assert.Contains("unembed.b_U", ex.Message);
        }

        [Fact]
        public void Reader_RefusesAHeaderLongerThanTheFile()
        {
            var bytes = Reverse(TensorPrecision.Float32);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)bytes.Length);
            var ex = Assert.Throws<InvalidDataException>(() => Safetensors.Read(bytes));
            Assert.Contains("does not fit", ex.Message);
        }

        [Fact]
        public void Reader_RefusesHolesBetweenTensors()
        {
            var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
            var ex = Assert.Throws<InvalidDataException>(() => Safetensors.Read(File(header, 8)));
            Assert.Contains("'a' starts at 4, expected 0", ex.Message);
        }

        [Fact]
        public void Reader_RefusesAShapeThatDisagreesWithTheOffsets()
        {
            var header = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
            var ex = Assert.Throws<InvalidDataException>(() => Safetensors.Read(File(header, 16)));
            Assert.Contains("needs 32 bytes", ex.Message);
        }

        [Fact]
        public void Writer_RefusesDuplicateNames()
        {
            var t = ExportCases.Get("library_reverse").Model.ToTransformerLens().Tensors[0];
            Assert.Throws<ArgumentException>(() => Safetensors.Write(new MemoryStream(), new[] { t, t },
                new System.Collections.Generic.Dictionary<string, string>(), TensorPrecision.Float32));
        }

        private static byte[] File(string header, int dataBytes)
        {
            var h = System.Text.Encoding.UTF8.GetBytes(header);
            var bytes = new byte[8 + h.Length + dataBytes];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
            h.CopyTo(bytes, 8);
            return bytes;
        }
    }
}
