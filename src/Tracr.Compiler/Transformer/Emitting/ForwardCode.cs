using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tracr.Generated;

namespace Tracr.Transformer
{
    /// <summary>
    /// Writes the forward pass of one model as C#: a class deriving from
    /// <c>Tracr.Generated.ForwardProgram&lt;float&gt;</c> (or <c>&lt;double&gt;</c> when the model needs
    /// it, <see cref="PackedModel.NeedsDoublePrecision"/>) whose blocks are straight-line register code
    /// with the model's residual dimensions and weights as constants, written once for every register
    /// width (generic over <c>IRegisterWidth</c>, which the JIT specialises per width). The source generator puts it in every
    /// <c>[RaspProgram]</c> model; a tool can emit it for a model compiled at run time.
    /// </summary>
    /// <remarks>
    /// <para>What is specialised: the element type; the block sequence and which attention layers add in
    /// place; every unrolled block's pruned dimensions (<see cref="BlockPruning"/>) and weights. A head
    /// computes its query and value vectors with one multiply per non-zero weight and no index loads,
    /// keeps the queries of a chunk of positions in registers, and mixes values per output dimension in
    /// registers; an MLP computes one hidden neuron at a time (a line of source each: <c>relu</c> of its W1 sum, added
    /// into the output registers) and writes each output once. Sums are nested calls, a few terms per statement,
    /// with single-use inputs loaded in place: the source stays about one call per weight.</para>
    /// <para>What is not: a block is unrolled only when the run-time plan would use the triplet form for
    /// it on 512-bit registers (<see cref="FormChoice"/>) and it has at most <see cref="UnrollBudget"/>
    /// non-zero weights. Larger blocks (sort's 4,096-wide comparisons, shuffle_dyck's discretising MLPs)
    /// call the generic kernels, whose sparse row form is faster there, and so do the embedding and the
    /// softmax.</para>
    /// <para>The sums are the kernels' (the reference's order, zero terms adding nothing), so the code
    /// decodes exactly as <c>FastTransformer</c> does; tests check it against the reference forward pass.</para>
    /// </remarks>
    internal static class ForwardCode
    {
        /// <summary>Non-zero weights above which a block is left to the generic kernels (keeps methods small for the JIT).</summary>
        public const int UnrollBudget = 512;

        /// <summary>Hidden neurons above which an MLP is left to the kernels (they live in registers or on the stack).</summary>
        public const int MaxUnrolledNeurons = 256;

        /// <summary>
        /// The classes, without namespace or usings: place them in a namespace declaration with the
        /// <see cref="Usings"/>. <c>className.Create(packed)</c> returns the forward program for the model's
        /// <see cref="PackedModel"/> and throws if that is not the model the code was generated for.
        /// </summary>
        /// <param name="packed">The model.</param>
        /// <param name="className">The classes' name.</param>
        /// <param name="modifiers">Their accessibility, e.g. "public" or "file".</param>
        /// <param name="doublePrecision">float64 code; null applies <see cref="PackedModel.NeedsDoublePrecision"/>.</param>
        public static string Emit(PackedModel packed, string className, string modifiers = "public", bool? doublePrecision = null)
        {
            var w = new SourceWriter();
            Emit(w, packed, className, modifiers, doublePrecision);
            return w.ToString();
        }

        /// <summary>True when <paramref name="head"/> gets specialised code at <paramref name="positions"/> positions.</summary>
        public static bool Unrolls(PackedHead head, int positions, bool doublePrecision)
        {
            int lanes = doublePrecision ? 8 : 16;
            return head.QueryKey.NonZeroCount + head.OutputValue.NonZeroCount <= UnrollBudget
                && FormChoice.Choose(FormSelection.Auto, head.QueryKey, positions, lanes) == WeightForm.Triplets
                && FormChoice.Choose(FormSelection.Auto, head.OutputValue, positions, lanes) == WeightForm.Triplets
                && (long)positions * (head.KeyDims.Length + head.OutputDims.Length) <= 8 * UnrollBudget;
        }

