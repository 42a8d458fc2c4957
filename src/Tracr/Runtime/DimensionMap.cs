using System;

namespace Tracr.Runtime
{
    /// <summary>
    /// The residual dimensions a block reads or writes, in the block's local order: local index
    /// <c>k</c> is residual dimension <c>Dims[k]</c> (in the dimension-major residual stream, the
    /// vector <c>x[Dims[k] · stride ..]</c>).
    /// </summary>
    internal sealed class DimensionMap
    {
        public DimensionMap(int[] dims)
        {
            Dims = dims ?? throw new ArgumentNullException(nameof(dims));
            MaxDim = -1;
            foreach (int d in dims)
            {
                if (d < 0) throw new ArgumentOutOfRangeException(nameof(dims), "Residual dimensions are non-negative.");
                MaxDim = Math.Max(MaxDim, d);
            }
        }

        /// <summary>The largest residual dimension (-1 when empty).</summary>
        public int MaxDim { get; }

        /// <summary>Residual dimension of each local index.</summary>
        public int[] Dims { get; }

        public int Count => Dims.Length;
    }
}
