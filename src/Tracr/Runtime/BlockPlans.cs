using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Tracr.Transformer;

namespace Tracr.Runtime
{
    /// <summary>
    /// What a block needs at run time, precomputed once from its <see cref="PackedBlock"/>: the residual
    /// dimensions it reads and writes as <see cref="DimensionMap"/>s and its weights as
    /// <see cref="SparseRows{T}"/> in the element type of the forward pass.
    /// </summary>
    /// <remarks>
    /// <b>Pruning.</b> A dimension or neuron whose every weight is zero contributes only terms with a
    /// zero factor, and is left out: query dimensions with an all-zero W_QK row, key dimensions with
    /// an all-zero W_QK column (their query coordinate is always 0), value dimensions with an all-zero
    /// W_OV row, output dimensions with an all-zero W_OV column, MLP inputs with an all-zero W1 row
    /// (over the kept neurons), and hidden neurons whose W1 column or W2 row is all zero (a discretising
    /// MLP whose function changes at few thresholds keeps only those neurons). The sums computed are
    /// the reference's with those zero terms skipped.
    /// </remarks>
    public abstract class BlockPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private protected BlockPlan(int layer, string name)
        {
            Layer = layer;
            Name = name;
        }

        public int Layer { get; }

        /// <summary>"layer 0 attention", "layer 0 mlp", ... as the reference forward pass names blocks.</summary>
        public string Name { get; }
    }

    /// <summary>
    /// How a block multiplies by a weight matrix. <see cref="Triplets"/>: every non-zero weight is one
    /// vector operation over all positions (small matrices). <see cref="Rows"/>: position by position,
    /// the rows of the non-zero activations (<see cref="SparseRows{T}"/>; large matrices).
    /// </summary>
    public enum WeightForm
    {
        Triplets,
        Rows,
    }

    /// <summary>Which <see cref="WeightForm"/> the plans use: chosen per matrix by a cost estimate, or forced (tests).</summary>
    public enum FormSelection
    {
        Auto,
        Triplets,
        Rows,
    }

    /// <summary>
    /// The cost estimate behind <see cref="FormSelection.Auto"/>, in units of one vector multiply-add
    /// over a register of positions (constants measured with <c>benchmarks/Tracr.Benchmarks -- profile</c>,
    /// docs/performance.md). Triplets cost one unit per non-zero weight and one per output vector, per
    /// register-wide chunk of positions. Rows cost, per position, a call per non-zero activation plus
    /// its runs and spans, and clearing and reading the result vector.
    /// </summary>
    public static class FormChoice
    {
        /// <summary>Bytes of per-chunk vectors (hidden neurons and outputs) above which an MLP uses the row form.</summary>
        public const long TripletWorkingSetLimit = 256 * 1024;

        /// <summary>Fixed cost of applying one row (call, loop set-up).</summary>
        public const double RowCall = 25;

        /// <summary>Cost of one run or span of a row.</summary>
        public const double RunCost = 6;

        /// <summary>Estimated cost of multiplying by <paramref name="m"/> (its rows <paramref name="rows"/>) in triplet form.</summary>
        public static double TripletCost(RunMatrix m, int[] rows, int keptColumns, int positions, int lanes)
        {
            var (nonZeros, _) = Count(m, rows);
            return Math.Ceiling((double)positions / lanes) * (nonZeros + keptColumns);
        }

        /// <summary>Estimated cost in row form, with <paramref name="activeRows"/> non-zero activations per position.</summary>
        public static double RowCost(RunMatrix m, int[] rows, int keptColumns, int positions, int lanes, double activeRows)
        {
            if (rows.Length == 0) return 0;
            var (nonZeros, runs) = Count(m, rows);
            double perRow = RowCall + (double)runs / rows.Length * RunCost + (double)nonZeros / rows.Length / 16;
            return positions * (Math.Min(activeRows, rows.Length) * perRow + 2 * Math.Ceiling(keptColumns / 16.0))
                + rows.Length * Math.Ceiling((double)positions / lanes);
        }

        /// <summary>Triplets when not dearer than rows (one non-zero activation per position for a one-hot input, plus the 'one' direction).</summary>
        public static WeightForm Choose(FormSelection selection, RunMatrix m, int[] rows, int keptColumns, int positions, int lanes, double activeRows = 2)
        {
            if (selection == FormSelection.Triplets) return WeightForm.Triplets;
            if (selection == FormSelection.Rows) return WeightForm.Rows;
            return TripletCost(m, rows, keptColumns, positions, lanes) <= RowCost(m, rows, keptColumns, positions, lanes, activeRows)
                ? WeightForm.Triplets : WeightForm.Rows;
        }

        private static (long NonZeros, long Runs) Count(RunMatrix m, int[] rows)
        {
            long nonZeros = 0, runs = 0;
            foreach (int r in rows)
                for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                    if (m.RunValue[i] != 0) { nonZeros += m.RunLength[i]; runs++; }
            return (nonZeros, runs);
        }
    }

    /// <summary>A weight matrix in the form a block uses it: <see cref="Entries"/> or <see cref="SparseRows"/>, the other null.</summary>
    public sealed class BlockWeights<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public BlockWeights(Triplets<T>? entries, SparseRows<T>? sparseRows)
        {
            if ((entries is null) == (sparseRows is null)) throw new ArgumentException("Exactly one form is required.");
            Entries = entries;
            SparseRows = sparseRows;
        }

        public Triplets<T>? Entries { get; }
        public SparseRows<T>? SparseRows { get; }
        public WeightForm Form => Entries != null ? WeightForm.Triplets : WeightForm.Rows;
        public int Rows => Entries?.Rows ?? SparseRows!.Rows;
        public int Columns => Entries?.Columns ?? SparseRows!.Columns;

        public static BlockWeights<T> From(RunMatrix m, int[] rows, int[]? columnMap, int columns, WeightForm form, SegmentPolicy? policy) =>
            form == WeightForm.Triplets
                ? new BlockWeights<T>(Triplets<T>.From(m, rows, columnMap, columns), null)
                : new BlockWeights<T>(null, SparseRows<T>.From(m, rows, columnMap, columns, policy));

        /// <summary>The dense matrix as doubles (for tests).</summary>
        public double[,] ToDense() => Entries?.ToDense() ?? SparseRows!.ToDense();
    }

    /// <summary>One attention head, pruned (see <see cref="BlockPlan{T}"/>).</summary>
    public sealed class HeadPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public HeadPlan(string node, bool causal, DimensionMap query, DimensionMap key, DimensionMap value, DimensionMap output,
            BlockWeights<T> queryKey, BlockWeights<T> outputValue)
        {
            if (queryKey.Rows != query.Count || queryKey.Columns != key.Count) throw new ArgumentException("W_QK must be [query dims, key dims].");
            if (outputValue.Rows != value.Count || outputValue.Columns != output.Count) throw new ArgumentException("W_OV must be [value dims, output dims].");
            Node = node;
            Causal = causal;
            Query = query;
            Key = key;
            Value = value;
            Output = output;
            QueryKey = queryKey;
            OutputValue = outputValue;
        }

        public string Node { get; }
        public bool Causal { get; }
        public DimensionMap Query { get; }
        public DimensionMap Key { get; }
        public DimensionMap Value { get; }
        public DimensionMap Output { get; }

        /// <summary>W_QK [query, key] over the kept dimensions.</summary>
        public BlockWeights<T> QueryKey { get; }

        /// <summary>W_OV [value, output] over the kept dimensions.</summary>
        public BlockWeights<T> OutputValue { get; }

        public static HeadPlan<T> From(PackedHead head, int positions, FormSelection selection = FormSelection.Auto, SegmentPolicy? policy = null)
        {
            var qk = head.QueryKey;
            var ov = head.OutputValue;
            int[] queryRows = NonEmptyRows(qk);
            var (keyMap, keyKept) = ColumnMap(qk, queryRows);
            int[] valueRows = NonEmptyRows(ov);
            var (outMap, outKept) = ColumnMap(ov, valueRows);
            return new HeadPlan<T>(head.Node, head.Causal,
                new DimensionMap(queryRows.Select(r => head.QueryDims[r]).ToArray()),
                new DimensionMap(keyKept.Select(c => head.KeyDims[c]).ToArray()),
                new DimensionMap(valueRows.Select(r => head.ValueDims[r]).ToArray()),
                new DimensionMap(outKept.Select(c => head.OutputDims[c]).ToArray()),
                BlockWeights<T>.From(qk, queryRows, keyMap, keyKept.Length, FormChoice.Choose(selection, qk, queryRows, keyKept.Length, positions, Lanes), policy),
                BlockWeights<T>.From(ov, valueRows, outMap, outKept.Length, FormChoice.Choose(selection, ov, valueRows, outKept.Length, positions, Lanes), policy));
        }

        /// <summary>Positions per register in the position kernels (16 floats or 8 doubles with AVX-512).</summary>
        internal static int Lanes => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? System.Runtime.Intrinsics.Vector512<T>.Count
            : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? System.Runtime.Intrinsics.Vector256<T>.Count : 1;

        internal static int[] NonEmptyRows(RunMatrix m)
        {
            var rows = new List<int>();
            for (int r = 0; r < m.Rows; r++)
                for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                    if (m.RunValue[i] != 0) { rows.Add(r); break; }
            return rows.ToArray();
        }

        /// <summary>Columns with a non-zero value in one of <paramref name="rows"/>: old column → new column (-1 dropped), and the kept old columns.</summary>
        internal static (int[] Map, int[] Kept) ColumnMap(RunMatrix m, IEnumerable<int> rows)
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
    }

    /// <summary>An attention layer: its heads, and whether they may add straight into the residual stream.</summary>
    public sealed class AttentionPlan<T> : BlockPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public AttentionPlan(int layer, HeadPlan<T>[] heads) : base(layer, $"layer {layer} attention")
        {
            Heads = heads;
            // In place is the same computation when no head writes a dimension another head of the layer reads
            // (every head sees the residual before the layer) and no two heads write the same dimension (so
            // each residual entry gets exactly one addition, x + out, as it gets x + delta in the reference).
            bool inPlace = true;
            for (int a = 0; a < heads.Length && inPlace; a++)
                for (int b = 0; b < heads.Length && inPlace; b++)
                {
                    var o = heads[a].Output;
                    if (o.Overlaps(heads[b].Query) || o.Overlaps(heads[b].Key) || o.Overlaps(heads[b].Value)) inPlace = false;
                    if (a != b && o.Overlaps(heads[b].Output)) inPlace = false;
                }
            InPlace = inPlace;
            OutputUnion = heads.SelectMany(h => h.Output.Dims).Distinct().OrderBy(d => d).ToArray();
        }

        public HeadPlan<T>[] Heads { get; }

        /// <summary>Every residual dimension some head writes, ascending.</summary>
        public int[] OutputUnion { get; }

        /// <summary>True when the fast path may accumulate every head's output directly into the residual stream.</summary>
        public bool InPlace { get; }
    }

    /// <summary>An MLP, pruned (see <see cref="BlockPlan{T}"/>): <c>relu(x[Input] · W1) · W2</c> added at <see cref="Output"/>.</summary>
    public sealed class MlpPlan<T> : BlockPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public MlpPlan(int layer, string[] nodes, DimensionMap input, BlockWeights<T> w1, BlockWeights<T> w2, DimensionMap output, int originalHiddenSize)
            : base(layer, $"layer {layer} mlp")
        {
            if (w1.Rows != input.Count || w2.Rows != w1.Columns || w2.Columns != output.Count)
                throw new ArgumentException("MLP shapes must be W1 [input, hidden], W2 [hidden, output].");
            if (w1.Form != w2.Form) throw new ArgumentException("W1 and W2 must have the same form (the hidden layer is stored per form).");
            Nodes = nodes;
            Input = input;
            W1 = w1;
            W2 = w2;
            Output = output;
            OriginalHiddenSize = originalHiddenSize;
        }

        public string[] Nodes { get; }
        public DimensionMap Input { get; }
        public BlockWeights<T> W1 { get; }
        public BlockWeights<T> W2 { get; }
        public DimensionMap Output { get; }
        public WeightForm Form => W1.Form;

        /// <summary>Kept hidden neurons.</summary>
        public int HiddenSize => W1.Columns;

        /// <summary>Hidden neurons of the compiled MLP, before pruning.</summary>
        public int OriginalHiddenSize { get; }

        public static MlpPlan<T> From(PackedMlp mlp, int positions, FormSelection selection = FormSelection.Auto, SegmentPolicy? policy = null)
        {
            // Hidden neurons that matter: a non-zero W2 row and a non-zero W1 column.
            var w2Rows = new HashSet<int>(HeadPlan<T>.NonEmptyRows(mlp.W2));
            var (w1ColMap, _) = HeadPlan<T>.ColumnMap(mlp.W1, Enumerable.Range(0, mlp.W1.Rows));
            var hidden = Enumerable.Range(0, mlp.HiddenSize).Where(h => w2Rows.Contains(h) && w1ColMap[h] >= 0).ToArray();
            var isHidden = new bool[mlp.HiddenSize];
            foreach (int h in hidden) isHidden[h] = true;
            var hiddenMap = new int[mlp.HiddenSize];
            for (int h = 0, k = 0; h < mlp.HiddenSize; h++) hiddenMap[h] = isHidden[h] ? k++ : -1;

            // Inputs with a non-zero weight into a kept neuron. W1 is restricted to kept columns by splitting runs.
            var w1 = Restrict(mlp.W1, hiddenMap);
            int[] inputRows = HeadPlan<T>.NonEmptyRows(w1);
            var (outMap, outKept) = HeadPlan<T>.ColumnMap(mlp.W2, hidden);
            // One form for both layers: the cheaper for the two together.
            // (Active neurons per position in the row form: one per input for a lookup table, more for discretising MLPs.)
            int lanes = HeadPlan<T>.Lanes;
            var form = selection switch
            {
                FormSelection.Triplets => WeightForm.Triplets,
                FormSelection.Rows => WeightForm.Rows,
                _ => FormChoice.TripletCost(w1, inputRows, hidden.Length, positions, lanes) + FormChoice.TripletCost(mlp.W2, hidden, outKept.Length, positions, lanes)
                     <= FormChoice.RowCost(w1, inputRows, hidden.Length, positions, lanes, 2)
                        + FormChoice.RowCost(mlp.W2, hidden, outKept.Length, positions, lanes, Math.Max(1.0, (double)hidden.Length / Math.Max(1, inputRows.Length)))
                        ? WeightForm.Triplets : WeightForm.Rows,
            };
            // The triplet form keeps every hidden and output vector of a chunk: past a few hundred KB they leave the
            // L2 cache and the estimate above is far too low (sort 64/64's 4,096-neuron lookup MLP: 185 us vs 98 us in rows).
            if (selection == FormSelection.Auto && (long)(hidden.Length + outKept.Length) * Simd.Pad<T>(positions) * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() > FormChoice.TripletWorkingSetLimit)
                form = WeightForm.Rows;
            return new MlpPlan<T>(mlp.Layer, mlp.Nodes,
                new DimensionMap(inputRows.Select(r => mlp.InputDims[r]).ToArray()),
                BlockWeights<T>.From(w1, inputRows, null, hidden.Length, form, policy),
                BlockWeights<T>.From(mlp.W2, hidden, outMap, outKept.Length, form, policy),
                new DimensionMap(outKept.Select(c => mlp.OutputDims[c]).ToArray()),
                mlp.HiddenSize);
        }

        /// <summary>The run matrix with columns renumbered by <paramref name="map"/>, dropped columns cut out of their runs.</summary>
        private static RunMatrix Restrict(RunMatrix m, int[] map)
        {
            int columns = 0;
            foreach (int c in map) if (c >= 0) columns++;
            var rowStart = new int[m.Rows + 1];
            var col = new List<int>();
            var len = new List<int>();
            var val = new List<double>();
            for (int r = 0; r < m.Rows; r++)
            {
                rowStart[r] = col.Count;
                for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                {
                    if (m.RunValue[i] == 0) continue;
                    int c = m.RunColumn[i], end = c + m.RunLength[i];
                    while (c < end)
                    {
                        if (map[c] < 0) { c++; continue; }
                        int start = c;
                        while (c + 1 < end && map[c + 1] == map[c] + 1) c++;
                        c++;
                        col.Add(map[start]);
                        len.Add(c - start);
                        val.Add(m.RunValue[i]);
                    }
                }
            }
            rowStart[m.Rows] = col.Count;
            return new RunMatrix(m.Rows, columns, rowStart, col.ToArray(), len.ToArray(), val.ToArray());
        }
    }
}
