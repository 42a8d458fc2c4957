using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Craft.Chamber
{
    /// <summary>MLPs over one-hot (categorical) inputs: lookup tables, exact by construction.</summary>
    internal static class CategoricalMlp
    {
        /// <summary>
        /// A categorical function of one categorical input (Tracr's <c>map_categorical_mlp</c>): the
        /// hidden layer is the one-hot of the output value, the second layer copies it out.
        /// <paramref name="operation"/> returns null where the function has no output.
        /// </summary>
        public static Mlp Map(VectorSpace input, VectorSpace output, Func<BasisDirection, BasisDirection?> operation, string node)
        {
            var fst = Linear.FromAction(input, output, d =>
            {
                var o = operation(d);
                return o != null && output.Contains(o) ? new[] { (o, 1.0) } : Array.Empty<(BasisDirection, double)>();
            });
            var snd = Linear.Project(output, output);
            return new Mlp(fst, snd, new[] { node });
        }

        /// <summary>
        /// A numerical function of a categorical input (Tracr's <c>map_categorical_to_numerical_mlp</c>):
        /// one hidden neuron carries f(x) for the active input. A ReLU would zero negative outputs
        /// (Tracr's defect), so negative parts go through a second neuron that is subtracted.
        /// </summary>
        public static Mlp MapToNumerical(VectorSpace input, VectorSpace output, Func<Value, double?> f, string node)
        {
            if (output.Dimensions != 1) throw new ArgumentException("A numerical output space has one dimension.");
            var outDir = output.Basis[0];
            var values = input.Basis.ToDictionary(d => d, d => f(d.Value) ?? 0.0);
            bool anyNegative = values.Values.Any(v => v < 0);
            var negDir = new BasisDirection("_hidden_" + node + "_negative_");
            var hidden = anyNegative ? new VectorSpace(new[] { outDir, negDir }) : output;
            var fst = Linear.FromAction(input, hidden, d =>
            {
                double v = values[d];
                if (v >= 0) return new[] { (outDir, v) };
                return new[] { (negDir, -v) };
            });
            var snd = Linear.FromAction(hidden, output, h => new[] { (outDir, h.Equals(negDir) ? -1.0 : 1.0) });
            return new Mlp(fst, snd, new[] { node });
        }

        /// <summary>
        /// A categorical function of two categorical inputs (Tracr's <c>sequence_map_categorical_mlp</c>):
        /// one hidden neuron per pair of input values computes their AND as relu(x + y - 1), and the
        /// second layer is the lookup table.
        /// </summary>
        public static Mlp SequenceMap(VectorSpace input1, VectorSpace input2, VectorSpace output, BasisDirection one,
            Func<BasisDirection, BasisDirection, BasisDirection?> operation, string hiddenName, string node)
        {
            if (input1.Basis.Any(input2.Contains))
                throw new InvalidOperationException("Input spaces to a SequenceMap must be disjoint; use a Map when both inputs are the same.");
            var oneSpace = new VectorSpace(new[] { one });
            var input = VectorSpace.DirectSum(input1, input2, oneSpace);

            BasisDirection Hidden(BasisDirection x, BasisDirection y) =>
                new BasisDirection(hiddenName, Value.Tuple(Value.FromString(x.Name), x.Value, Value.FromString(y.Name), y.Value));

            var pairs = new Dictionary<BasisDirection, (BasisDirection X, BasisDirection Y)>();
            foreach (var x in input1.Basis)
                foreach (var y in input2.Basis)
                    pairs[Hidden(x, y)] = (x, y);
            var hidden = new VectorSpace(pairs.Keys);

            var fst = Linear.FromAction(input, hidden, d =>
            {
                if (d.Equals(one)) return hidden.Basis.Select(h => (h, -1.0));
                if (input1.Contains(d)) return input2.Basis.Select(y => (Hidden(d, y), 1.0));
                return input1.Basis.Select(x => (Hidden(x, d), 1.0));
            });
            var snd = Linear.FromAction(hidden, output, h =>
            {
                var (x, y) = pairs[h];
                var o = operation(x, y);
                return o != null && output.Contains(o) ? new[] { (o, 1.0) } : Array.Empty<(BasisDirection, double)>();
            });
            return new Mlp(fst, snd, new[] { node });
        }
    }
}
