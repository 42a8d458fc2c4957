using System;
using System.ComponentModel;
using Tracr.Transformer;

namespace Tracr.Generated
{
    /// <summary>
    /// Slices the constant data a generated model carries (one span of ints, one of doubles, both RVA
    /// statics in the assembly image) into the arrays of a <see cref="PackedModel"/>, in the order the
    /// generator wrote them. A copy, not a parse: the numbers are already binary. The doubles are the
    /// model's distinct weights (most models have a handful: 1, -1, 100, ...); matrices index them.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ref struct ModelDataReader
    {
        private readonly ReadOnlySpan<int> _ints;
        private readonly ReadOnlySpan<double> _doubles;
        private int _intOffset;

        public ModelDataReader(ReadOnlySpan<int> ints, ReadOnlySpan<double> doubles)
        {
            _ints = ints;
            _doubles = doubles;
            _intOffset = 0;
        }

        /// <summary>The next <paramref name="count"/> ints.</summary>
        public int[] Ints(int count)
        {
            if (count < 0 || _intOffset + count > _ints.Length) throw Corrupt();
            var result = _ints.Slice(_intOffset, count).ToArray();
            _intOffset += count;
            return result;
        }

        /// <summary>
        /// The next run-length matrix: row starts, run columns, run lengths, and per run the index of its value in
        /// the doubles (a table of the model's distinct weights, each written once).
        /// </summary>
        public RunMatrix Matrix(int rows, int columns)
        {
            var rowStart = Ints(rows + 1);
            int runs = rowStart[rows];
            var runColumn = Ints(runs);
            var runLength = Ints(runs);
            var values = new double[runs];
            var index = Ints(runs);
            for (int i = 0; i < runs; i++)
            {
                if ((uint)index[i] >= (uint)_doubles.Length) throw Corrupt();
                values[i] = _doubles[index[i]];
            }
            return new RunMatrix(rows, columns, rowStart, runColumn, runLength, values);
        }

        /// <summary>Checks that the layout consumed exactly the data the generator wrote.</summary>
        public void EnsureConsumed()
        {
            if (_intOffset != _ints.Length) throw Corrupt();
        }

        private static InvalidOperationException Corrupt() =>
            new InvalidOperationException("The generated model data does not match its layout; regenerate the model (rebuild the project).");
    }
}
