using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Tracr.Generated;

namespace Tracr.Export.Onnx
{
    /// <summary>
    /// Writes a <see cref="TransformerLensWeights"/> as an ONNX model (opset 17): the same tensors under the same
    /// names as the safetensors export, and TransformerLens's forward pass as ONNX operators.
    /// </summary>
    /// <remarks>
    /// Input <c>input_ids</c>: int64 [seq], BOS first (one sequence; seq ≤ n_ctx). Outputs: <c>logits</c>
    /// [seq, d_vocab_out]; every residual under its TransformerLens hook name (<c>blocks.0.hook_resid_pre</c>,
    /// <c>blocks.{l}.hook_resid_mid</c>, <c>blocks.{l}.hook_resid_post</c>, in
    /// <see cref="TransformerLensWeights.ResidualHooks"/> order) and each attention layer's pattern
    /// <c>blocks.{l}.attn.hook_pattern</c> [n_heads, seq, seq]. Blocks the model does not have (all-zero in
    /// TransformerLens) are left out, and so are the query/key/value biases, which are zero.
    /// Field numbers are onnx/onnx.proto's.
    /// </remarks>
    internal static class OnnxExport
    {
        private const int Opset = 17;
        private const long IrVersion = 8;

        // onnx.proto TensorProto.DataType and AttributeProto.AttributeType values used here.
        private const int Float = 1, Int64 = 7, Double = 11;
        private const int AttrInt = 2, AttrInts = 7;

