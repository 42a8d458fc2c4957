using System;
using System.Collections.Generic;
using System.Numerics;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr.Runtime
{
    /// <summary>
    /// A sparse matrix in the layout the fast forward pass multiplies by: each row is a list of
    /// <b>runs</b> (columns <c>RunColumn .. RunColumn + RunLength - 1</c> all equal to <c>RunValue</c>) and
    /// <b>spans</b> (columns <c>SpanColumn .. SpanColumn + SpanLength - 1</c> holding
    /// <c>SpanValues[SpanOffset ..]</c>, zeros allowed). The only operation is
    /// <see cref="AddScaledRow"/>: <c>y += a · row</c>, one vector loop per run or span.
    /// </summary>
    /// <remarks>
    /// Compiled weights come in long runs of one value (a comparison's query-key triangle, a
    /// lookup table's 1s) and in stretches of distinct values (a discretising MLP's biases). Long
    /// runs stay runs (no data to load); short runs close together are merged into dense spans (one
    /// loop instead of many); see <see cref="SegmentPolicy"/>. Every column belongs to at most one
    /// run or span of a row, so <c>y += a · row</c> adds each product exactly once.
    /// </remarks>
    internal sealed class SparseRows<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public SparseRows(int rows, int columns,
            int[] runRowStart, int[] runColumn, int[] runLength, T[] runValue,
            int[] spanRowStart, int[] spanColumn, int[] spanLength, int[] spanOffset, T[] spanValues)
        {
            if (runRowStart.Length != rows + 1 || spanRowStart.Length != rows + 1) throw new ArgumentException("Row starts need rows + 1 entries.");
            int runs = runRowStart[rows], spans = spanRowStart[rows];
            if (runColumn.Length != runs || runLength.Length != runs || runValue.Length != runs) throw new ArgumentException("Run arrays disagree.");
            if (spanColumn.Length != spans || spanLength.Length != spans || spanOffset.Length != spans) throw new ArgumentException("Span arrays disagree.");
            for (int r = 0; r < rows; r++)
                if (runRowStart[r] > runRowStart[r + 1] || spanRowStart[r] > spanRowStart[r + 1]) throw new ArgumentException($"Row starts decrease at row {r}.");
            for (int i = 0; i < runs; i++)
                if (runLength[i] < 1 || runColumn[i] < 0 || runColumn[i] + runLength[i] > columns) throw new ArgumentException($"Run {i} is outside {columns} columns.");
            for (int i = 0; i < spans; i++)
                if (spanLength[i] < 1 || spanColumn[i] < 0 || spanColumn[i] + spanLength[i] > columns || spanOffset[i] < 0 || spanOffset[i] + spanLength[i] > spanValues.Length)
                    throw new ArgumentException($"Span {i} is outside the matrix or its values.");
            Rows = rows;
            Columns = columns;
            RunRowStart = runRowStart;
            RunColumn = runColumn;
            RunLength = runLength;
            RunValue = runValue;
            SpanRowStart = spanRowStart;
            SpanColumn = spanColumn;
            SpanLength = spanLength;
            SpanOffset = spanOffset;
            SpanValues = spanValues;
        }

        public int Rows { get; }
        public int Columns { get; }
        public int[] RunRowStart { get; }
        public int[] RunColumn { get; }
        public int[] RunLength { get; }
        public T[] RunValue { get; }
        public int[] SpanRowStart { get; }
        public int[] SpanColumn { get; }
        public int[] SpanLength { get; }
        public int[] SpanOffset { get; }
        public T[] SpanValues { get; }

        /// <summary>Entries stored (run lengths plus span lengths; spans may hold zeros).</summary>
        public long StoredCount
        {
            get
            {
                long n = 0;
                foreach (int l in RunLength) n += l;
                foreach (int l in SpanLength) n += l;
                return n;
            }
        }

        /// <summary><c>y[c] += a · M[row, c]</c> for every stored column c (the products are <c>a · value</c>, then added).</summary>
        public void AddScaledRow(int row, T a, Span<T> y)
        {
            if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
            if (y.Length < Columns) throw new ArgumentException("y is shorter than the matrix has columns.", nameof(y));
            int[] rc = RunColumn, rl = RunLength;
            T[] rv = RunValue;
            for (int i = RunRowStart[row], end = RunRowStart[row + 1]; i < end; i++)
                Simd.AddScalar(y.Slice(rc[i], rl[i]), a * rv[i]);
            for (int i = SpanRowStart[row], end = SpanRowStart[row + 1]; i < end; i++)
                Simd.AddScaled(y.Slice(SpanColumn[i], SpanLength[i]), a, SpanValues.AsSpan(SpanOffset[i], SpanLength[i]));
        }

        /// <summary>One entry (for tests and inspection).</summary>
        public T this[int row, int column]
        {
            get
            {
                for (int i = RunRowStart[row]; i < RunRowStart[row + 1]; i++)
                    if (column >= RunColumn[i] && column < RunColumn[i] + RunLength[i]) return RunValue[i];
                for (int i = SpanRowStart[row]; i < SpanRowStart[row + 1]; i++)
                    if (column >= SpanColumn[i] && column < SpanColumn[i] + SpanLength[i]) return SpanValues[SpanOffset[i] + column - SpanColumn[i]];
                return T.Zero;
            }
        }

        /// <summary>The dense matrix as doubles (for tests).</summary>
        public double[,] ToDense()
        {
            var m = new double[Rows, Columns];
            for (int r = 0; r < Rows; r++)
            {
                for (int i = RunRowStart[r]; i < RunRowStart[r + 1]; i++)
                    for (int c = 0; c < RunLength[i]; c++) m[r, RunColumn[i] + c] = double.CreateChecked(RunValue[i]);
                for (int i = SpanRowStart[r]; i < SpanRowStart[r + 1]; i++)
                    for (int c = 0; c < SpanLength[i]; c++) m[r, SpanColumn[i] + c] = double.CreateChecked(SpanValues[SpanOffset[i] + c]);
            }
            return m;
        }

        /// <summary>
        /// Converts a run-length matrix: the rows <paramref name="rows"/> of <paramref name="source"/> (in that
        /// order), with source column <c>c</c> moved to <c>columnMap[c]</c> (or dropped when it is -1; only
        /// all-zero columns may be dropped), values rounded to <typeparamref name="T"/>, and short runs close
        /// together merged into spans as <paramref name="policy"/> says.
        /// </summary>
        public static SparseRows<T> From(RunMatrix source, int[]? rows = null, int[]? columnMap = null, int columns = -1, SegmentPolicy? policy = null)
        {
            policy ??= SegmentPolicy.Default;
            rows ??= Identity(source.Rows);
            if (columns < 0) columns = columnMap is null ? source.Columns : 0;
            if (columnMap != null && columns == 0) foreach (int c in columnMap) columns = Math.Max(columns, c + 1);

            var runRowStart = new int[rows.Length + 1];
            var spanRowStart = new int[rows.Length + 1];
            var runColumn = new List<int>();
            var runLength = new List<int>();
            var runValue = new List<T>();
            var spanColumn = new List<int>();
            var spanLength = new List<int>();
            var spanOffset = new List<int>();
            var spanValues = new List<T>();
            var rowRuns = new List<(int Column, int Length, T Value)>();

            for (int r = 0; r < rows.Length; r++)
            {
                runRowStart[r] = runColumn.Count;
                spanRowStart[r] = spanColumn.Count;
                rowRuns.Clear();
                int src = rows[r];
                for (int i = source.RowStart[src]; i < source.RowStart[src + 1]; i++)
                {
                    T value = T.CreateChecked(source.RunValue[i]);
                    if (source.RunValue[i] == 0) continue;
                    int col = source.RunColumn[i], len = source.RunLength[i];
                    if (columnMap != null)
                    {
                        // A run maps to a contiguous range: the columns it covers are live, so none of them is dropped.
                        int mapped = columnMap[col];
                        for (int c = 1; c < len; c++)
                            if (columnMap[col + c] != mapped + c) throw new ArgumentException("A column map must keep the columns of every run contiguous.");
                        if (mapped < 0) throw new ArgumentException($"Column {col} holds a non-zero value but is dropped by the column map.");
                        col = mapped;
                    }
                    rowRuns.Add((col, len, value));
                }
                rowRuns.Sort((a, b) => a.Column.CompareTo(b.Column));

                // Greedy segmentation: a long run stays a run; short runs separated by small gaps form a span.
                for (int i = 0; i < rowRuns.Count;)
                {
                    var run = rowRuns[i];
                    if (run.Length >= policy.MinRunLength)
                    {
                        AddRun(run);
                        i++;
                        continue;
                    }
                    int j = i + 1, end = run.Column + run.Length;
                    while (j < rowRuns.Count && rowRuns[j].Length < policy.MinRunLength && rowRuns[j].Column - end <= policy.MaxSpanGap)
                    {
                        end = rowRuns[j].Column + rowRuns[j].Length;
                        j++;
                    }
                    if (j - i < policy.MinRunsPerSpan)
                    {
                        for (int k = i; k < j; k++) AddRun(rowRuns[k]);
                    }
                    else
                    {
                        int start = run.Column;
                        spanColumn.Add(start);
                        spanLength.Add(end - start);
                        spanOffset.Add(spanValues.Count);
                        int baseIndex = spanValues.Count;
                        for (int c = start; c < end; c++) spanValues.Add(T.Zero);
                        for (int k = i; k < j; k++)
                            for (int c = 0; c < rowRuns[k].Length; c++) spanValues[baseIndex + rowRuns[k].Column + c - start] = rowRuns[k].Value;
                    }
                    i = j;
                }
            }
            runRowStart[rows.Length] = runColumn.Count;
            spanRowStart[rows.Length] = spanColumn.Count;
            return new SparseRows<T>(rows.Length, columns, runRowStart, runColumn.ToArray(), runLength.ToArray(), runValue.ToArray(),
                spanRowStart, spanColumn.ToArray(), spanLength.ToArray(), spanOffset.ToArray(), spanValues.ToArray());

            void AddRun((int Column, int Length, T Value) run)
            {
                runColumn.Add(run.Column);
                runLength.Add(run.Length);
                runValue.Add(run.Value);
            }
        }

        private static int[] Identity(int n)
        {
            var a = new int[n];
            for (int i = 0; i < n; i++) a[i] = i;
            return a;
        }
    }

    /// <summary>
    /// When <see cref="SparseRows{T}.From"/> turns runs into dense spans: runs of at least
    /// <see cref="MinRunLength"/> columns stay runs; at least <see cref="MinRunsPerSpan"/> consecutive
    /// shorter runs, each at most <see cref="MaxSpanGap"/> zero columns after the previous one, become one span.
    /// </summary>
    internal sealed class SegmentPolicy
    {
        public int MinRunLength { get; init; } = 8;
        public int MaxSpanGap { get; init; } = 4;
        public int MinRunsPerSpan { get; init; } = 2;

        /// <summary>The measured default (docs/performance.md).</summary>
        public static SegmentPolicy Default { get; } = new SegmentPolicy();

        /// <summary>Runs only, never spans (the <see cref="RunMatrix"/> layout as is).</summary>
        public static SegmentPolicy RunsOnly { get; } = new SegmentPolicy { MinRunLength = 1 };
    }
}
