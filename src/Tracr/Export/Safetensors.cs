using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Tracr.Export
{
    /// <summary>The element types this project writes to safetensors and ONNX.</summary>
    public enum TensorPrecision
    {
        /// <summary>32-bit floats (safetensors F32, ONNX FLOAT): what TransformerLens and most runtimes load by default.</summary>
        Float32,

        /// <summary>64-bit floats (safetensors F64, ONNX DOUBLE): every weight exactly as the compiler computed it.</summary>
        Float64,
    }

    /// <summary>One tensor read from a safetensors file.</summary>
    public sealed class SafetensorsTensor
    {
        internal SafetensorsTensor(string name, string dtype, long[] shape, double[] values)
        {
            Name = name;
            DType = dtype;
            Shape = shape;
            Values = values;
        }

        public string Name { get; }

        /// <summary>"F32", "F64" or "I64".</summary>
        public string DType { get; }

        public long[] Shape { get; }

        /// <summary>The values, row-major, widened to double.</summary>
        public double[] Values { get; }
    }

    /// <summary>
    /// Writes and reads the safetensors format (huggingface/safetensors): an 8-byte little-endian header
    /// length N, N bytes of UTF-8 JSON (<c>{"__metadata__": {string: string}, name: {"dtype", "shape",
    /// "data_offsets": [begin, end]}}</c>, padded with spaces to a multiple of 8 so every tensor is aligned),
    /// then the tensors' little-endian bytes, contiguous, with offsets relative to the end of the header.
    /// </summary>
    public static class Safetensors
    {
        /// <summary>The reference implementation refuses headers larger than 100 MB; so do we.</summary>
        private const long MaxHeaderBytes = 100_000_000;

        /// <summary>Writes <paramref name="tensors"/> (floats in <paramref name="precision"/>) with <paramref name="metadata"/> to <paramref name="stream"/>.</summary>
        public static void Write(Stream stream, IReadOnlyList<ExportTensor> tensors, IReadOnlyDictionary<string, string> metadata, TensorPrecision precision)
        {
            if (stream is null) throw new ArgumentNullException(nameof(stream));
            int elementSize = precision == TensorPrecision.Float32 ? 4 : 8;
            var header = new MemoryStream();
            using (var json = new Utf8JsonWriter(header))
            {
                json.WriteStartObject();
                json.WriteStartObject("__metadata__");
                foreach (var kv in metadata) json.WriteString(kv.Key, kv.Value);
                json.WriteEndObject();
                long offset = 0;
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var t in tensors)
                {
                    if (!names.Add(t.Name)) throw new ArgumentException($"Tensor '{t.Name}' appears twice.", nameof(tensors));
                    json.WriteStartObject(t.Name);
                    json.WriteString("dtype", precision == TensorPrecision.Float32 ? "F32" : "F64");
                    json.WriteStartArray("shape");
                    foreach (int s in t.Shape) json.WriteNumberValue(s);
                    json.WriteEndArray();
                    long bytes = t.ElementCount * elementSize;
                    json.WriteStartArray("data_offsets");
                    json.WriteNumberValue(offset);
                    json.WriteNumberValue(offset + bytes);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    offset += bytes;
                }
                json.WriteEndObject();
            }
            while (header.Length % 8 != 0) header.WriteByte((byte)' ');
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            header.Position = 0;
            header.CopyTo(stream);
            foreach (var t in tensors) WriteValues(stream, t.ToArray(), precision);
        }

        /// <summary>Little-endian floats of <paramref name="values"/> in <paramref name="precision"/>, in chunks.</summary>
        internal static void WriteValues(Stream stream, double[] values, TensorPrecision precision)
        {
            int size = precision == TensorPrecision.Float32 ? 4 : 8;
            var buffer = new byte[64 * 1024];
            int per = buffer.Length / size;
            for (long start = 0; start < values.LongLength; start += per)
            {
                int n = (int)Math.Min(per, values.LongLength - start);
                for (int i = 0; i < n; i++)
                {
                    if (size == 4) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), (float)values[start + i]);
                    else BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(i * 8), values[start + i]);
                }
                stream.Write(buffer, 0, n * size);
            }
        }

        /// <summary>Reads a whole safetensors file, checking it against the format.</summary>
        /// <exception cref="InvalidDataException">The bytes break the format; the message says where.</exception>
        public static (IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<SafetensorsTensor> Tensors) Read(byte[] bytes)
        {
            if (bytes is null) throw new ArgumentNullException(nameof(bytes));
            if (bytes.Length < 8) throw new InvalidDataException($"A safetensors file starts with an 8-byte header length; this one has {bytes.Length} bytes.");
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (n > MaxHeaderBytes || 8 + (long)n > bytes.Length)
                throw new InvalidDataException($"Header length {n} does not fit the file of {bytes.Length} bytes.");
            int headerLength = (int)n;
            if (headerLength == 0 || bytes[8] != (byte)'{') throw new InvalidDataException("The header must be a JSON object starting with '{'.");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(string Name, string DType, long[] Shape, long Begin, long End)>();
            using (var doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, 8, headerLength)))
            {
                foreach (var prop in doc.RootElement.EnumerateObject())
                {
                    if (prop.Name == "__metadata__")
                    {
                        foreach (var m in prop.Value.EnumerateObject())
                        {
                            if (m.Value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"Metadata '{m.Name}' is not a string.");
                            metadata[m.Name] = m.Value.GetString()!;
                        }
                        continue;
                    }
                    var e = prop.Value;
                    string dtype = e.GetProperty("dtype").GetString() ?? "";
                    long[] shape = e.GetProperty("shape").EnumerateArray().Select(s => s.GetInt64()).ToArray();
                    long[] offsets = e.GetProperty("data_offsets").EnumerateArray().Select(s => s.GetInt64()).ToArray();
                    if (offsets.Length != 2) throw new InvalidDataException($"Tensor '{prop.Name}': data_offsets must be [begin, end].");
                    entries.Add((prop.Name, dtype, shape, offsets[0], offsets[1]));
                }
            }
            long dataLength = bytes.Length - 8 - headerLength;
            long expected = 0;
            var tensors = new List<SafetensorsTensor>();
            foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
            {
                int size = e.DType switch
                {
                    "F32" => 4,
                    "F64" => 8,
                    "I64" => 8,
                    _ => throw new InvalidDataException($"Tensor '{e.Name}': dtype {e.DType} is not read here (F32, F64, I64)."),
                };
                if (e.Begin != expected) throw new InvalidDataException($"Tensor '{e.Name}' starts at {e.Begin}, expected {expected}: the data must be contiguous without holes or overlaps.");
                long count = e.Shape.Aggregate(1L, (a, b) => a * b);
                if (e.End - e.Begin != count * size)
                    throw new InvalidDataException($"Tensor '{e.Name}': shape [{string.Join(", ", e.Shape)}] of {e.DType} needs {count * size} bytes, data_offsets give {e.End - e.Begin}.");
                if (e.End > dataLength) throw new InvalidDataException($"Tensor '{e.Name}' ends at {e.End}, past the data ({dataLength} bytes).");
                var values = new double[count];
                var span = bytes.AsSpan((int)(8 + headerLength + e.Begin));
                for (long i = 0; i < count; i++)
                {
                    var at = span.Slice((int)(i * size));
                    values[i] = e.DType switch
                    {
                        "F32" => BinaryPrimitives.ReadSingleLittleEndian(at),
                        "F64" => BinaryPrimitives.ReadDoubleLittleEndian(at),
                        _ => BinaryPrimitives.ReadInt64LittleEndian(at),
                    };
                }
                tensors.Add(new SafetensorsTensor(e.Name, e.DType, e.Shape, values));
                expected = e.End;
            }
            if (expected != dataLength) throw new InvalidDataException($"The tensors cover {expected} bytes but the file holds {dataLength} after the header.");
            return (metadata, tensors);
        }
    }
}
