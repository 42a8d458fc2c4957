using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;

namespace Tracr.Transformer
{
    /// <summary>
    /// The decisions a fast forward pass makes about a <see cref="PackedModel"/> that do not depend on
    /// the element type or the machine: which residual dimensions, hidden neurons and weights of each
    /// block matter (<see cref="PrunedHead"/>, <see cref="PrunedMlp"/>), whether an attention layer's
    /// heads may add straight into the residual stream, and whether float32 is precise enough
    /// (<see cref="NeedsDoublePrecision"/>). The run-time plans (<c>Tracr.Generated.ModelPlan</c>) and the
    /// source generator's emitted forward code are both built from it, so they agree by construction.
    /// </summary>
    /// <remarks>
    /// <b>Pruning.</b> A dimension or neuron whose every weight is zero contributes only terms with a
    /// zero factor, and is left out: query dimensions with an all-zero W_QK row, key dimensions with an
    /// all-zero W_QK column (their query coordinate is always 0), value dimensions with an all-zero W_OV
    /// row, output dimensions with an all-zero W_OV column, MLP inputs with an all-zero W1 row (over the
    /// kept neurons), and hidden neurons whose W1 column or W2 row is all zero (a discretising MLP whose
    /// function changes at few thresholds keeps only those neurons). The sums that remain are the
    /// reference's with those zero terms skipped.
    /// </remarks>
    internal sealed class ForwardLayout
    {
        private ForwardLayout(PackedModel model)
        {
            Model = model;
            Blocks = model.Blocks.Select(b => b switch
            {
                PackedAttention a => (PrunedBlock)new PrunedAttention(a.Layer, a.Heads.Select(PrunedHead.From).ToArray()),
                PackedMlp m => PrunedMlp.From(m),
                _ => throw new NotSupportedException($"Unknown block {b.GetType().Name}."),
            }).ToArray();
            MaxPreActivationScale = Blocks.OfType<PrunedMlp>().Select(m => m.MaxPreActivationScale).DefaultIfEmpty(0).Max();
        }

        public static ForwardLayout From(PackedModel model) => new ForwardLayout(model ?? throw new ArgumentNullException(nameof(model)));

        public PackedModel Model { get; }

        /// <summary>The blocks in execution order, pruned.</summary>
        public PrunedBlock[] Blocks { get; }

        /// <summary>
        /// The largest pre-activation scale of any MLP neuron that matters: max over kept neurons h of
        /// Σ_i |W1[i, h]|. A discretising MLP computes <c>L·x + b</c> for a slope L and a bias
        /// <c>b ≈ −L·t</c> (threshold t): numbers of this size that cancel to within [−1, 1], where the
        /// neuron's step is decided. float32 keeps 24 bits, so the error there is about this scale × 2⁻²⁴
        /// per rounding.
        /// </summary>
        public double MaxPreActivationScale { get; }

        /// <summary>
        /// Above this <see cref="MaxPreActivationScale"/> (2¹⁹) a model needs float64: below it a few
        /// float32 roundings (≈ 2⁻²² × scale) stay under 1/8 of a discretising neuron's unit step.
        /// </summary>
        public const double SinglePrecisionScaleLimit = 524288;

        /// <summary>
        /// The precision rule: float64 when <see cref="MaxPreActivationScale"/> exceeds
        /// <see cref="SinglePrecisionScaleLimit"/> (measurements in docs/performance.md: every golden,
        /// random and library model and sort 64/64 run in float32; shuffle_dyck at max_seq_len 32, with
        /// slopes of about 4e6, needs float64).
        /// </summary>
        public bool NeedsDoublePrecision => MaxPreActivationScale > SinglePrecisionScaleLimit;

        /// <summary>Indices of the rows of <paramref name="m"/> that hold a non-zero value.</summary>
        public static int[] NonEmptyRows(RunMatrix m)
        {
            var rows = new List<int>();
            for (int r = 0; r < m.Rows; r++)
                for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                    if (m.RunValue[i] != 0) { rows.Add(r); break; }
            return rows.ToArray();
        }

        /// <summary>Columns with a non-zero value in one of <paramref name="rows"/>: old column → new column (-1 dropped), and the kept old columns.</summary>
        public static (int[] Map, int[] Kept) ColumnMap(RunMatrix m, IEnumerable<int> rows)
        {
            var used = new bool[m.Columns];
            foreach (int r in rows)
                for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                    if (m.RunValue[i] != 0)
                        for (int c = 0; c < m.RunLength[i]; c++) used[m.RunColumn[i] + c] = true;
            var map = new int[m.Columns];
            var kept = new List<int>();
            for (int c = 0; c < m.Columns; c++)
            {
                map[c] = used[c] ? kept.Count : -1;
                if (used[c]) kept.Add(c);
            }
            return (map, kept.ToArray());
        }

