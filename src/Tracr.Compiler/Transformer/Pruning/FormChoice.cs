using System;
using Tracr.Generated;

namespace Tracr.Transformer
{
    /// <summary>
    /// How a fast forward pass multiplies by a weight matrix. <see cref="Triplets"/>: every non-zero
    /// weight is one vector operation over all positions (small matrices). <see cref="Rows"/>: position
    /// by position, the rows of the non-zero activations (large matrices).
    /// </summary>
    internal enum WeightForm
    {
        Triplets,
        Rows,
    }

    /// <summary>Which <see cref="WeightForm"/> the plans use: chosen per matrix by <see cref="FormChoice"/>, or forced (tests).</summary>
    internal enum FormSelection
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
    /// its runs and spans, and clearing and reading the result vector. The matrices are the pruned ones
    /// of <see cref="PackedModel"/> (pruned by <see cref="BlockPruning"/>: every row and column has a non-zero).
    /// </summary>
    internal static class FormChoice
    {
        /// <summary>Bytes of per-chunk vectors (hidden neurons and outputs) above which an MLP uses the row form.</summary>
        public const long TripletWorkingSetLimit = 256 * 1024;

        /// <summary>Fixed cost of applying one row (call, loop set-up).</summary>
        public const double RowCall = 25;

        /// <summary>Cost of one run or span of a row.</summary>
        public const double RunCost = 6;

        /// <summary>Estimated cost of multiplying by <paramref name="m"/> in triplet form.</summary>
        public static double TripletCost(RunMatrix m, int positions, int lanes) =>
            Math.Ceiling((double)positions / lanes) * (m.NonZeroCount + m.Columns);

        /// <summary>Estimated cost in row form, with <paramref name="activeRows"/> non-zero activations per position.</summary>
        public static double RowCost(RunMatrix m, int positions, int lanes, double activeRows)
        {
            if (m.Rows == 0) return 0;
            long runs = 0;
            for (int i = 0; i < m.RunCount; i++) if (m.RunValue[i] != 0) runs++;
            double perRow = RowCall + (double)runs / m.Rows * RunCost + (double)m.NonZeroCount / m.Rows / 16;
            return positions * (Math.Min(activeRows, m.Rows) * perRow + 2 * Math.Ceiling(m.Columns / 16.0))
                + m.Rows * Math.Ceiling((double)positions / lanes);
        }

        /// <summary>A head's matrix: triplets when not dearer than rows (one non-zero activation per position for a one-hot input, plus the 'one' direction).</summary>
        public static WeightForm Choose(FormSelection selection, RunMatrix m, int positions, int lanes, double activeRows = 2)
        {
            if (selection == FormSelection.Triplets) return WeightForm.Triplets;
            if (selection == FormSelection.Rows) return WeightForm.Rows;
            return TripletCost(m, positions, lanes) <= RowCost(m, positions, lanes, activeRows) ? WeightForm.Triplets : WeightForm.Rows;
        }

        /// <summary>
        /// An MLP's form (one for both layers, the cheaper for the two together). Active neurons per
        /// position in the row form: one per input for a lookup table, more for discretising MLPs. The
        /// triplet form keeps every hidden and output vector of a chunk: past <see cref="TripletWorkingSetLimit"/>
        /// bytes they leave the L2 cache and the estimate is far too low (sort 64/64's 4,096-neuron lookup
        /// MLP: 185 us vs 98 us in rows).
        /// </summary>
        public static WeightForm ChooseMlp(FormSelection selection, PackedMlp mlp, int positions, int lanes, int elementBytes)
        {
            if (selection == FormSelection.Triplets) return WeightForm.Triplets;
            if (selection == FormSelection.Rows) return WeightForm.Rows;
            double triplets = TripletCost(mlp.W1, positions, lanes) + TripletCost(mlp.W2, positions, lanes);
            double rows = RowCost(mlp.W1, positions, lanes, 2)
                + RowCost(mlp.W2, positions, lanes, Math.Max(1.0, (double)mlp.HiddenSize / Math.Max(1, mlp.InputDims.Length)));
            int unit = 64 / elementBytes; // the residual stride pads positions to 512 bits
            long padded = (positions + unit - 1) / unit * unit;
            if ((long)(mlp.HiddenSize + mlp.OutputDims.Length) * padded * elementBytes > TripletWorkingSetLimit) return WeightForm.Rows;
            return triplets <= rows ? WeightForm.Triplets : WeightForm.Rows;
        }
    }
}
