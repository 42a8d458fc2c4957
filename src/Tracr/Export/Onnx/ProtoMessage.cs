using System;
using System.Collections.Generic;
using System.IO;

namespace Tracr.Export.Onnx
{
    /// <summary>
    /// A protocol-buffers message built field by field and written in the wire format
    /// (protobuf.dev/programming-guides/encoding): a varint tag <c>field &lt;&lt; 3 | wire type</c> before each
    /// value; varints (type 0), 32-bit values (type 5) and length-delimited bytes, strings and sub-messages (type 2).
    /// </summary>
    /// <remarks>
    /// Why not Google.Protobuf and generated classes: ONNX export needs eight message types and only writes
    /// them, and this keeps the main package free of a dependency (docs/export.md). Sizes are computed before
    /// writing, so a tensor's bytes are produced while streaming and never buffered in the message.
    /// </remarks>
    internal sealed class ProtoMessage
    {
        private readonly List<(long Size, Action<Stream> Write)> _fields = new List<(long, Action<Stream>)>();

        /// <summary>The encoded size of the fields, in bytes.</summary>
        public long Size { get; private set; }

        public ProtoMessage Varint(int field, long value)
        {
            ulong v = unchecked((ulong)value);
            return Add(VarintSize(Tag(field, 0)) + VarintSize(v), s => { WriteVarint(s, Tag(field, 0)); WriteVarint(s, v); });
        }

        public ProtoMessage Float(int field, float value) =>
            Add(VarintSize(Tag(field, 5)) + 4, s =>
            {
                WriteVarint(s, Tag(field, 5));
                Span<byte> b = stackalloc byte[4];
                System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(b, value);
                s.Write(b);
            });

        public ProtoMessage String(int field, string value)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(value);
            return Bytes(field, bytes.Length, s => s.Write(bytes, 0, bytes.Length));
        }

        public ProtoMessage Message(int field, ProtoMessage message) => Bytes(field, message.Size, message.WriteTo);

        /// <summary>A length-delimited field of <paramref name="length"/> bytes that <paramref name="write"/> produces when the message is written.</summary>
        public ProtoMessage Bytes(int field, long length, Action<Stream> write) =>
            Add(VarintSize(Tag(field, 2)) + VarintSize((ulong)length) + length, s =>
            {
                WriteVarint(s, Tag(field, 2));
                WriteVarint(s, (ulong)length);
                long before = s.CanSeek ? s.Position : -1;
                write(s);
                if (before >= 0 && s.Position - before != length)
                    throw new InvalidOperationException($"Field {field} wrote {s.Position - before} bytes, {length} announced.");
            });

        public void WriteTo(Stream stream)
        {
            foreach (var f in _fields) f.Write(stream);
        }

        public byte[] ToArray()
        {
            var m = new MemoryStream();
            WriteTo(m);
            return m.ToArray();
        }

        private ProtoMessage Add(long size, Action<Stream> write)
        {
            _fields.Add((size, write));
            Size += size;
            return this;
        }

        private static ulong Tag(int field, int wireType) => ((ulong)field << 3) | (uint)wireType;

        private static int VarintSize(ulong v)
        {
            int n = 1;
            while (v >= 0x80) { v >>= 7; n++; }
            return n;
        }

        private static void WriteVarint(Stream s, ulong v)
        {
            while (v >= 0x80)
            {
                s.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }
            s.WriteByte((byte)v);
        }
    }
}
