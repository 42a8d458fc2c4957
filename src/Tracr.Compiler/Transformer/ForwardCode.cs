using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Tracr.Transformer
{
    /// <summary>
    /// Writes the forward pass of one model as C#: a class deriving from
    /// <c>Tracr.Runtime.ForwardProgram&lt;float&gt;</c> (or <c>&lt;double&gt;</c> when the model needs
    /// it, <see cref="ForwardLayout.NeedsDoublePrecision"/>) whose blocks are straight-line register code
    /// with the model's residual dimensions and weights as constants. The source generator puts it in every
    /// <c>[RaspProgram]</c> model; a tool can emit it for a model compiled at run time.
    /// </summary>
    /// <remarks>
    /// <para>What is specialised: the element type; the block sequence and which attention layers add in
    /// place; every unrolled block's pruned dimensions (<see cref="ForwardLayout"/>) and weights. A head
    /// computes its query and value vectors with one multiply per non-zero weight and no index loads,
    /// keeps the queries of a chunk of positions in registers, and mixes values per output dimension in
    /// registers; an MLP keeps its hidden neurons in registers and writes each output once.</para>
    /// <para>What is not: a block is unrolled only when the run-time plan would use the triplet form for
    /// it on 512-bit registers (<see cref="FormChoice"/>) and it has at most <see cref="UnrollBudget"/>
    /// non-zero weights. Larger blocks (sort's 4,096-wide comparisons, shuffle_dyck's discretising MLPs)
    /// call the generic kernels, whose sparse row form is faster there, and so do the embedding and the
    /// softmax.</para>
    /// <para>The sums are the kernels' (the reference's order, zero terms adding nothing), so the code
    /// decodes exactly as <c>FastTransformer</c> does; tests check it against the reference forward pass.</para>
    /// </remarks>
    public static class ForwardCode
    {
        /// <summary>Non-zero weights above which a block is left to the generic kernels (keeps methods small for the JIT).</summary>
        public const int UnrollBudget = 512;

        /// <summary>Hidden neurons above which an MLP is left to the kernels (they live in registers or on the stack).</summary>
        public const int MaxUnrolledNeurons = 256;

        /// <summary>
        /// The class, without namespace or usings (every name is global-qualified). Its constructor takes
        /// the model's <see cref="PackedModel"/> and throws if that is not the model it was generated for.
        /// </summary>
        /// <param name="model">The model.</param>
        /// <param name="className">The class's name.</param>
        /// <param name="modifiers">Its modifiers, e.g. "private sealed".</param>
        /// <param name="doublePrecision">float64 code; null applies <see cref="ForwardLayout.NeedsDoublePrecision"/>.</param>
        public static string Emit(PackedModel model, string className, string modifiers = "public sealed", bool? doublePrecision = null)
        {
            var w = new SourceWriter();
            Emit(w, model, className, modifiers, doublePrecision);
            return w.ToString();
        }

        /// <summary>True when <paramref name="head"/> gets specialised code at <paramref name="positions"/> positions.</summary>
        public static bool Unrolls(PrunedHead head, int positions, bool doublePrecision)
        {
            int lanes = doublePrecision ? 8 : 16;
            return head.QueryKey.NonZeroCount + head.OutputValue.NonZeroCount <= UnrollBudget
                && FormChoice.Choose(FormSelection.Auto, head.QueryKey, positions, lanes) == WeightForm.Triplets
                && FormChoice.Choose(FormSelection.Auto, head.OutputValue, positions, lanes) == WeightForm.Triplets
                && (long)positions * (head.KeyDims.Length + head.OutputDims.Length) <= 8 * UnrollBudget;
        }

        /// <summary>True when <paramref name="mlp"/> gets specialised code at <paramref name="positions"/> positions.</summary>
        public static bool Unrolls(PrunedMlp mlp, int positions, bool doublePrecision) =>
            mlp.W1.NonZeroCount + mlp.W2.NonZeroCount <= UnrollBudget
            && mlp.HiddenSize <= MaxUnrolledNeurons
            && FormChoice.ChooseMlp(FormSelection.Auto, mlp, positions, doublePrecision ? 8 : 16, doublePrecision ? 8 : 4) == WeightForm.Triplets;

        internal static void Emit(SourceWriter w, PackedModel model, string className, string modifiers, bool? doublePrecision)
        {
            var layout = ForwardLayout.From(model);
            bool useDouble = doublePrecision ?? layout.NeedsDoublePrecision;
            var e = new Emitter(w, layout, useDouble);
            e.Class(className, modifiers);
        }

        private sealed class Emitter
        {
            private readonly SourceWriter _w;
            private readonly ForwardLayout _layout;
            private readonly bool _double;
            private readonly string _t;
            private readonly int _positions;

            public Emitter(SourceWriter w, ForwardLayout layout, bool useDouble)
            {
                _w = w;
                _layout = layout;
                _double = useDouble;
                _t = useDouble ? "double" : "float";
                _positions = layout.Model.MaxSeqLen + 1;
            }

            private const string Rt = "global::Tracr.Runtime.";
            private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
            private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

            private string Span => $"global::System.Span<{_t}>";
            private string ReadOnlySpan => $"global::System.ReadOnlySpan<{_t}>";
            private string Scratch => $"{Rt}KernelScratch<{_t}>";
            private string Where => $"where TV : struct, {Rt}IRegister<TV, {_t}>";

            private bool Unrolled(PrunedHead h) => Unrolls(h, _positions, _double);
            private bool Unrolled(PrunedMlp m) => Unrolls(m, _positions, _double);

            public void Class(string className, string modifiers)
            {
                var w = _w;
                var model = _layout.Model;
                var specialised = new List<string>();
                for (int b = 0; b < _layout.Blocks.Length; b++)
                {
                    if (_layout.Blocks[b] is PrunedAttention a)
                        for (int h = 0; h < a.Heads.Length; h++)
                            if (Unrolled(a.Heads[h])) specialised.Add($"{a.Name} head {h} ({a.Heads[h].Node})");
                    if (_layout.Blocks[b] is PrunedMlp m && Unrolled(m)) specialised.Add(m.Name);
                }
                int total = _layout.Blocks.Sum(b => b is PrunedAttention a ? a.Heads.Length : 1);

                w.Line($"/// <summary>The forward pass specialised to this model ({_t}): {specialised.Count} of {total} heads and MLPs unrolled with their weights as constants, the rest on the generic kernels.</summary>");
                w.Line($"{modifiers} class {className} : {Rt}ForwardProgram<{_t}>");
                w.Open();
                w.Line($"private static readonly int[] Shape = {{ {string.Join(", ", Shape())} }};");
                w.Line($"private static readonly string[] Specialised = {{ {string.Join(", ", specialised.Select(SourceWriter.String))} }};");
                w.Line();
                w.Line($"public {className}(global::Tracr.Transformer.PackedModel layout) : base(new {Rt}ModelPlan<{_t}>(layout)) {{ CheckShape({model.Width}, Shape); }}");
                w.Line();
                w.Line("public override global::System.Collections.Generic.IReadOnlyList<string> SpecialisedBlocks => Specialised;");
                w.Line();

                // The fast path: every block, in place.
                w.Line($"public override void RunBlocks({Span} x, int stride, int n, {Scratch} scratch)");
                w.Open();
                w.Line("CheckArguments(x, x, stride, n, scratch);");
                Dispatch("Blocks", "x, stride, n, scratch");
                w.Close();
                w.Line();
                w.Line($"private void Blocks<TV>({Span} x, int stride, int n, {Scratch} scratch) {Where}");
                w.Open();
                w.Line($"var logits = new {Span}(scratch.Logits, 0, n * stride);");
                w.Line($"var weights = new {Span}(scratch.Weights, 0, n * stride);");
                for (int b = 0; b < _layout.Blocks.Length; b++)
                {
                    if (_layout.Blocks[b] is PrunedAttention a)
                    {
                        if (a.Heads.Length == 0) continue;
                        w.Line($"// {a.Name}: {(a.InPlace ? "the heads add straight into the residual stream" : "the heads add into a delta, then the delta is added")}");
                        string target = a.InPlace ? "x" : "delta";
                        if (!a.InPlace)
                        {
                            w.Line($"var delta{b} = new {Span}(scratch.Delta, 0, {model.Width} * stride);");
                            target = $"delta{b}";
                            foreach (int d in a.OutputUnion) w.Line($"{target}.Slice({d} * stride, stride).Clear();");
                        }
                        for (int h = 0; h < a.Heads.Length; h++)
                            w.Line(Unrolled(a.Heads[h])
                                ? $"Head{b}_{h}<TV>(x, {target}, stride, n, scratch.ValueRows, logits, weights);"
                                : $"KernelHead({b}, {h}, x, {target}, stride, n, scratch, logits, weights);");
                        if (!a.InPlace)
                            foreach (int d in a.OutputUnion) w.Line($"{Rt}Simd.AddFull<{_t}>(x.Slice({d} * stride, stride), {target}.Slice({d} * stride, stride));");
                    }
                    else if (_layout.Blocks[b] is PrunedMlp m)
                    {
                        w.Line($"// {m.Name}");
                        w.Line(Unrolled(m) ? $"Mlp{b}<TV>(x, x, stride, n);" : $"KernelMlp({b}, x, x, stride, n, scratch);");
                    }
                }
                w.Close();
                w.Line();

                // The full path's entry points: one block part at a time.
                w.Line($"public override void RunHead(int block, int head, {ReadOnlySpan} x, {Span} target, int stride, int n, {Scratch} scratch, {Span} logits, {Span} weights)");
                w.Open();
                w.Line("CheckArguments(x, target, stride, n, scratch);");
                w.Line("CheckAttention(logits, weights, stride, n);");
                for (int b = 0; b < _layout.Blocks.Length; b++)
                    if (_layout.Blocks[b] is PrunedAttention a)
                        for (int h = 0; h < a.Heads.Length; h++)
                            if (Unrolled(a.Heads[h]))
                            {
                                w.Line($"if (block == {b} && head == {h})");
                                w.Open();
                                Dispatch($"Head{b}_{h}", "x, target, stride, n, scratch.ValueRows, logits, weights");
                                w.Line("return;");
                                w.Close();
                            }
                w.Line("KernelHead(block, head, x, target, stride, n, scratch, logits, weights);");
                w.Close();
                w.Line();
                w.Line($"public override void RunMlp(int block, {ReadOnlySpan} x, {Span} target, int stride, int n, {Scratch} scratch)");
                w.Open();
                w.Line("CheckArguments(x, target, stride, n, scratch);");
                for (int b = 0; b < _layout.Blocks.Length; b++)
                    if (_layout.Blocks[b] is PrunedMlp m && Unrolled(m))
                    {
                        w.Line($"if (block == {b})");
                        w.Open();
                        Dispatch($"Mlp{b}", "x, target, stride, n");
                        w.Line("return;");
                        w.Close();
                    }
                w.Line("KernelMlp(block, x, target, stride, n, scratch);");
                w.Close();

                for (int b = 0; b < _layout.Blocks.Length; b++)
                {
                    if (_layout.Blocks[b] is PrunedAttention a)
                    {
                        for (int h = 0; h < a.Heads.Length; h++)
                            if (Unrolled(a.Heads[h])) Head(b, h, a);
                    }
                    else if (_layout.Blocks[b] is PrunedMlp m && Unrolled(m))
                    {
                        Mlp(b, m);
                    }
                }
                w.Close();
            }

            /// <summary>Per block part, its pruned dimension counts (checked against the plan at construction).</summary>
            private IEnumerable<int> Shape()
            {
                foreach (var block in _layout.Blocks)
                {
                    if (block is PrunedAttention a)
                        foreach (var h in a.Heads)
                        {
                            yield return h.QueryDims.Length;
                            yield return h.KeyDims.Length;
                            yield return h.ValueDims.Length;
                            yield return h.OutputDims.Length;
                        }
                    else if (block is PrunedMlp m)
                    {
                        yield return m.InputDims.Length;
                        yield return m.HiddenSize;
                        yield return m.OutputDims.Length;
                    }
                    yield return -1;
                }
            }

            /// <summary>Calls the generic method on the widest register the machine accelerates.</summary>
            private void Dispatch(string method, string arguments)
            {
                _w.Line($"if (global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) {method}<{Rt}Register512<{_t}>>({arguments});");
                _w.Line($"else if (global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) {method}<{Rt}Register256<{_t}>>({arguments});");
                _w.Line($"else {method}<{Rt}Register1<{_t}>>({arguments});");
            }

            private void Prologue(params string[] spans)
            {
                foreach (var s in spans) _w.Line($"ref {_t} r{s} = ref {Marshal}.GetReference({s});");
                _w.Line("nuint st = (nuint)stride;");
                _w.Line("int end = (n + TV.Count - 1) / TV.Count * TV.Count;");
            }

            /// <summary>
            /// <c>var name = Σ_k w_k · operand(row_k)</c> over the <paramref name="terms"/> of one column, rows ascending:
            /// the first term a multiply, the rest multiply-adds (the kernels' order).
            /// </summary>
            private void Sum(string name, List<(int Row, double Weight)> terms, Func<int, string> operand)
            {
                if (terms.Count == 0)
                {
                    _w.Line($"var {name} = TV.Zero;");
                    return;
                }
                _w.Line($"var {name} = TV.Multiply(TV.Broadcast({Literal(terms[0].Weight)}), {operand(terms[0].Row)});");
                for (int k = 1; k < terms.Count; k++)
                    _w.Line($"{name} = TV.MultiplyAdd({name}, TV.Broadcast({Literal(terms[k].Weight)}), {operand(terms[k].Row)});");
            }

            private void Head(int b, int h, PrunedAttention layer)
            {
                var head = layer.Heads[h];
                var w = _w;
                var qk = Columns(head.QueryKey);
                var ov = Columns(head.OutputValue);
                w.Line();
                w.Line($"// {layer.Name}, head {h} ({head.Node}{(head.Causal ? ", causal" : "")}): query dims [{string.Join(", ", head.QueryDims)}], key dims [{string.Join(", ", head.KeyDims)}],");
                w.Line($"// value dims [{string.Join(", ", head.ValueDims)}], output dims [{string.Join(", ", head.OutputDims)}]; {head.QueryKey.NonZeroCount} W_QK and {head.OutputValue.NonZeroCount} W_OV weights.");
                w.Line($"private static void Head{b}_{h}<TV>({ReadOnlySpan} x, {Span} target, int stride, int n, {Span} values, {Span} logits, {Span} weights) {Where}");
                w.Open();
                Prologue("x", "target", "values", "logits", "weights");
                w.Line("// logits[s, p] = (x[p, Q] · W_QK) · x[s, K]: the queries of a chunk of positions p stay in registers.");
                w.Line("for (int b = 0; b < end; b += TV.Count)");
                w.Open();
                w.Line("nuint p = (nuint)b;");
                for (int j = 0; j < qk.Length; j++)
                    Sum($"q{j}", qk[j], r => $"TV.Load(ref rx, {head.QueryDims[r]} * st + p)");
                w.Line("for (int s = 0; s < n; s++)");
                w.Open();
                w.Line("nuint k = (nuint)s;");
                if (qk.Length == 0) w.Line("var l = TV.Zero;");
                for (int j = 0; j < qk.Length; j++)
                {
                    string key = $"TV.Broadcast({Unsafe}.Add(ref rx, {head.KeyDims[j]} * st + k))";
                    w.Line(j == 0 ? $"var l = TV.Multiply(q0, {key});" : $"l = TV.MultiplyAdd(l, q{j}, {key});");
                }
                w.Line("TV.Store(l, ref rlogits, k * st + p);");
                w.Close();
                w.Close();
                if (head.Causal) w.Line($"{Rt}TransformerKernels.MaskCausal<{_t}>(logits, stride, n);");
                w.Line($"{Rt}TransformerKernels.SoftmaxOverKeys<{_t}>(logits, weights, stride, n);");
                if (ov.Length > 0)
                {
                    w.Line("// values[j, s] = x[s, V] · W_OV[:, j]");
                    w.Line("for (int b = 0; b < end; b += TV.Count)");
                    w.Open();
                    w.Line("nuint p = (nuint)b;");
                    for (int j = 0; j < ov.Length; j++)
                    {
                        Sum($"v{j}", ov[j], r => $"TV.Load(ref rx, {head.ValueDims[r]} * st + p)");
                        w.Line($"TV.Store(v{j}, ref rvalues, {j} * st + p);");
                    }
                    w.Close();
                    w.Line("// target[p, O_j] += Σ_s weights[s, p] · values[j, s], s ascending, in registers per output dimension.");
                    w.Line("for (int b = 0; b < end; b += TV.Count)");
                    w.Open();
                    w.Line("nuint p = (nuint)b;");
                    for (int j = 0; j < ov.Length; j++) w.Line($"var o{j} = TV.Zero;");
                    w.Line("for (int s = 0; s < n; s++)");
                    w.Open();
                    w.Line("nuint k = (nuint)s;");
                    w.Line("var a = TV.Load(ref rweights, k * st + p);");
                    for (int j = 0; j < ov.Length; j++)
                        w.Line($"o{j} = TV.MultiplyAdd(o{j}, a, TV.Broadcast({Unsafe}.Add(ref rvalues, {j} * st + k)));");
                    w.Close();
                    for (int j = 0; j < ov.Length; j++)
                        w.Line($"TV.Store(TV.Add(TV.Load(ref rtarget, {head.OutputDims[j]} * st + p), o{j}), ref rtarget, {head.OutputDims[j]} * st + p);");
                    w.Close();
                }
                w.Close();
            }

            private void Mlp(int b, PrunedMlp mlp)
            {
                var w = _w;
                var w1 = Columns(mlp.W1);
                var w2 = Columns(mlp.W2);
                w.Line();
                w.Line($"// {mlp.Name} ({string.Join(", ", mlp.Nodes)}): input dims [{string.Join(", ", mlp.InputDims)}], {mlp.HiddenSize} of {mlp.OriginalHiddenSize} neurons, output dims [{string.Join(", ", mlp.OutputDims)}];");
                w.Line($"// {mlp.W1.NonZeroCount} W1 and {mlp.W2.NonZeroCount} W2 weights. The hidden layer of a chunk of positions stays in registers.");
                w.Line($"private static void Mlp{b}<TV>({ReadOnlySpan} x, {Span} target, int stride, int n) {Where}");
                w.Open();
                Prologue("x", "target");
                w.Line("for (int b = 0; b < end; b += TV.Count)");
                w.Open();
                w.Line("nuint p = (nuint)b;");
                for (int k = 0; k < w1.Length; k++)
                {
                    Sum($"h{k}", w1[k], r => $"TV.Load(ref rx, {mlp.InputDims[r]} * st + p)");
                    w.Line($"h{k} = TV.Max(h{k}, TV.Zero);");
                }
                for (int j = 0; j < w2.Length; j++)
                {
                    Sum($"y{j}", w2[j], r => $"h{r}");
                    w.Line($"TV.Store(TV.Add(TV.Load(ref rtarget, {mlp.OutputDims[j]} * st + p), y{j}), ref rtarget, {mlp.OutputDims[j]} * st + p);");
                }
                w.Close();
                w.Close();
            }

            /// <summary>The non-zero entries of each column, rows ascending (the order the kernels sum in).</summary>
            private static List<(int Row, double Weight)>[] Columns(RunMatrix m)
            {
                var columns = new List<(int, double)>[m.Columns];
                for (int c = 0; c < m.Columns; c++) columns[c] = new List<(int, double)>();
                for (int r = 0; r < m.Rows; r++)
                    for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                        if (m.RunValue[i] != 0)
                            for (int c = 0; c < m.RunLength[i]; c++) columns[m.RunColumn[i] + c].Add((r, m.RunValue[i]));
                return columns;
            }

            /// <summary>The weight in the element type, as a literal that parses to exactly the value the run-time plan converts it to.</summary>
            private string Literal(double value)
            {
                if (double.IsNaN(value) || double.IsInfinity(value)) throw new ArgumentException($"Weight {value} is not finite.");
                if (_double) return SourceWriter.Double(value);
                float f = (float)value;
                if (float.IsInfinity(f)) throw new ArgumentException($"Weight {value} does not fit float32.");
                string s = f.ToString("R", CultureInfo.InvariantCulture);
                if (float.Parse(s, CultureInfo.InvariantCulture) != f) s = f.ToString("G9", CultureInfo.InvariantCulture);
                return s + "f";
            }
        }
    }
}
