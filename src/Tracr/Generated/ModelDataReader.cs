using System;
using Tracr.Transformer;

namespace Tracr.Runtime
{
    /// <summary>
    /// Slices the constant data a generated model carries (one span of ints, one of doubles, both RVA
    /// statics in the assembly image) into the arrays of a <see cref="PackedModel"/>, in the order the
    /// generator wrote them. A copy, not a parse: the numbers are already binary.
    /// </summary>
    public ref struct ModelDataReader
    {
        private readonly ReadOnlySpan<int> _ints;
        private readonly ReadOnlySpan<double> _doubles;
        private int _intOffset;
        private int _doubleOffset;

        public ModelDataReader(ReadOnlySpan<int> ints, ReadOnlySpan<double> doubles)
        {
            _ints = ints;
            _doubles = doubles;
            _intOffset = 0;
            _doubleOffset = 0;
        }

        /// <summary>The next <paramref name="count"/> ints.</summary>
        public int[] Ints(int count)
        {
            if (count < 0 || _intOffset + count > _ints.Length) throw Corrupt();
            var result = _ints.Slice(_intOffset, count).ToArray();
            _intOffset += count;
            return result;
        }

        /// <summary>The next run-length matrix: row starts, run columns, run lengths (ints), run values (doubles).</summary>
        public RunMatrix Matrix(int rows, int columns)
        {
            var rowStart = Ints(rows + 1);
            int runs = rowStart[rows];
            var runColumn = Ints(runs);
            var runLength = Ints(runs);
            if (_doubleOffset + runs > _doubles.Length) throw Corrupt();
            var values = _doubles.Slice(_doubleOffset, runs).ToArray();
            _doubleOffset += runs;
            return new RunMatrix(rows, columns, rowStart, runColumn, runLength, values);
        }

        /// <summary>Checks that the layout consumed exactly the data the generator wrote.</summary>
        public void EnsureConsumed()
        {
            if (_intOffset != _ints.Length || _doubleOffset != _doubles.Length) throw Corrupt();
        }

        private static InvalidOperationException Corrupt() =>
            new InvalidOperationException("The generated model data does not match its layout; regenerate the model (rebuild the project).");
    }
}
