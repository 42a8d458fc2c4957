using System;
using System.Collections.Generic;
using System.Numerics;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr.Runtime
{
    /// <summary>
    /// The non-zero entries of a matrix grouped by column (compressed sparse columns): column c owns
    /// entries <c>ColumnStart[c] .. ColumnStart[c + 1] - 1</c>, each a (row, value), rows ascending. The
    /// operand of the position-vectorised kernels, which compute every output vector
    /// <c>Y[c] = Σ_k Value[k] · X[Row[k]]</c> (vectors over positions) in a register, in ascending row
    /// order: the reference's summation order.
    /// </summary>
    internal sealed class Triplets<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Triplets(int rows, int columns, int[] columnStart, int[] row, T[] value)
        {
            if (columnStart.Length != columns + 1) throw new ArgumentException("Column starts need columns + 1 entries.");
            if (row.Length != value.Length || columnStart[columns] != row.Length) throw new ArgumentException("Entry arrays disagree.");
            for (int c = 0; c < columns; c++)
            {
                if (columnStart[c] > columnStart[c + 1]) throw new ArgumentException($"Column starts decrease at column {c}.");
                for (int k = columnStart[c]; k < columnStart[c + 1]; k++)
                {
                    if ((uint)row[k] >= (uint)rows) throw new ArgumentException($"Entry {k} is outside the matrix.");
                    if (k > columnStart[c] && row[k] <= row[k - 1]) throw new ArgumentException("Rows must ascend within a column.");
                }
            }
            Rows = rows;
            Columns = columns;
            ColumnStart = columnStart;
            Row = row;
            Value = value;
            RowStart = new int[rows + 1];
            foreach (int r in row) RowStart[r + 1]++;
            for (int r = 0; r < rows; r++) RowStart[r + 1] += RowStart[r];
            // Entries by row (for the embedding): RowColumn / RowValue in row-major order.
            RowColumn = new int[row.Length];
            RowValue = new T[row.Length];
            var next = (int[])RowStart.Clone();
            for (int c = 0; c < columns; c++)
                for (int k = columnStart[c]; k < columnStart[c + 1]; k++)
                {
                    int at = next[row[k]]++;
                    RowColumn[at] = c;
                    RowValue[at] = value[k];
                }
        }

        public int Rows { get; }
        public int Columns { get; }

        /// <summary>Entries of column c are <c>ColumnStart[c] .. ColumnStart[c + 1] - 1</c>.</summary>
        public int[] ColumnStart { get; }

        public int[] Row { get; }
        public T[] Value { get; }
        public int Count => Value.Length;

        /// <summary>The same entries by row: row r's are <c>RowColumn / RowValue[RowStart[r] .. RowStart[r + 1] - 1]</c>, columns ascending.</summary>
        public int[] RowStart { get; }

        public int[] RowColumn { get; }
        public T[] RowValue { get; }

        /// <summary>The non-zero entries of <paramref name="source"/>'s rows <paramref name="rows"/> (renumbered 0..), columns moved by <paramref name="columnMap"/> (-1: dropped, must be zero).</summary>
        public static Triplets<T> From(RunMatrix source, int[]? rows = null, int[]? columnMap = null, int columns = -1)
        {
            if (rows is null)
            {
                rows = new int[source.Rows];
                for (int i = 0; i < rows.Length; i++) rows[i] = i;
            }
            if (columns < 0) columns = source.Columns;
            var byColumn = new List<(int Row, T Value)>[columns];
            for (int c = 0; c < columns; c++) byColumn[c] = new List<(int, T)>();
            for (int k = 0; k < rows.Length; k++)
            {
                int src = rows[k];
                for (int i = source.RowStart[src]; i < source.RowStart[src + 1]; i++)
                {
                    if (source.RunValue[i] == 0) continue;
                    T value = T.CreateChecked(source.RunValue[i]);
                    for (int j = 0; j < source.RunLength[i]; j++)
                    {
                        int col = source.RunColumn[i] + j;
                        int mapped = columnMap is null ? col : columnMap[col];
                        if (mapped < 0) throw new ArgumentException($"Column {col} holds a non-zero value but is dropped by the column map.");
                        byColumn[mapped].Add((k, value));
                    }
                }
            }
            var start = new int[columns + 1];
            var row = new List<int>();
            var val = new List<T>();
            for (int c = 0; c < columns; c++)
            {
                start[c] = row.Count;
                foreach (var (r, v) in byColumn[c]) // rows were visited in ascending order
                {
                    row.Add(r);
                    val.Add(v);
                }
            }
            start[columns] = row.Count;
            return new Triplets<T>(rows.Length, columns, start, row.ToArray(), val.ToArray());
        }

        /// <summary>The dense matrix as doubles (for tests).</summary>
        public double[,] ToDense()
        {
            var m = new double[Rows, Columns];
            for (int c = 0; c < Columns; c++)
                for (int k = ColumnStart[c]; k < ColumnStart[c + 1]; k++) m[Row[k], c] = double.CreateChecked(Value[k]);
            return m;
        }
    }
}