        /// <summary>True when <paramref name="mlp"/> gets specialised code at <paramref name="positions"/> positions.</summary>
        public static bool Unrolls(PackedMlp mlp, int positions, bool doublePrecision) =>
            mlp.W1.NonZeroCount + mlp.W2.NonZeroCount <= UnrollBudget
            && mlp.HiddenSize <= MaxUnrolledNeurons
            && FormChoice.ChooseMlp(FormSelection.Auto, mlp, positions, doublePrecision ? 8 : 16, doublePrecision ? 8 : 4) == WeightForm.Triplets;

        /// <summary>
        /// Non-zero weights a model unrolls in total (its code size grows with them): blocks are taken in
        /// order while they fit; the rest run on the kernels. Keeps a large model's generated source, and so
        /// every build's C# compile time, bounded. 0 unrolls nothing (the smallest code: every block on the
        /// kernels); <see cref="int.MaxValue"/> unrolls every block that qualifies.
        /// </summary>
        public const int DefaultModelBudget = 2048;

        /// <summary>The names of the heads and MLPs of <paramref name="packed"/> that get specialised code, in order ("layer 0 attention head 1 (node)", "layer 0 mlp").</summary>
        public static IReadOnlyList<string> SpecialisedBlocks(PackedModel packed, bool? doublePrecision = null, int modelBudget = DefaultModelBudget) =>
            Specialised(packed, doublePrecision ?? packed.NeedsDoublePrecision, modelBudget).Select(p => p.Name).ToList();

        /// <summary>The block parts that get specialised code: (block index, head index or -1 for an MLP, name), in order.</summary>
        private static List<(int Block, int Head, string Name)> Specialised(PackedModel packed, bool useDouble, int modelBudget)
        {
            int positions = packed.MaxPositions;
            var parts = new List<(int, int, string)>();
            long used = 0;
            for (int b = 0; b < packed.Blocks.Length; b++)
            {
                if (packed.Blocks[b] is PackedAttention a)
                {
                    for (int h = 0; h < a.Heads.Length; h++)
                    {
                        var head = a.Heads[h];
                        long weights = head.QueryKey.NonZeroCount + head.OutputValue.NonZeroCount;
                        if (!Unrolls(head, positions, useDouble) || used + weights > modelBudget) continue;
                        used += weights;
                        parts.Add((b, h, $"{a.Name} head {h} ({head.Node})"));
                    }
                }
                else if (packed.Blocks[b] is PackedMlp m)
                {
                    long weights = m.W1.NonZeroCount + m.W2.NonZeroCount;
                    if (!Unrolls(m, positions, useDouble) || used + weights > modelBudget) continue;
                    used += weights;
                    parts.Add((b, -1, m.Name));
                }
            }
            return parts;
        }

        internal static void Emit(SourceWriter w, PackedModel packed, string className, string modifiers, bool? doublePrecision, int modelBudget = DefaultModelBudget)
        {
            bool useDouble = doublePrecision ?? packed.NeedsDoublePrecision;
            new Emitter(w, packed, useDouble, Specialised(packed, useDouble, modelBudget)).Classes(className, modifiers);
        }

        /// <summary>
        /// The namespaces the emitted classes name types from: put these <c>using</c> directives in the
        /// namespace declaration that holds them (the classes use short names, as the Regex generator's do).
        /// </summary>
        public static IReadOnlyList<string> Usings { get; } = new[]
        {
            "System", "System.Collections.Generic", "System.Runtime.CompilerServices", "System.Runtime.InteropServices",
            "System.Runtime.Intrinsics", RuntimeNames.GeneratedNamespace,
        };

        private sealed class Emitter
        {
            private readonly SourceWriter _w;
            private readonly PackedModel _packed;
            private readonly bool _double;
            private readonly string _t;
            private readonly List<(int Block, int Head, string Name)> _specialised;

            public Emitter(SourceWriter w, PackedModel packed, bool useDouble, List<(int Block, int Head, string Name)> specialised)
            {
                _w = w;
                _packed = packed;
                _double = useDouble;
                _t = useDouble ? "double" : "float";
                _specialised = specialised;
            }

