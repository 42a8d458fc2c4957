using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Craft
{
    /// <summary>A linear map between named subspaces: <c>y = x · Matrix</c>, with <c>Matrix[input, output]</c>.</summary>
    sealed partial class Linear
    {
        public Linear(VectorSpace input, VectorSpace output, double[,] matrix)
        {
            if (matrix.GetLength(0) != input.Dimensions || matrix.GetLength(1) != output.Dimensions)
                throw new ArgumentException($"Matrix shape {matrix.GetLength(0)}x{matrix.GetLength(1)} does not match spaces {input.Dimensions}x{output.Dimensions}.");
            InputSpace = input;
            OutputSpace = output;
            Matrix = matrix;
        }

        public VectorSpace InputSpace { get; }
        public VectorSpace OutputSpace { get; }
        public double[,] Matrix { get; }

        /// <summary>
        /// Builds the map from its action on each input direction (Tracr's <c>Linear.from_action</c>).
        /// The action yields (output direction, coefficient) pairs; repeated directions add up.
        /// </summary>
        public static Linear FromAction(VectorSpace input, VectorSpace output,
            Func<BasisDirection, IEnumerable<(BasisDirection Direction, double Value)>> action)
        {
            var m = new double[input.Dimensions, output.Dimensions];
            for (int i = 0; i < input.Dimensions; i++)
            {
                foreach (var (dir, v) in action(input.Basis[i]))
                {
                    if (!output.TryIndexOf(dir, out int j))
                        throw new InvalidOperationException($"The image of {input.Basis[i]} has a component on {dir}, which is not in the output space {output}.");
                    m[i, j] += v;
                }
            }
            return new Linear(input, output, m);
        }

        /// <summary>The projection from one space onto another (shared directions map to themselves).</summary>
        public static Linear Project(VectorSpace from, VectorSpace to) =>
            FromAction(from, to, d => to.Contains(d) ? new[] { (d, 1.0) } : Array.Empty<(BasisDirection, double)>());

        /// <summary>Sums linear maps acting on (possibly overlapping) spaces into one map on the joined spaces.</summary>
        public static Linear CombineInParallel(IReadOnlyList<Linear> fns)
        {
            var input = VectorSpace.Join(fns.Select(f => f.InputSpace).ToArray());
            var output = VectorSpace.Join(fns.Select(f => f.OutputSpace).ToArray());
            var m = new double[input.Dimensions, output.Dimensions];
            foreach (var f in fns)
            {
                var rows = f.InputSpace.Basis.Select(input.IndexOf).ToArray();
                var cols = f.OutputSpace.Basis.Select(output.IndexOf).ToArray();
                for (int i = 0; i < rows.Length; i++)
                    for (int j = 0; j < cols.Length; j++)
                        m[rows[i], cols[j]] += f.Matrix[i, j];
            }
            return new Linear(input, output, m);
        }
    }

    /// <summary>A scalar bilinear form <c>x · Matrix · yᵀ</c> (the query-key form of an attention head).</summary>
    sealed partial class ScalarBilinear
    {
        public ScalarBilinear(VectorSpace left, VectorSpace right, double[,] matrix)
        {
            if (matrix.GetLength(0) != left.Dimensions || matrix.GetLength(1) != right.Dimensions)
                throw new ArgumentException("Matrix shape does not match the spaces.");
            LeftSpace = left;
            RightSpace = right;
            Matrix = matrix;
        }

        /// <summary>The query side.</summary>
        public VectorSpace LeftSpace { get; }

        /// <summary>The key side.</summary>
        public VectorSpace RightSpace { get; }

        public double[,] Matrix { get; }

        public static ScalarBilinear FromAction(VectorSpace left, VectorSpace right, Func<BasisDirection, BasisDirection, double> action)
        {
            var m = new double[left.Dimensions, right.Dimensions];
            for (int i = 0; i < left.Dimensions; i++)
                for (int j = 0; j < right.Dimensions; j++)
                    m[i, j] = action(left.Basis[i], right.Basis[j]);
            return new ScalarBilinear(left, right, m);
        }
    }
}