        public static void Write(TransformerLensWeights w, Stream stream, TensorPrecision precision)
        {
            var g = new GraphBuilder(precision);
            int elem = precision == TensorPrecision.Float32 ? Float : Double;
            var byName = w.Tensors.ToDictionary(t => t.Name);
            void Init(string name) => g.Initializer(byName[name]);

            g.Input("input_ids", Int64, "seq");
            g.Int64Constant("zero", new long[0], 0);
            g.Int64Constant("one", new long[0], 1);
            g.Node("Shape", new[] { "input_ids" }, "seq_shape");
            g.Node("Squeeze", new[] { "seq_shape" }, "seq_len");
            g.Node("Range", new[] { "zero", "seq_len", "one" }, "positions");
            Init("embed.W_E");
            Init("pos_embed.W_pos");
            g.Node("Gather", new[] { "embed.W_E", "input_ids" }, "hook_embed", ("axis", 0L));
            g.Node("Gather", new[] { "pos_embed.W_pos", "positions" }, "hook_pos_embed", ("axis", 0L));
            string x = g.Node("Add", new[] { "hook_embed", "hook_pos_embed" }, "blocks.0.hook_resid_pre");
            g.Output(x, elem, "seq", w.Width.ToString());

            if (w.Causal && w.Packed.HeadCount > 0)
            {
                int n = w.Context;
                var mask = new double[(long)n * n];
                for (int q = 0; q < n; q++)
                    for (int k = q + 1; k < n; k++) mask[(long)q * n + k] = double.NegativeInfinity;
                g.Initializer(new ExportTensor("causal_mask", new[] { n, n }, a => mask.CopyTo(a, 0)));
                g.Int64Constant("mask_starts", new long[] { 2 }, 0, 0);
                g.Node("Concat", new[] { "seq_shape", "seq_shape" }, "mask_ends", ("axis", 0L));
                g.Node("Slice", new[] { "causal_mask", "mask_starts", "mask_ends" }, "mask");
            }
            if (w.Packed.HeadCount > 0)
            {
                g.Initializer(new ExportTensor("attn_scale", new int[0], a => a[0] = w.AttentionScale));
                g.Int64Constant("head_axis", new long[] { 1 }, 0);
            }

            foreach (var block in w.Packed.Blocks)
            {
                string p = $"blocks.{block.Layer}.";
                if (block is PackedAttention)
                {
                    foreach (var name in new[] { "attn.W_Q", "attn.W_K", "attn.W_V", "attn.W_O", "attn.b_O" }) Init(p + name);
                    // [seq, d_model] @ [n_heads, d_model, d_head] broadcasts to [n_heads, seq, d_head].
                    g.Node("MatMul", new[] { x, p + "attn.W_Q" }, p + "attn.hook_q");
                    g.Node("MatMul", new[] { x, p + "attn.W_K" }, p + "attn.hook_k");
                    g.Node("MatMul", new[] { x, p + "attn.W_V" }, p + "attn.hook_v");
                    g.Node("Transpose", new[] { p + "attn.hook_k" }, p + "attn.k_t", ("perm", new long[] { 0, 2, 1 }));
                    g.Node("MatMul", new[] { p + "attn.hook_q", p + "attn.k_t" }, p + "attn.qk");
                    string scores = g.Node("Div", new[] { p + "attn.qk", "attn_scale" }, p + "attn.scaled");
                    if (w.Causal) scores = g.Node("Add", new[] { scores, "mask" }, p + "attn.hook_attn_scores");
                    g.Node("Softmax", new[] { scores }, p + "attn.hook_pattern", ("axis", -1L));
                    g.Output(p + "attn.hook_pattern", elem, w.HeadCount.ToString(), "seq", "seq");
                    g.Node("MatMul", new[] { p + "attn.hook_pattern", p + "attn.hook_v" }, p + "attn.hook_z");
                    g.Node("MatMul", new[] { p + "attn.hook_z", p + "attn.W_O" }, p + "attn.hook_result");
                    g.Node("ReduceSum", new[] { p + "attn.hook_result", "head_axis" }, p + "attn.heads_sum", ("keepdims", 0L));
                    g.Node("Add", new[] { p + "attn.heads_sum", p + "attn.b_O" }, p + "hook_attn_out");
                    x = g.Node("Add", new[] { x, p + "hook_attn_out" }, p + "hook_resid_mid");
                }
                else
                {
                    foreach (var name in new[] { "mlp.W_in", "mlp.b_in", "mlp.W_out", "mlp.b_out" }) Init(p + name);
                    g.Node("MatMul", new[] { x, p + "mlp.W_in" }, p + "mlp.in");
                    g.Node("Add", new[] { p + "mlp.in", p + "mlp.b_in" }, p + "mlp.hook_pre");
                    g.Node("Relu", new[] { p + "mlp.hook_pre" }, p + "mlp.hook_post");
                    g.Node("MatMul", new[] { p + "mlp.hook_post", p + "mlp.W_out" }, p + "mlp.out");
                    g.Node("Add", new[] { p + "mlp.out", p + "mlp.b_out" }, p + "hook_mlp_out");
                    x = g.Node("Add", new[] { x, p + "hook_mlp_out" }, p + "hook_resid_post");
                }
                g.Output(x, elem, "seq", w.Width.ToString());
            }

            Init("unembed.W_U");
            Init("unembed.b_U");
            g.Node("MatMul", new[] { x, "unembed.W_U" }, "unembed.raw");
            g.Node("Add", new[] { "unembed.raw", "unembed.b_U" }, "logits");
            g.Output("logits", elem, "seq", w.OutputSize.ToString());

            var model = new ProtoMessage()
                .Varint(1, IrVersion)
                .String(2, "Tracr.Generators")
                .String(3, typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "")
                .Message(7, g.Build("tracr"))
                .Message(8, new ProtoMessage().String(1, "").Varint(2, Opset));
            foreach (var kv in TransformerLensExport.Metadata(w, precision))
                model.Message(14, new ProtoMessage().String(1, kv.Key).String(2, kv.Value));
            // Protobuf messages are limited to 2 GB; ONNX's way past it (external data files) is not written here.
            if (model.Size > int.MaxValue)
                throw new NotSupportedException(
                    $"The ONNX model would be {model.Size:N0} bytes, over protobuf's 2 GB limit (residual width {w.Width}, {w.LayerCount} layers). Export it in float32, or as safetensors.");
            model.WriteTo(stream);
        }