            private string Span => $"Span<{_t}>";
            private string ReadOnlySpan => $"ReadOnlySpan<{_t}>";
            private string Scratch => $"{RuntimeNames.KernelScratch}<{_t}>";

            private bool Unrolled(int block, int head) => _specialised.Exists(p => p.Block == block && p.Head == head);

            /// <summary>
            /// Two classes: <c>className.Create</c> picks the register width once, and <c>className&lt;R, V&gt;</c>
            /// holds the code, written once over a width (R: its operations, V: its vector type). The JIT
            /// compiles it per width with R's calls inlined, so both widths run straight-line vector code
            /// from one copy of the source (the width is a JIT-time constant, not a run-time branch).
            /// </summary>
            public void Classes(string className, string modifiers)
            {
                var w = _w;
                var specialised = _specialised.Select(p => p.Name).ToList();
                int total = _packed.Blocks.Sum(b => b is PackedAttention a ? a.Heads.Length : 1);
                string program = $"{RuntimeNames.ForwardProgram}<{_t}>";

                w.Line($"/// <summary>The forward pass specialised to this model ({_t}): {specialised.Count} of {total} heads and MLPs unrolled with their weights as constants, the rest on the generic kernels.</summary>");
                w.Line($"{modifiers} static class {className}");
                w.Open();
                w.Line($"/// <summary>The widest register width the machine runs (512, then 256 bits), else the generic kernels.</summary>");
                w.Line($"public static {program} Create({RuntimeNames.PackedModel} packed)");
                w.Open();
                w.Line($"var plan = new {RuntimeNames.ModelPlan}<{_t}>(packed);");
                w.Line($"if ({RuntimeNames.Width512}<{_t}>.IsAccelerated) return new {className}<{RuntimeNames.Width512}<{_t}>, Vector512<{_t}>>(plan);");
                w.Line($"if ({RuntimeNames.Width256}<{_t}>.IsAccelerated) return new {className}<{RuntimeNames.Width256}<{_t}>, Vector256<{_t}>>(plan);");
                w.Line($"return new {RuntimeNames.PlannedForward}<{_t}>(plan);");
                w.Close();
                w.Close();
                w.Line();
                w.Line("// Per chunk of positions p: queries, logits over keys s, softmax, values, mixing; MLP y_j += W2·relu(W1·x). Sums in the kernels' order.");
                w.Line($"{modifiers} sealed class {className}<R, V> : {program} where R : struct, {RuntimeNames.RegisterWidth}<V, {_t}> where V : struct");
                w.Open();
                w.Line($"private static readonly string[] Specialised = {{ {string.Join(", ", specialised.Select(SourceWriter.String))} }};");
                w.Line();
                w.Line($"// Pruned dimension counts per block part: the plan must be the one this code was generated for.");
                w.Line($"public {className}({RuntimeNames.ModelPlan}<{_t}> plan) : base(plan) {{ CheckShape({_packed.Width}, new[] {{ {string.Join(", ", Shape())} }}); }}");
                w.Line();
                w.Line("public override IReadOnlyList<string> SpecialisedBlocks => Specialised;");
                w.Line();
                Blocks();
                w.Line();
                RunHead();
                w.Line();
                RunMlp();
                for (int b = 0; b < _packed.Blocks.Length; b++)
                {
                    if (_packed.Blocks[b] is PackedAttention a)
                    {
                        for (int h = 0; h < a.Heads.Length; h++)
                            if (Unrolled(b, h)) Head(b, h, a);
                    }
                    else if (_packed.Blocks[b] is PackedMlp m && Unrolled(b, -1))
                    {
                        Mlp(b, m);
                    }
                }
                w.Close();
            }

            /// <summary>Per block part, its pruned dimension counts (checked against the plan at construction).</summary>
            private IEnumerable<int> Shape()
            {
                foreach (var block in _packed.Blocks)
                {
                    if (block is PackedAttention a)
                        foreach (var h in a.Heads)
                        {
                            yield return h.QueryDims.Length;
                            yield return h.KeyDims.Length;
                            yield return h.ValueDims.Length;
                            yield return h.OutputDims.Length;
                        }
                    else if (block is PackedMlp m)
                    {
                        yield return m.InputDims.Length;
                        yield return m.HiddenSize;
                        yield return m.OutputDims.Length;
                    }
                    yield return -1;
                }
            }