        /// <summary>
        /// The submatrix of <paramref name="m"/>: rows <paramref name="rows"/> (renumbered 0..), columns
        /// renumbered by <paramref name="columnMap"/> (-1: dropped; runs are cut where the kept columns stop
        /// being consecutive), zero runs left out.
        /// </summary>
        public static RunMatrix Select(RunMatrix m, int[] rows, int[] columnMap)
        {
            int columns = 0;
            foreach (int c in columnMap) if (c >= 0) columns++;
            var rowStart = new int[rows.Length + 1];
            var col = new List<int>();
            var len = new List<int>();
            var val = new List<double>();
            for (int k = 0; k < rows.Length; k++)
            {
                int r = rows[k];
                rowStart[k] = col.Count;
                for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                {
                    if (m.RunValue[i] == 0) continue;
                    int c = m.RunColumn[i], end = c + m.RunLength[i];
                    while (c < end)
                    {
                        if (columnMap[c] < 0) { c++; continue; }
                        int start = c;
                        while (c + 1 < end && columnMap[c + 1] == columnMap[c] + 1) c++;
                        c++;
                        col.Add(columnMap[start]);
                        len.Add(c - start);
                        val.Add(m.RunValue[i]);
                    }
                }
            }
            rowStart[rows.Length] = col.Count;
            return new RunMatrix(rows.Length, columns, rowStart, col.ToArray(), len.ToArray(), val.ToArray());
        }

        internal static int[] Identity(int n)
        {
            var a = new int[n];
            for (int i = 0; i < n; i++) a[i] = i;
            return a;
        }
    }

    /// <summary>A pruned block (see <see cref="ForwardLayout"/>).</summary>
    internal abstract class PrunedBlock
    {
        private protected PrunedBlock(int layer) { Layer = layer; }

        public int Layer { get; }

        /// <summary>"layer 0 attention", "layer 0 mlp", ... as the reference forward pass names blocks.</summary>
        public abstract string Name { get; }
    }

    /// <summary>
    /// One attention head, pruned: the residual dimensions it reads (query, key, value) and writes
    /// (output), and W_QK [query, key] and W_OV [value, output] over exactly those.
    /// </summary>
    internal sealed class PrunedHead
    {
        public PrunedHead(string node, bool causal, int[] queryDims, int[] keyDims, int[] valueDims, int[] outputDims, RunMatrix queryKey, RunMatrix outputValue)
        {
            if (queryKey.Rows != queryDims.Length || queryKey.Columns != keyDims.Length) throw new ArgumentException("W_QK must be [query dims, key dims].");
            if (outputValue.Rows != valueDims.Length || outputValue.Columns != outputDims.Length) throw new ArgumentException("W_OV must be [value dims, output dims].");
            Node = node;
            Causal = causal;
            QueryDims = queryDims;
            KeyDims = keyDims;
            ValueDims = valueDims;
            OutputDims = outputDims;
            QueryKey = queryKey;
            OutputValue = outputValue;
        }

        public string Node { get; }
        public bool Causal { get; }
        public int[] QueryDims { get; }
        public int[] KeyDims { get; }
        public int[] ValueDims { get; }
        public int[] OutputDims { get; }
        public RunMatrix QueryKey { get; }
        public RunMatrix OutputValue { get; }

        public static PrunedHead From(PackedHead head)
        {
            var qk = head.QueryKey;
            var ov = head.OutputValue;
            int[] queryRows = ForwardLayout.NonEmptyRows(qk);
            var (keyMap, keyKept) = ForwardLayout.ColumnMap(qk, queryRows);
            int[] valueRows = ForwardLayout.NonEmptyRows(ov);
            var (outMap, outKept) = ForwardLayout.ColumnMap(ov, valueRows);
            return new PrunedHead(head.Node, head.Causal,
                queryRows.Select(r => head.QueryDims[r]).ToArray(),
                keyKept.Select(c => head.KeyDims[c]).ToArray(),
                valueRows.Select(r => head.ValueDims[r]).ToArray(),
                outKept.Select(c => head.OutputDims[c]).ToArray(),
                ForwardLayout.Select(qk, queryRows, keyMap),
                ForwardLayout.Select(ov, valueRows, outMap));
        }

        internal bool Overlaps(PrunedHead other, bool sameHead)
        {
            var output = new HashSet<int>(OutputDims);
            return other.QueryDims.Any(output.Contains) || other.KeyDims.Any(output.Contains) || other.ValueDims.Any(output.Contains)
                || (!sameHead && other.OutputDims.Any(output.Contains));
        }
    }

