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

        /// <summary>The names of the heads and MLPs of <paramref name="model"/> that get specialised code, in order ("layer 0 attention head 1 (node)", "layer 0 mlp").</summary>
        public static IReadOnlyList<string> SpecialisedBlocks(PackedModel model, bool? doublePrecision = null) =>
            SpecialisedBlocks(ForwardLayout.From(model), doublePrecision);

        private static List<string> SpecialisedBlocks(ForwardLayout layout, bool? doublePrecision)
        {
            bool useDouble = doublePrecision ?? layout.NeedsDoublePrecision;
            int positions = layout.Model.MaxSeqLen + 1;
            var names = new List<string>();
            foreach (var block in layout.Blocks)
            {
                if (block is PrunedAttention a)
                    for (int h = 0; h < a.Heads.Length; h++)
                        if (Unrolls(a.Heads[h], positions, useDouble)) names.Add($"{a.Name} head {h} ({a.Heads[h].Node})");
                if (block is PrunedMlp m && Unrolls(m, positions, useDouble)) names.Add(m.Name);
            }
            return names;
        }

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
            private const string Intrinsics = "global::System.Runtime.Intrinsics.";
            private const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
            private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

            /// <summary>The register widths the code is written for, widest first; other machines run the generic kernels.</summary>
            private static readonly int[] Widths = { 512, 256 };

            private string Span => $"global::System.Span<{_t}>";
            private string ReadOnlySpan => $"global::System.ReadOnlySpan<{_t}>";
            private string Scratch => $"{Rt}KernelScratch<{_t}>";

            // The register type of one width and its operations. Written out (not a generic register
            // abstraction): with hundreds of register locals per block, a wrapper struct keeps the JIT from
            // enregistering them (measured: up to 15x slower on the larger blocks).
            private string V(int width) => $"{Intrinsics}Vector{width}<{_t}>";
            private string Zero(int width) => $"{V(width)}.Zero";
            private string Load(int width, string r, string offset) => $"{Intrinsics}Vector{width}.LoadUnsafe(ref {r}, {offset})";
            private string Create(int width, string value) => $"{Intrinsics}Vector{width}.Create({value})";

            private bool Unrolled(PrunedHead h) => Unrolls(h, _positions, _double);
            private bool Unrolled(PrunedMlp m) => Unrolls(m, _positions, _double);

            public void Class(string className, string modifiers)
            {
                var w = _w;
                var model = _layout.Model;
                var specialised = SpecialisedBlocks(_layout, _double);
                int total = _layout.Blocks.Sum(b => b is PrunedAttention a ? a.Heads.Length : 1);

                w.Line($"/// <summary>The forward pass specialised to this model ({_t}): {specialised.Count} of {total} heads and MLPs unrolled with their weights as constants (512- and 256-bit registers), the rest on the generic kernels.</summary>");
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
                Dispatch("Blocks", "x, stride, n, scratch", "KernelBlocks(x, stride, n, scratch);");
                w.Close();
                foreach (int width in Widths) Blocks(width);
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
                                Dispatch($"Head{b}_{h}_", "x, target, stride, n, scratch.ValueRows, logits, weights", null);
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
                        Dispatch($"Mlp{b}_", "x, target, stride, n", null);
                        w.Close();
                    }
                w.Line("KernelMlp(block, x, target, stride, n, scratch);");
                w.Close();

                foreach (int width in Widths)
                    for (int b = 0; b < _layout.Blocks.Length; b++)
                    {
                        if (_layout.Blocks[b] is PrunedAttention a)
                        {
                            for (int h = 0; h < a.Heads.Length; h++)
                                if (Unrolled(a.Heads[h])) Head(width, b, h, a);
                        }
                        else if (_layout.Blocks[b] is PrunedMlp m && Unrolled(m))
                        {
                            Mlp(width, b, m);
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

            /// <summary>
            /// Calls <paramref name="method"/> + width on the widest register the machine accelerates and returns;
            /// otherwise runs <paramref name="fallback"/> (or falls through to the statement after, when null).
            /// </summary>
            private void Dispatch(string method, string arguments, string? fallback)
            {
                foreach (int width in Widths)
                {
                    _w.Line($"if ({Intrinsics}Vector{width}.IsHardwareAccelerated)");
                    _w.Open();
                    _w.Line($"{method}{width}({arguments});");
                    _w.Line("return;");
                    _w.Close();
                }
                if (fallback != null) _w.Line(fallback);
            }

            private void Blocks(int width)
            {
                var w = _w;
                var model = _layout.Model;
                w.Line();
                w.Line($"private void Blocks{width}({Span} x, int stride, int n, {Scratch} scratch)");
                w.Open();
                w.Line($"var logits = new {Span}(scratch.Logits, 0, n * stride);");
                w.Line($"var weights = new {Span}(scratch.Weights, 0, n * stride);");
                for (int b = 0; b < _layout.Blocks.Length; b++)
                {
                    if (_layout.Blocks[b] is PrunedAttention a)
                    {
                        if (a.Heads.Length == 0) continue;
                        w.Line($"// {a.Name}: {(a.InPlace ? "the heads add straight into the residual stream" : "the heads add into a delta, then the delta is added")}");
                        string target = "x";
                        if (!a.InPlace)
                        {
                            target = $"delta{b}";
                            w.Line($"var {target} = new {Span}(scratch.Delta, 0, {model.Width} * stride);");
                            foreach (int d in a.OutputUnion) w.Line($"{target}.Slice({d} * stride, stride).Clear();");
                        }
                        for (int h = 0; h < a.Heads.Length; h++)
                            w.Line(Unrolled(a.Heads[h])
                                ? $"Head{b}_{h}_{width}(x, {target}, stride, n, scratch.ValueRows, logits, weights);"
                                : $"KernelHead({b}, {h}, x, {target}, stride, n, scratch, logits, weights);");
                        if (!a.InPlace)
                            foreach (int d in a.OutputUnion) w.Line($"{Rt}Simd.AddFull<{_t}>(x.Slice({d} * stride, stride), {target}.Slice({d} * stride, stride));");
                    }
                    else if (_layout.Blocks[b] is PrunedMlp m)
                    {
                        w.Line($"// {m.Name}");
                        w.Line(Unrolled(m) ? $"Mlp{b}_{width}(x, x, stride, n);" : $"KernelMlp({b}, x, x, stride, n, scratch);");
                    }
                }
                w.Close();
            }

            private void Prologue(int width, params string[] spans)
            {
                foreach (var s in spans) _w.Line($"ref {_t} r{s} = ref {Marshal}.GetReference({s});");
                _w.Line("nuint st = (nuint)stride;");
                _w.Line($"int count = {V(width)}.Count, end = (n + count - 1) / count * count;");
            }

            /// <summary>
            /// <c>acc[c] = Σ_r w[r, c] · input(r)</c> for every column c of <paramref name="m"/> (registers named
            /// <paramref name="acc"/>0, 1, ...), input by input in ascending order: the kernels' per-column order.
            /// An input that is zero at every position of the chunk is skipped (its terms are exact zeros).
            /// <paramref name="load"/> gives the expression of input r, or null when it is already the register
            /// named by <paramref name="register"/>.
            /// </summary>
            private void Sums(int width, RunMatrix m, string acc, Func<int, string>? load, Func<int, string> register)
            {
                for (int c = 0; c < m.Columns; c++) _w.Line($"var {acc}{c} = {Zero(width)};");
                for (int r = 0; r < m.Rows; r++)
                {
                    var terms = new List<(int Column, double Weight)>();
                    for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                        if (m.RunValue[i] != 0)
                            for (int c = 0; c < m.RunLength[i]; c++) terms.Add((m.RunColumn[i] + c, m.RunValue[i]));
                    if (terms.Count == 0) continue;
                    string input = register(r);
                    if (load != null) _w.Line($"var {input} = {load(r)};");
                    _w.Line($"if ({input} != {Zero(width)})");
                    _w.Open();
                    foreach (var (c, weight) in terms)
                        _w.Line($"{acc}{c} += {Create(width, Literal(weight))} * {input};");
                    _w.Close();
                }
            }

            private void Head(int width, int b, int h, PrunedAttention layer)
            {
                var head = layer.Heads[h];
                var w = _w;
                int nk = head.KeyDims.Length, no = head.OutputDims.Length;
                w.Line();
                w.Line($"// {layer.Name}, head {h} ({head.Node}{(head.Causal ? ", causal" : "")}), {width}-bit registers: query dims [{string.Join(", ", head.QueryDims)}],");
                w.Line($"// key dims [{string.Join(", ", head.KeyDims)}], value dims [{string.Join(", ", head.ValueDims)}], output dims [{string.Join(", ", head.OutputDims)}];");
                w.Line($"// {head.QueryKey.NonZeroCount} W_QK and {head.OutputValue.NonZeroCount} W_OV weights.");
                w.Line($"private static void Head{b}_{h}_{width}({ReadOnlySpan} x, {Span} target, int stride, int n, {Span} values, {Span} logits, {Span} weights)");
                w.Open();
                Prologue(width, "x", "target", "values", "logits", "weights");
                w.Line("// logits[s, p] = (x[p, Q] · W_QK) · x[s, K]: the queries of a chunk of positions p stay in registers.");
                w.Line("for (int b = 0; b < end; b += count)");
                w.Open();
                w.Line("nuint p = (nuint)b;");
                Sums(width, head.QueryKey, "q", r => Load(width, "rx", $"{head.QueryDims[r]} * st + p"), r => $"x{r}");
                w.Line("for (int s = 0; s < n; s++)");
                w.Open();
                w.Line("nuint k = (nuint)s;");
                w.Line($"var l = {Zero(width)};");
                for (int j = 0; j < nk; j++)
                {
                    w.Line($"{_t} k{j} = {Unsafe}.Add(ref rx, {head.KeyDims[j]} * st + k);");
                    w.Line($"if (k{j} != 0) l += q{j} * {Create(width, "k" + j)};");
                }
                w.Line($"{Intrinsics}Vector{width}.StoreUnsafe(l, ref rlogits, k * st + p);");
                w.Close();
                w.Close();
                if (head.Causal) w.Line($"{Rt}TransformerKernels.MaskCausal<{_t}>(logits, stride, n);");
                w.Line($"{Rt}TransformerKernels.SoftmaxOverKeys<{_t}>(logits, weights, stride, n);");
                if (no > 0)
                {
                    w.Line("// values[j, s] = x[s, V] · W_OV[:, j]");
                    w.Line("for (int b = 0; b < end; b += count)");
                    w.Open();
                    w.Line("nuint p = (nuint)b;");
                    Sums(width, head.OutputValue, "v", r => Load(width, "rx", $"{head.ValueDims[r]} * st + p"), r => $"x{r}");
                    for (int j = 0; j < no; j++) w.Line($"{Intrinsics}Vector{width}.StoreUnsafe(v{j}, ref rvalues, {j} * st + p);");
                    w.Close();
                    w.Line("// target[p, O_j] += Σ_s weights[s, p] · values[j, s], s ascending, zero values skipped; an output register per dimension.");
                    w.Line("for (int b = 0; b < end; b += count)");
                    w.Open();
                    w.Line("nuint p = (nuint)b;");
                    for (int j = 0; j < no; j++) w.Line($"var o{j} = {Zero(width)};");
                    w.Line("for (int s = 0; s < n; s++)");
                    w.Open();
                    w.Line("nuint k = (nuint)s;");
                    w.Line($"var a = {Load(width, "rweights", "k * st + p")};");
                    for (int j = 0; j < no; j++)
                    {
                        w.Line($"{_t} v{j} = {Unsafe}.Add(ref rvalues, {j} * st + k);");
                        w.Line($"if (v{j} != 0) o{j} += a * {Create(width, "v" + j)};");
                    }
                    w.Close();
                    for (int j = 0; j < no; j++)
                        w.Line($"{Intrinsics}Vector{width}.StoreUnsafe({Load(width, "rtarget", $"{head.OutputDims[j]} * st + p")} + o{j}, ref rtarget, {head.OutputDims[j]} * st + p);");
                    w.Close();
                }
                w.Close();
            }

            private void Mlp(int width, int b, PrunedMlp mlp)
            {
                var w = _w;
                w.Line();
                w.Line($"// {mlp.Name} ({string.Join(", ", mlp.Nodes)}), {width}-bit registers: input dims [{string.Join(", ", mlp.InputDims)}], {mlp.HiddenSize} of {mlp.OriginalHiddenSize} neurons,");
                w.Line($"// output dims [{string.Join(", ", mlp.OutputDims)}]; {mlp.W1.NonZeroCount} W1 and {mlp.W2.NonZeroCount} W2 weights. The hidden layer of a chunk stays in registers.");
                w.Line($"private static void Mlp{b}_{width}({ReadOnlySpan} x, {Span} target, int stride, int n)");
                w.Open();
                Prologue(width, "x", "target");
                w.Line("for (int b = 0; b < end; b += count)");
                w.Open();
                w.Line("nuint p = (nuint)b;");
                Sums(width, mlp.W1, "h", r => Load(width, "rx", $"{mlp.InputDims[r]} * st + p"), r => $"x{r}");
                for (int k = 0; k < mlp.HiddenSize; k++) w.Line($"h{k} = {Intrinsics}Vector{width}.Max(h{k}, {Zero(width)});");
                Sums(width, mlp.W2, "y", null, r => $"h{r}");
                for (int j = 0; j < mlp.OutputDims.Length; j++)
                    w.Line($"{Intrinsics}Vector{width}.StoreUnsafe({Load(width, "rtarget", $"{mlp.OutputDims[j]} * st + p")} + y{j}, ref rtarget, {mlp.OutputDims[j]} * st + p);");
                w.Close();
                w.Close();
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