            /// <summary>The fast path: every block, in place.</summary>
            private void Blocks()
            {
                var w = _w;
                w.Line($"public override void RunBlocks({Span} x, int stride, int n, {Scratch} scratch)");
                w.Open();
                w.Line("CheckArguments(x, x, stride, n, scratch);");
                w.Line($"var logits = new {Span}(scratch.Logits, 0, n * stride);");
                w.Line($"var weights = new {Span}(scratch.Weights, 0, n * stride);");
                for (int b = 0; b < _packed.Blocks.Length; b++)
                {
                    if (_packed.Blocks[b] is PackedAttention a)
                    {
                        if (a.Heads.Length == 0) continue;
                        if (!a.InPlace) w.Line($"// {a.Name}: the heads add into a delta, then the delta is added");
                        string target = "x";
                        if (!a.InPlace)
                        {
                            target = $"delta{b}";
                            w.Line($"var {target} = new {Span}(scratch.Delta, 0, {_packed.Width} * stride);");
                            foreach (int d in a.OutputUnion) w.Line($"{target}.Slice({d} * stride, stride).Clear();");
                        }
                        for (int h = 0; h < a.Heads.Length; h++)
                            w.Line((Unrolled(b, h)
                                ? $"Head{b}_{h}(x, {target}, stride, n, scratch.ValueRows, logits, weights);"
                                : $"KernelHead({b}, {h}, x, {target}, stride, n, scratch, logits, weights);") + $" // {a.Name}, head {h}");
                        if (!a.InPlace)
                            foreach (int d in a.OutputUnion) w.Line($"{RuntimeNames.Simd}.AddFull<{_t}>(x.Slice({d} * stride, stride), {target}.Slice({d} * stride, stride));");
                    }
                    else if (_packed.Blocks[b] is PackedMlp m)
                    {
                        w.Line((Unrolled(b, -1) ? $"Mlp{b}(x, x, stride, n);" : $"KernelMlp({b}, x, x, stride, n, scratch);") + $" // {m.Name}");
                    }
                }
                w.Close();
            }

            /// <summary>The full path's entry point for one head.</summary>
            private void RunHead()
            {
                var w = _w;
                w.Line($"public override void RunHead(int block, int head, {ReadOnlySpan} x, {Span} target, int stride, int n, {Scratch} scratch, {Span} logits, {Span} weights)");
                w.Open();
                w.Line("CheckArguments(x, target, stride, n, scratch);");
                w.Line("CheckAttention(logits, weights, stride, n);");
                for (int b = 0; b < _packed.Blocks.Length; b++)
                    if (_packed.Blocks[b] is PackedAttention a)
                        for (int h = 0; h < a.Heads.Length; h++)
                            if (Unrolled(b, h))
                                w.Line($"if (block == {b} && head == {h}) {{ Head{b}_{h}(x, target, stride, n, scratch.ValueRows, logits, weights); return; }}");
                w.Line("KernelHead(block, head, x, target, stride, n, scratch, logits, weights);");
                w.Close();
            }

            /// <summary>The full path's entry point for one MLP.</summary>
            private void RunMlp()
            {
                var w = _w;
                w.Line($"public override void RunMlp(int block, {ReadOnlySpan} x, {Span} target, int stride, int n, {Scratch} scratch)");
                w.Open();
                w.Line("CheckArguments(x, target, stride, n, scratch);");
                for (int b = 0; b < _packed.Blocks.Length; b++)
                    if (_packed.Blocks[b] is PackedMlp && Unrolled(b, -1))
                        w.Line($"if (block == {b}) {{ Mlp{b}(x, target, stride, n); return; }}");
                w.Line("KernelMlp(block, x, target, stride, n, scratch);");
                w.Close();
            }