    /// <summary>An attention layer, pruned: its heads, and whether they may add straight into the residual stream.</summary>
    internal sealed class PrunedAttention : PrunedBlock
    {
        public PrunedAttention(int layer, PrunedHead[] heads) : base(layer)
        {
            Heads = heads;
            // In place is the same computation when no head writes a dimension another head of the layer reads
            // (every head sees the residual before the layer) and no two heads write the same dimension (so
            // each residual entry gets exactly one addition, x + out, as it gets x + delta in the reference).
            InPlace = !heads.Any(a => heads.Any(b => a.Overlaps(b, ReferenceEquals(a, b))));
            OutputUnion = heads.SelectMany(h => h.OutputDims).Distinct().OrderBy(d => d).ToArray();
        }

        public PrunedHead[] Heads { get; }

        /// <summary>Every residual dimension some head writes, ascending.</summary>
        public int[] OutputUnion { get; }

        /// <summary>True when a fast path may accumulate every head's output directly into the residual stream.</summary>
        public bool InPlace { get; }

        public override string Name => $"layer {Layer} attention";
    }

    /// <summary>An MLP, pruned: <c>relu(x[InputDims] · W1) · W2</c> added at <see cref="OutputDims"/>, over the kept neurons.</summary>
    internal sealed class PrunedMlp : PrunedBlock
    {
        public PrunedMlp(int layer, string[] nodes, int[] inputDims, RunMatrix w1, RunMatrix w2, int[] outputDims, int originalHiddenSize) : base(layer)
        {
            if (w1.Rows != inputDims.Length || w2.Rows != w1.Columns || w2.Columns != outputDims.Length)
                throw new ArgumentException("MLP shapes must be W1 [input, hidden], W2 [hidden, output].");
            Nodes = nodes;
            InputDims = inputDims;
            W1 = w1;
            W2 = w2;
            OutputDims = outputDims;
            OriginalHiddenSize = originalHiddenSize;
            var sums = new double[w1.Columns];
            for (int r = 0; r < w1.Rows; r++)
                for (int i = w1.RowStart[r]; i < w1.RowStart[r + 1]; i++)
                    for (int c = 0; c < w1.RunLength[i]; c++) sums[w1.RunColumn[i] + c] += Math.Abs(w1.RunValue[i]);
            MaxPreActivationScale = sums.DefaultIfEmpty(0).Max();
        }

        public string[] Nodes { get; }
        public int[] InputDims { get; }
        public RunMatrix W1 { get; }
        public RunMatrix W2 { get; }
        public int[] OutputDims { get; }

        /// <summary>Kept hidden neurons.</summary>
        public int HiddenSize => W1.Columns;

        /// <summary>Hidden neurons of the compiled MLP, before pruning.</summary>
        public int OriginalHiddenSize { get; }

        /// <summary>Max over the kept neurons of Σ_i |W1[i, h]| (see <see cref="ForwardLayout.MaxPreActivationScale"/>).</summary>
        public double MaxPreActivationScale { get; }

        public override string Name => $"layer {Layer} mlp";

        public static PrunedMlp From(PackedMlp mlp)
        {
            // Hidden neurons that matter: a non-zero W2 row and a non-zero W1 column.
            var w2Rows = new HashSet<int>(ForwardLayout.NonEmptyRows(mlp.W2));
            var (w1Columns, _) = ForwardLayout.ColumnMap(mlp.W1, Enumerable.Range(0, mlp.W1.Rows));
            int[] hidden = Enumerable.Range(0, mlp.HiddenSize).Where(h => w2Rows.Contains(h) && w1Columns[h] >= 0).ToArray();
            var hiddenMap = Enumerable.Repeat(-1, mlp.HiddenSize).ToArray();
            for (int k = 0; k < hidden.Length; k++) hiddenMap[hidden[k]] = k;

            // Inputs with a non-zero weight into a kept neuron.
            var w1 = ForwardLayout.Select(mlp.W1, ForwardLayout.Identity(mlp.W1.Rows), hiddenMap);
            int[] inputRows = ForwardLayout.NonEmptyRows(w1);
            var (outMap, outKept) = ForwardLayout.ColumnMap(mlp.W2, hidden);
            return new PrunedMlp(mlp.Layer, mlp.Nodes,
                inputRows.Select(r => mlp.InputDims[r]).ToArray(),
                ForwardLayout.Select(w1, inputRows, ForwardLayout.Identity(w1.Columns)),
                ForwardLayout.Select(mlp.W2, hidden, outMap),
                outKept.Select(c => mlp.OutputDims[c]).ToArray(),
                mlp.HiddenSize);
        }
    }
}
