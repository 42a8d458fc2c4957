using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Craft.Chamber
{
    /// <summary>
    /// MLPs over a numerical (one-dimensional) input. The discretising MLPs take an optional BOS gate:
    /// with it they write nothing at the BOS position (Tracr's write f(0) there, which a later
    /// attention head then reads as a match or a value at BOS).
    /// </summary>
    internal static class NumericalMlp
    {
        /// <summary>
        /// The discretising hidden layer of Tracr's numerical MLPs. With the input's possible values
        /// sorted v0 &lt; v1 &lt; ... and thresholds t_k halfway between neighbours, neuron pair k is
        /// relu(L(x - t_k) + 1) - relu(L(x - t_k)): 1 when x &gt;= t_k and 0 when x &lt;= t_k - 1/L.
        /// That is exact on every input value when L &gt;= 2 / (smallest gap). Tracr uses L =
        /// mlp_exactness whatever the gaps (so SelectorWidth at max_seq_len 10 decodes 10 as 9);
        /// we use the larger of mlp_exactness and 4 / (smallest gap), which keeps Tracr's weights
        /// wherever Tracr is exact and leaves a 2x margin where it is not.
        /// </summary>
        private sealed class Discretisation
        {
            public List<Value> Outputs = new List<Value>();
            public List<double> Inputs = new List<double>();
            public VectorSpace Hidden = VectorSpace.Empty;
            public BasisDirection Start = null!;
            public double Slope;
        }

        /// <summary>Relative distance below which two input values are treated as the same value.</summary>
        public const double SameValueTolerance = 1e-9;

        private static Discretisation Discretise(IEnumerable<Value> inputValues, Func<Value, Value?> f, string hiddenName, double largeNumber)
        {
            var d = new Discretisation();
            foreach (var x in inputValues.OrderBy(v => v.AsDouble))
            {
                // Values a rounding error apart (e.g. 1/3 - 1/6 and 1/6) are one value to the model, which
                // cannot tell them apart either; separating them would need an absurd slope.
                if (d.Inputs.Count > 0 && x.AsDouble - d.Inputs[d.Inputs.Count - 1] <= SameValueTolerance * Math.Max(1, Math.Abs(x.AsDouble)))
                    continue;
                var y = f(x);
                if (y is null || y.Value.IsNone) continue;
                d.Inputs.Add(x.AsDouble);
                d.Outputs.Add(y.Value);
            }
            if (d.Inputs.Count == 0) throw new InvalidOperationException("The function has no output on any input value.");
            double minGap = double.PositiveInfinity;
            for (int i = 1; i < d.Inputs.Count; i++) minGap = Math.Min(minGap, d.Inputs[i] - d.Inputs[i - 1]);
            d.Slope = double.IsInfinity(minGap) || largeNumber * minGap / 2 >= 1 ? largeNumber : 4 / minGap;
            d.Start = new BasisDirection(hiddenName + "start");
            var dirs = new List<BasisDirection> { d.Start };
            for (int k = 1; k < d.Inputs.Count; k++)
            {
                dirs.Add(Pair(hiddenName, k, 0));
                dirs.Add(Pair(hiddenName, k, 1));
            }
            d.Hidden = new VectorSpace(dirs);
            return d;
        }

        private static BasisDirection Pair(string hiddenName, int k, int i) =>
            new BasisDirection(hiddenName, Value.Tuple(Value.FromInt(k), Value.FromInt(i)));

        private static Linear FirstLayer(Discretisation d, BasisDirection input, BasisDirection one, string hiddenName, BasisDirection? bosGate)
        {
            var inputSpace = new VectorSpace(bosGate is null ? new[] { input, one } : new[] { input, one, bosGate });
            // The bias each hidden neuron gets from `one`.
            var bias = new List<(BasisDirection, double)> { (d.Start, 1) };
            for (int k = 1; k < d.Inputs.Count; k++)
            {
                double threshold = (d.Inputs[k - 1] + d.Inputs[k]) / 2;
                bias.Add((Pair(hiddenName, k, 0), 1 - d.Slope * threshold));
                bias.Add((Pair(hiddenName, k, 1), -d.Slope * threshold));
            }
            return Linear.FromAction(inputSpace, d.Hidden, dir =>
            {
                if (dir.Equals(one)) return bias;
                // At BOS the input is 0 but `one` is 1: cancel every positive bias there so the
                // block writes nothing at BOS, where attention expects only the BOS marker.
                if (bosGate != null && dir.Equals(bosGate)) return bias.Where(b => b.Item2 > 0).Select(b => (b.Item1, -b.Item2));
                return bias.Where(b => !b.Item1.Equals(d.Start)).Select(b => (b.Item1, d.Slope));
            });
        }

        /// <summary>
        /// A numerical function of a numerical input (Tracr's <c>map_numerical_mlp</c>): the output
        /// telescopes f(v0) + sum_k [x &gt;= t_k] (f(v_k) - f(v_(k-1))).
        /// </summary>
        public static Mlp Map(Func<Value, Value?> f, BasisDirection input, BasisDirection output, IEnumerable<Value> inputValues,
            BasisDirection one, double largeNumber, string hiddenName, string node, BasisDirection? bosGate = null)
        {
            var d = Discretise(inputValues, f, hiddenName, largeNumber);
            var outputSpace = new VectorSpace(new[] { output });
            var snd = Linear.FromAction(d.Hidden, outputSpace, h =>
            {
                if (h.Equals(d.Start)) return new[] { (output, d.Outputs[0].AsDouble) };
                var (k, i) = ((int)h.Value.AsTuple[0].AsLong, (int)h.Value.AsTuple[1].AsLong);
                double sign = i == 0 ? 1 : -1;
                return new[] { (output, sign * (d.Outputs[k].AsDouble - d.Outputs[k - 1].AsDouble)) };
            });
            return new Mlp(FirstLayer(d, input, one, hiddenName, bosGate), snd, new[] { node });
        }

        /// <summary>
        /// A categorical function of a numerical input (Tracr's <c>map_numerical_to_categorical_mlp</c>):
        /// the same discretisation, with the telescoping sum over one-hot output vectors.
        /// </summary>
        public static Mlp MapToCategorical(Func<Value, Value?> f, BasisDirection input, VectorSpace output, IEnumerable<Value> inputValues,
            BasisDirection one, double largeNumber, string hiddenName, string node, BasisDirection? bosGate = null)
        {
            var d = Discretise(inputValues, f, hiddenName, largeNumber);
            var byValue = output.Basis.ToDictionary(b => b.Value, b => b);
            BasisDirection OutDir(Value v) => byValue.TryGetValue(v, out var dir) ? dir
                : throw new InvalidOperationException($"Output value {v.Repr()} is not in the output space of '{node}'.");
            var snd = Linear.FromAction(d.Hidden, output, h =>
            {
                if (h.Equals(d.Start)) return new[] { (OutDir(d.Outputs[0]), 1.0) };
                var (k, i) = ((int)h.Value.AsTuple[0].AsLong, (int)h.Value.AsTuple[1].AsLong);
                double sign = i == 0 ? 1 : -1;
                return new[] { (OutDir(d.Outputs[k]), sign), (OutDir(d.Outputs[k - 1]), -sign) };
            });
            return new Mlp(FirstLayer(d, input, one, hiddenName, bosGate), snd, new[] { node });
        }

        /// <summary>
        /// <c>a*x + b*y</c> on numerical inputs (Tracr's <c>linear_sequence_map_numerical_mlp</c>): each input
        /// passes through a +/- pair of ReLU neurons, so the map is exact for any sign.
        /// </summary>
        public static Mlp LinearSequenceMap(BasisDirection input1, BasisDirection input2, BasisDirection output,
            double factor1, double factor2, string hiddenName, string node)
        {
            var input = new VectorSpace(new[] { input1, input2 });
            var xPos = new BasisDirection(hiddenName + "x", Value.FromInt(1));
            var xNeg = new BasisDirection(hiddenName + "x", Value.FromInt(-1));
            var yPos = new BasisDirection(hiddenName + "y", Value.FromInt(1));
            var yNeg = new BasisDirection(hiddenName + "y", Value.FromInt(-1));
            var hidden = new VectorSpace(new[] { xPos, xNeg, yPos, yNeg });
            var fst = Linear.FromAction(input, hidden, d =>
            {
                var res = new List<(BasisDirection, double)>();
                if (d.Equals(input1)) { res.Add((xPos, 1)); res.Add((xNeg, -1)); }
                if (d.Equals(input2)) { res.Add((yPos, 1)); res.Add((yNeg, -1)); }
                return res;
            });
            var outputSpace = new VectorSpace(new[] { output });
            var snd = Linear.FromAction(hidden, outputSpace, h =>
            {
                double factor = h.Name == hiddenName + "x" ? factor1 : factor2;
                return new[] { (output, factor * h.Value.AsDouble) };
            });
            return new Mlp(fst, snd, new[] { node });
        }
    }
}