            private void Prologue(params string[] spans)
            {
                _w.Line(string.Join(" ", spans.Select(s => $"ref {_t} r{s} = ref MemoryMarshal.GetReference({s});")));
                _w.Line("nuint st = (nuint)stride, len = (nuint)n, count = (nuint)R.Count, end = (len + count - 1) / count * count;");
            }

            /// <summary>Longest line <see cref="Packed"/> writes (beyond its indentation) before it starts a new one.</summary>
            private const int LineWidth = 150;

            /// <summary>Writes short <paramref name="statements"/> of one kind several to a line, up to <see cref="LineWidth"/> characters.</summary>
            private void Packed(IEnumerable<string> statements)
            {
                var line = new System.Text.StringBuilder();
                foreach (var s in statements)
                {
                    if (line.Length > 0 && line.Length + 1 + s.Length > LineWidth)
                    {
                        _w.Line(line.ToString());
                        line.Clear();
                    }
                    line.Append(line.Length > 0 ? " " : "").Append(s);
                }
                if (line.Length > 0) _w.Line(line.ToString());
            }

            /// <summary>Declares zeroed registers <paramref name="prefix"/>0 .. count-1, a few per line.</summary>
            private void Zeros(string prefix, int count)
            {
                for (int c = 0; c < count; c += 16)
                    _w.Line("V " + string.Join(", ", Enumerable.Range(c, Math.Min(16, count - c)).Select(i => $"{prefix}{i} = default")) + ";");
            }

            /// <summary>How input x_r is written in a sum: its register, or its load when the sum is its only use.</summary>
            private Func<int, string> _input = r => "x" + r;

            /// <summary>
            /// The chunk's inputs of <paramref name="dims"/> (the rows of <paramref name="m"/>): a register <c>x_r</c> loaded
            /// once, a few per line, for a row with several weights; a row with one weight is loaded where it is used.
            /// </summary>
            private void Loads(int[] dims, RunMatrix m)
            {
                var uses = new int[m.Rows];
                for (int r = 0; r < m.Rows; r++)
                    for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                        if (m.RunValue[i] != 0) uses[r] += m.RunLength[i];
                Packed(dims.Select((d, r) => uses[r] > 1 ? $"var x{r} = R.Load(ref rx, {d} * st + p);" : null).OfType<string>());
                _input = r => uses[r] > 1 ? "x" + r : $"R.Load(ref rx, {dims[r]} * st + p)";
            }

            /// <summary>The non-zero terms of column <paramref name="c"/> of <paramref name="m"/>, rows ascending: the kernels' per-column order.</summary>
            private static List<(int Row, double Weight)> Column(RunMatrix m, int c)
            {
                var terms = new List<(int, double)>();
                for (int r = 0; r < m.Rows; r++)
                    for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                        if (m.RunValue[i] != 0 && c >= m.RunColumn[i] && c < m.RunColumn[i] + m.RunLength[i]) terms.Add((r, m.RunValue[i]));
                return terms;
            }

            /// <summary>Terms a sum nests in one expression before it starts a new statement (keeps expressions shallow).</summary>
            private const int TermsPerExpression = 8;

            /// <summary>
            /// Statements that set register <paramref name="acc"/> to <c>Σ_t w_t · x_t</c>, terms in the given order
            /// (the kernels' order), starting from +0 as the kernels do: <c>q0 = R.MulAdd(R.Add(default, x1), 100f, x2);</c>.
            /// Written as nested calls, a few terms per statement, because a statement per term doubled the source.
            /// </summary>
            private IEnumerable<string> Sum(string acc, List<(int Row, double Weight)> terms, Func<string, string>? wrap = null)
            {
                string e = "default";
                for (int i = 0; i < terms.Count; i++)
                {
                    if (i > 0 && i % TermsPerExpression == 0)
                    {
                        yield return $"{acc} = {e};";
                        e = acc;
                    }
                    e = Term(e, terms[i].Weight, _input(terms[i].Row));
                }
                yield return $"{acc} = {(wrap == null ? e : wrap(e))};";
            }