        /// <summary>Collects a GraphProto's nodes, initializers, inputs and outputs.</summary>
        private sealed class GraphBuilder
        {
            private readonly TensorPrecision _precision;
            private readonly List<ProtoMessage> _nodes = new List<ProtoMessage>();
            private readonly List<ProtoMessage> _initializers = new List<ProtoMessage>();
            private readonly List<ProtoMessage> _inputs = new List<ProtoMessage>();
            private readonly List<ProtoMessage> _outputs = new List<ProtoMessage>();
            private readonly HashSet<string> _names = new HashSet<string>(StringComparer.Ordinal);

            public GraphBuilder(TensorPrecision precision) { _precision = precision; }

            public void Input(string name, int elemType, params string[] dims) => _inputs.Add(ValueInfo(name, elemType, dims));

            public void Output(string name, int elemType, params string[] dims) => _outputs.Add(ValueInfo(name, elemType, dims));

            /// <summary>A float tensor (in the export's precision) whose bytes are produced while the file is written.</summary>
            public void Initializer(ExportTensor t)
            {
                Declare(t.Name);
                int size = _precision == TensorPrecision.Float32 ? 4 : 8;
                var m = new ProtoMessage();
                foreach (int d in t.Shape) m.Varint(1, d);
                m.Varint(2, _precision == TensorPrecision.Float32 ? Float : Double).String(8, t.Name)
                 .Bytes(9, t.ElementCount * size, s => Safetensors.WriteValues(s, t.ToArray(), _precision));
                _initializers.Add(m);
            }

            public void Int64Constant(string name, long[] shape, params long[] values)
            {
                Declare(name);
                var m = new ProtoMessage();
                foreach (long d in shape) m.Varint(1, d);
                m.Varint(2, Int64).String(8, name);
                foreach (long v in values) m.Varint(7, v);
                _initializers.Add(m);
            }

            /// <summary>Adds a node computing <paramref name="output"/>; returns the output's name.</summary>
            public string Node(string op, string[] inputs, string output, params (string Name, object Value)[] attributes)
            {
                Declare(output);
                var m = new ProtoMessage();
                foreach (var i in inputs) m.String(1, i);
                m.String(2, output).String(3, output).String(4, op);
                foreach (var (name, value) in attributes)
                {
                    var a = new ProtoMessage().String(1, name);
                    if (value is long l) a.Varint(3, l).Varint(20, AttrInt);
                    else
                    {
                        foreach (long v in (long[])value) a.Varint(8, v);
                        a.Varint(20, AttrInts);
                    }
                    m.Message(5, a);
                }
                _nodes.Add(m);
                return output;
            }

            public ProtoMessage Build(string name)
            {
                var g = new ProtoMessage();
                foreach (var n in _nodes) g.Message(1, n);
                g.String(2, name);
                foreach (var i in _initializers) g.Message(5, i);
                foreach (var i in _inputs) g.Message(11, i);
                foreach (var o in _outputs) g.Message(12, o);
                return g;
            }

            private void Declare(string name)
            {
                if (!_names.Add(name)) throw new InvalidOperationException($"ONNX value '{name}' is defined twice.");
            }

            private static ProtoMessage ValueInfo(string name, int elemType, string[] dims)
            {
                var shape = new ProtoMessage();
                foreach (var d in dims)
                    shape.Message(1, long.TryParse(d, out long v) ? new ProtoMessage().Varint(1, v) : new ProtoMessage().String(2, d));
                var tensor = new ProtoMessage().Varint(1, elemType).Message(2, shape);
                return new ProtoMessage().String(1, name).Message(2, new ProtoMessage().Message(1, tensor));
            }
        }
    }
}
