using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Transformer;

namespace Tracr.Export.Tests
{
    /// <summary>Tolerances and the bookkeeping of compared numbers: largest difference and the place it was found.</summary>
    public sealed class Comparison
    {
        private readonly double _tolerance;
        private readonly List<string> _failures = new List<string>();

        /// <param name="tolerance">Allowed |a - b| / max(1, |b|).</param>
        public Comparison(double tolerance) { _tolerance = tolerance; }

        public long Count { get; private set; }
        public double MaxDifference { get; private set; }
        public string MaxAt { get; private set; } = "";
        public IReadOnlyList<string> Failures => _failures;

        /// <summary>
        /// Tolerance for an export in <paramref name="precision"/>. Float32 weights round at 2^-24 relative and MLP
        /// slopes amplify that (3e-5 measured); 1e-4 still fails an export without the attention scale folded
        /// into W_Q (6e-4 off: the cold softmax hides most of a missing sqrt(d_head)).
        /// </summary>
        public static Comparison For(TensorPrecision precision) => new Comparison(precision == TensorPrecision.Float64 ? 1e-9 : 1e-4);

        /// <summary>Compares <paramref name="actual"/> [rows, columns] against <paramref name="expected"/>, where columns may be a subset (<paramref name="columns"/>).</summary>
        public void Matrix(string where, double[,] expected, Func<int, int, double> actual, int[]? columns = null)
        {
            int rows = expected.GetLength(0), cols = columns?.Length ?? expected.GetLength(1);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                {
                    double e = expected[r, columns?[c] ?? c], a = actual(r, c);
                    double diff = Math.Abs(a - e);
                    if (double.IsNaN(a) || double.IsNaN(e)) diff = double.PositiveInfinity;
                    Count++;
                    if (diff > MaxDifference)
                    {
                        MaxDifference = diff;
                        MaxAt = $"{where} [{r}, {c}]";
                    }
                    if (diff > _tolerance * Math.Max(1, Math.Abs(e)) && _failures.Count < 20)
                        _failures.Add($"{where} [{r}, {c}]: expected {e}, got {a}");
                }
        }

        /// <summary>What the reference forward pass computed for <paramref name="input"/>.</summary>
        public static ModelRun<Value> Reference(CompiledModel model, Value[] input) => model.Apply(input);

        public override string ToString() => $"{Count} numbers, max |difference| {MaxDifference:G3} at {MaxAt}";
    }
}