            /// <summary>
            /// <c>acc[c] = Σ_r w[r, c] · x_r</c> for every column c of <paramref name="m"/> (registers named
            /// <paramref name="acc"/>0, 1, ...; inputs x0, 1, ... from <see cref="Loads"/>), one line per column, rows
            /// ascending: the kernels' order. No test for all-zero inputs: an exact zero term leaves a sum unchanged
            /// (a sum that starts at +0 never becomes -0), and the test cost more than the add it saved.
            /// </summary>
            private void Sums(RunMatrix m, string acc)
            {
                var empty = new List<int>();
                var lines = new List<string>();
                for (int c = 0; c < m.Columns; c++)
                {
                    var terms = Column(m, c);
                    if (terms.Count == 0) empty.Add(c);
                    else lines.Add("V " + string.Join(" ", Sum(acc + c, terms)));
                }
                if (empty.Count > 0) lines.Add("V " + string.Join(", ", empty.Select(c => $"{acc}{c} = default")) + ";");
                Packed(lines);
            }

            /// <summary>
            /// <paramref name="format"/> with the sum of <paramref name="terms"/> in place of {0}: the expression itself when
            /// it is one, else statements into register <paramref name="acc"/> first.
            /// </summary>
            private string Store(List<(int Row, double Weight)> terms, string acc, string format)
            {
                if (terms.Count == 0) return string.Format(CultureInfo.InvariantCulture, format, "default(V)");
                var sum = Sum(acc, terms).ToList();
                if (sum.Count == 1) return string.Format(CultureInfo.InvariantCulture, format, sum[0].Substring(acc.Length + 3).TrimEnd(';'));
                return "V " + string.Join(" ", sum) + " " + string.Format(CultureInfo.InvariantCulture, format, acc);
            }

            private void Head(int b, int h, PackedAttention layer)
            {
                var head = layer.Heads[h];
                var w = _w;
                int nk = head.KeyDims.Length, no = head.OutputDims.Length;
                w.Line();
                w.Line($"// {layer.Name}, head {h} ({Comment(head.Node)}{(head.Causal ? ", causal" : "")}): {head.QueryKey.NonZeroCount} W_QK and {head.OutputValue.NonZeroCount} W_OV weights.");
                w.Line($"private static void Head{b}_{h}({ReadOnlySpan} x, {Span} target, int stride, int n, {Span} values, {Span} logits, {Span} weights)");
                w.Open();
                Prologue("x", "target", "values", "logits", "weights");
                w.Line("for (nuint p = 0; p < end; p += count)");
                w.Open();
                Loads(head.QueryDims, head.QueryKey);
                Sums(head.QueryKey, "q");
                w.Line("for (nuint k = 0; k < len; k++)");
                w.Open();
                w.Line("V l = default;");
                Packed(Enumerable.Range(0, nk).Select(j => $"l = R.MulAddNonZero(l, q{j}, Unsafe.Add(ref rx, {head.KeyDims[j]} * st + k));"));
                w.Line("R.Store(l, ref rlogits, k * st + p);");
                w.Close();
                w.Close();
                if (head.Causal) w.Line($"{RuntimeNames.TransformerKernels}.MaskCausal<{_t}>(logits, stride, n);");
                w.Line($"{RuntimeNames.TransformerKernels}.SoftmaxOverKeys<{_t}>(logits, weights, stride, n);");
                if (no > 0)
                {
                    w.Line("for (nuint p = 0; p < end; p += count)");
                    w.Open();
                        Loads(head.ValueDims, head.OutputValue);
                    Packed(Enumerable.Range(0, no).Select(j => Store(Column(head.OutputValue, j), $"v{j}", $"R.Store({{0}}, ref rvalues, {j} * st + p);")));
                    w.Close();
                    w.Line("for (nuint p = 0; p < end; p += count)");
                    w.Open();
                        Zeros("o", no);
                    w.Line("for (nuint k = 0; k < len; k++)");
                    w.Open();
                        w.Line("var a = R.Load(ref rweights, k * st + p);");
                    Packed(Enumerable.Range(0, no).Select(j => $"o{j} = R.MulAddNonZero(o{j}, a, Unsafe.Add(ref rvalues, {j} * st + k));"));
                    w.Close();
                    Packed(Enumerable.Range(0, no).Select(j => $"R.AddTo(o{j}, ref rtarget, {head.OutputDims[j]} * st + p);"));
                    w.Close();
                }
                w.Close();
            }

