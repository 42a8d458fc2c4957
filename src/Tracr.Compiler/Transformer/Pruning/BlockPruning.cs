using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;

namespace Tracr.Transformer
{
    /// <summary>
    /// Drops, block by block, what contributes nothing to the forward pass: <see cref="PackedModel.From"/>
    /// packs every block through <see cref="Prune(PackedHead)"/> and <see cref="Prune(PackedMlp)"/>, once, at
    /// compile time. The run-time plans (<c>Tracr.Generated.ModelPlan</c>) and the source generator's emitted
    /// data and forward code all take the pruned blocks as they are, so they agree by construction and
    /// nothing is pruned again when a model starts.
    /// </summary>
    /// <remarks>
    /// A dimension or neuron whose every weight is zero contributes only terms with a zero factor, and is
    /// left out: query dimensions with an all-zero W_QK row, key dimensions with an all-zero W_QK column
    /// (their query coordinate is always 0), value dimensions with an all-zero W_OV row, output dimensions
    /// with an all-zero W_OV column, MLP inputs with an all-zero W1 row (over the kept neurons), and hidden
    /// neurons whose W1 column or W2 row is all zero (a discretising MLP whose function changes at few
    /// thresholds keeps only those neurons). The sums that remain are the reference's with those zero terms
    /// skipped. Pruning a pruned block changes nothing.
    /// </remarks>
    internal static class BlockPruning
    {
        /// <summary><paramref name="block"/> pruned (see the remarks).</summary>
        public static PackedBlock Prune(PackedBlock block) => block switch
        {
            PackedAttention a => new PackedAttention(a.Layer, a.Heads.Select(Prune).ToArray()),
            PackedMlp m => Prune(m),
            null => throw new ArgumentNullException(nameof(block)),
            _ => throw new NotSupportedException($"Unknown block {block.GetType().Name}."),
        };

        /// <summary>The head over the query, key, value and output dimensions that have a non-zero weight.</summary>
        public static PackedHead Prune(PackedHead head)
        {
            var qk = head.QueryKey;
            var ov = head.OutputValue;
            int[] queryRows = NonEmptyRows(qk);
            var (keyMap, keyKept) = ColumnMap(qk, queryRows);
            int[] valueRows = NonEmptyRows(ov);
            var (outMap, outKept) = ColumnMap(ov, valueRows);
            return new PackedHead(head.Node, head.Causal,
                queryRows.Select(r => head.QueryDims[r]).ToArray(),
                keyKept.Select(c => head.KeyDims[c]).ToArray(),
                valueRows.Select(r => head.ValueDims[r]).ToArray(),
                outKept.Select(c => head.OutputDims[c]).ToArray(),
                Select(qk, queryRows, keyMap),
                Select(ov, valueRows, outMap));
        }

        /// <summary>The MLP over the hidden neurons with a non-zero W1 column and W2 row, and the inputs and outputs they use.</summary>
        public static PackedMlp Prune(PackedMlp mlp)
        {
            // Hidden neurons that matter: a non-zero W2 row and a non-zero W1 column.
            var w2Rows = new HashSet<int>(NonEmptyRows(mlp.W2));
            var (w1Columns, _) = ColumnMap(mlp.W1, Enumerable.Range(0, mlp.W1.Rows));
            int[] hidden = Enumerable.Range(0, mlp.HiddenSize).Where(h => w2Rows.Contains(h) && w1Columns[h] >= 0).ToArray();
            var hiddenMap = Enumerable.Repeat(-1, mlp.HiddenSize).ToArray();
            for (int k = 0; k < hidden.Length; k++) hiddenMap[hidden[k]] = k;

            // Inputs with a non-zero weight into a kept neuron.
            var w1 = Select(mlp.W1, Identity(mlp.W1.Rows), hiddenMap);
            int[] inputRows = NonEmptyRows(w1);
            var (outMap, outKept) = ColumnMap(mlp.W2, hidden);
            return new PackedMlp(mlp.Layer, mlp.Nodes,
                inputRows.Select(r => mlp.InputDims[r]).ToArray(),
                Select(w1, inputRows, Identity(w1.Columns)),
                Select(mlp.W2, hidden, outMap),
                outKept.Select(c => mlp.OutputDims[c]).ToArray(),
                mlp.CompiledHiddenSize);
        }

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

        private static int[] Identity(int n)
        {
            var a = new int[n];
            for (int i = 0; i < n; i++) a[i] = i;
            return a;
        }
    }
}