            /// <summary>
            /// One line per hidden neuron: <c>h = relu(Σ_r W1[r, c] · x_r)</c>, then <c>y_j += W2[c, j] · h</c>. Each sum
            /// keeps the kernels' order (W1 inputs ascending, W2 neurons ascending); only the inputs, the outputs and
            /// one neuron are live at a time.
            /// </summary>
            private void Mlp(int b, PackedMlp mlp)
            {
                var w = _w;
                w.Line();
                w.Line($"// {mlp.Name} ({Comment(string.Join(", ", mlp.Nodes))}): {mlp.HiddenSize} of {mlp.CompiledHiddenSize} neurons, {mlp.W1.NonZeroCount} W1 and {mlp.W2.NonZeroCount} W2 weights.");
                w.Line($"private static void Mlp{b}({ReadOnlySpan} x, {Span} target, int stride, int n)");
                w.Open();
                Prologue("x", "target");
                w.Line("for (nuint p = 0; p < end; p += count)");
                w.Open();
                Loads(mlp.InputDims, mlp.W1);
                Zeros("y", mlp.OutputDims.Length);
                var neurons = new List<string>();
                for (int c = 0; c < mlp.HiddenSize; c++)
                {
                    var inputs = Column(mlp.W1, c);
                    var outputs = new List<(int Column, double Weight)>();
                    for (int i = mlp.W2.RowStart[c]; i < mlp.W2.RowStart[c + 1]; i++)
                        if (mlp.W2.RunValue[i] != 0)
                            for (int j = mlp.W2.RunColumn[i]; j < mlp.W2.RunColumn[i] + mlp.W2.RunLength[i]; j++)
                                outputs.Add((j, mlp.W2.RunValue[i]));
                    // A neuron with no input is relu(0) = 0 and one with no output adds nothing: no code.
                    if (inputs.Count == 0 || outputs.Count == 0) continue;
                    var line = Sum("h", inputs, e => $"R.Relu({e})").ToList();
                    line.AddRange(outputs.Select(o => $"y{o.Column} = {Term("y" + o.Column, o.Weight, "h")};"));
                    if (outputs.Count == 1 && line.Count == 2)
                    {
                        // One output: the neuron is written inside its use, y_j += W2 · relu(Σ W1 · x).
                        string relu = line[0].Substring("h = ".Length).TrimEnd(';');
                        line = new List<string> { $"y{outputs[0].Column} = {Term("y" + outputs[0].Column, outputs[0].Weight, relu)};" };
                    }
                    neurons.Add(string.Join(" ", line));
                }
                if (neurons.Exists(n => n.StartsWith("h = ", StringComparison.Ordinal))) w.Line("V h;");
                foreach (var neuron in neurons) w.Line(neuron);
                Packed(Enumerable.Range(0, mlp.OutputDims.Length).Select(j => $"R.AddTo(y{j}, ref rtarget, {mlp.OutputDims[j]} * st + p);"));
                w.Close();
                w.Close();
            }

            /// <summary>
            /// <c>acc + w · x</c>. Weights 1 and -1 (most of a compiled model's) are an add and a subtract: the
            /// same result to the bit (the multiply by ±1 is exact), in less source.
            /// </summary>
            private string Term(string acc, double weight, string x) =>
                weight == 1 ? $"R.Add({acc}, {x})" : weight == -1 ? $"R.Sub({acc}, {x})" : $"R.MulAdd({acc}, {Literal(weight)}, {x})";

            /// <summary>Text safe inside a <c>//</c> comment: node names come from user labels and may hold line breaks.</summary>
            private static string Comment(string text) => SourceWriter.CommentText(text);

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
