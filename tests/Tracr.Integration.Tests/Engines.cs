using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr.Integration.Tests
{
    /// <summary>A generated model run through its typed API: <c>Predict</c> and <c>Apply</c>, outputs converted back to RASP values.</summary>
    internal sealed class TypedRun
    {
        public TypedRun(Value[] predicted, Value[] applied, IReadOnlyList<double[,]> residuals)
        {
            Predicted = predicted;
            Applied = applied;
            Residuals = residuals;
        }

        public Value[] Predicted { get; }
        public Value[] Applied { get; }
        public IReadOnlyList<double[,]> Residuals { get; }
    }

    /// <summary>Helpers to run every engine on RASP values and to compare what they return.</summary>
    internal static class Engines
    {
        private static readonly ConcurrentDictionary<Type, MethodInfo> TypedRunners = new ConcurrentDictionary<Type, MethodInfo>();

        /// <summary>
        /// Runs a generated <c>CompiledTransformer&lt;TToken, TOutput&gt;</c> through its typed <c>Predict</c> and
        /// <c>Apply</c>: the tokens are converted to <c>TToken</c> (int, string, char, bool, double or Value) and the typed
        /// outputs (<c>int?</c>, <c>string?</c>, <c>double</c>, ...; null for None) back to values.
        /// </summary>
        public static TypedRun RunTyped(ICompiledTransformer model, IReadOnlyList<Value> input)
        {
            var runner = TypedRunners.GetOrAdd(model.GetType(), t =>
            {
                if (!t.IsGenericType || t.GetGenericTypeDefinition() != typeof(CompiledTransformer<,>))
                    throw new InvalidOperationException($"Generated models are CompiledTransformer<TToken, TOutput>, not {t}.");
                return typeof(Engines).GetMethod(nameof(RunTypedCore), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(t.GetGenericArguments());
            });
            try
            {
                return (TypedRun)runner.Invoke(null, new object[] { model, input })!;
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }

        private static TypedRun RunTypedCore<TToken, TOutput>(CompiledTransformer<TToken, TOutput> model, IReadOnlyList<Value> input) where TToken : notnull
        {
            var tokens = input.Select(ToToken<TToken>).ToArray();
            var predicted = model.Predict(tokens);
            var run = model.Apply(tokens);
            return new TypedRun(
                predicted.Select(o => Value.From(o)).ToArray(),
                run.Outputs.Select(o => Value.From(o)).ToArray(),
                run.Residuals);
        }

        private static T ToToken<T>(Value v)
        {
            object token = typeof(T) == typeof(int) ? checked((int)v.AsLong)
                : typeof(T) == typeof(string) ? v.AsString
                : typeof(T) == typeof(char) ? v.AsString.Single()
                : typeof(T) == typeof(bool) ? v.AsBool
                : typeof(T) == typeof(double) ? v.AsDouble
                : typeof(T) == typeof(Value) ? (object)v
                : throw new NotSupportedException($"Token type {typeof(T)}.");
            return (T)token;
        }

        /// <summary><paramref name="count"/> inputs of lengths 1..maxSeqLen over the vocab, from a seed derived from the case name (stable across runs and machines).</summary>
        public static IReadOnlyList<Value[]> RandomInputs(string caseName, IReadOnlyList<Value> vocab, int maxSeqLen, int count)
        {
            var rng = new Random(StableSeed(caseName));
            var inputs = new List<Value[]>(count);
            for (int i = 0; i < count; i++)
            {
                int length = rng.Next(1, maxSeqLen + 1);
                inputs.Add(Enumerable.Range(0, length).Select(_ => vocab[rng.Next(vocab.Count)]).ToArray());
            }
            return inputs;
        }

        /// <summary>FNV-1a of the name (string.GetHashCode is randomised per process).</summary>
        public static int StableSeed(string name)
        {
            unchecked
            {
                uint h = 2166136261;
                foreach (char c in name) h = (h ^ c) * 16777619;
                return (int)(h & 0x7fffffff);
            }
        }

        // ------------------------------------------------------------------ comparing outputs

        /// <summary>Exactly the same values: same kinds, equal values, numbers bit for bit (None only with None).</summary>
        public static bool Identical(IReadOnlyList<Value> a, IReadOnlyList<Value> b) =>
            a.Count == b.Count && a.Zip(b, Identical).All(x => x);

        public static bool Identical(Value a, Value b)
        {
            if (a.Kind != b.Kind) return false;
            if (a.Kind == ValueKind.Float) return BitConverter.DoubleToInt64Bits(a.AsDouble) == BitConverter.DoubleToInt64Bits(b.AsDouble);
            if (a.Kind == ValueKind.Tuple)
            {
                var l = a.AsTuple;
                var r = b.AsTuple;
                return l.Count == r.Count && l.Zip(r, Identical).All(x => x);
            }
            return a.Equals(b);
        }

        /// <summary>Python equality, numbers within <paramref name="tolerance"/> (bools count as 0/1, as in Python; None only equals None).</summary>
        public static bool Close(IReadOnlyList<Value> a, IReadOnlyList<Value> b, double tolerance) =>
            a.Count == b.Count && a.Zip(b, (x, y) => Close(x, y, tolerance)).All(x => x);

        public static bool Close(Value a, Value b, double tolerance)
        {
            if (a.IsNone || b.IsNone) return a.IsNone && b.IsNone;
            if (a.IsNumeric && b.IsNumeric)
            {
                double x = a.AsDouble, y = b.AsDouble;
                return x == y || Math.Abs(x - y) <= tolerance;
            }
            if (a.Kind == ValueKind.Tuple && b.Kind == ValueKind.Tuple)
            {
                var l = a.AsTuple;
                var r = b.AsTuple;
                return l.Count == r.Count && l.Zip(r, (x, y) => Close(x, y, tolerance)).All(x => x);
            }
            return a.Equals(b);
        }

        /// <summary>The largest difference between two residual traces, relative to 1 + |reference|; infinity if their shapes differ.</summary>
        public static double MaxResidualDeviation(IReadOnlyList<double[,]> a, IReadOnlyList<double[,]> reference)
        {
            if (a.Count != reference.Count) return double.PositiveInfinity;
            double worst = 0;
            for (int s = 0; s < a.Count; s++)
            {
                var x = a[s];
                var y = reference[s];
                if (x.GetLength(0) != y.GetLength(0) || x.GetLength(1) != y.GetLength(1)) return double.PositiveInfinity;
                for (int i = 0; i < x.GetLength(0); i++)
                    for (int j = 0; j < x.GetLength(1); j++)
                        worst = Math.Max(worst, Math.Abs(x[i, j] - y[i, j]) / (1 + Math.Abs(y[i, j])));
            }
            return worst;
        }

        public static string Show(IEnumerable<Value> values) => "[" + string.Join(", ", values.Select(v => v.Repr())) + "]";

        // ------------------------------------------------------------------ comparing weights

        /// <summary>
        /// Every difference between two packed models: widths, residual labels, tokens, BOS/PAD, embeddings, every
        /// block (kind, layer, nodes, dims, every RunMatrix array; doubles bit for bit) and the unembedding.
        /// </summary>
        public static List<string> WeightDifferences(PackedModel generated, PackedModel runtime)
        {
            var d = new List<string>();
            void Check(bool same, string what) { if (!same) d.Add(what); }
            string Ints(int[] a) => "[" + string.Join(",", a) + "]";

            Check(generated.Width == runtime.Width, $"width {generated.Width} vs {runtime.Width}");
            Check(generated.MaxSeqLen == runtime.MaxSeqLen, $"max_seq_len {generated.MaxSeqLen} vs {runtime.MaxSeqLen}");
            Check(generated.ResidualLabels.SequenceEqual(runtime.ResidualLabels, StringComparer.Ordinal),
                $"residual labels [{string.Join(", ", generated.ResidualLabels)}] vs [{string.Join(", ", runtime.ResidualLabels)}]");
            Check(Identical(generated.Tokens, runtime.Tokens), $"tokens {Show(generated.Tokens)} vs {Show(runtime.Tokens)}");
            Check(generated.BosToken == runtime.BosToken && generated.PadToken == runtime.PadToken,
                $"BOS/PAD ids {generated.BosToken}/{generated.PadToken} vs {runtime.BosToken}/{runtime.PadToken}");
            Matrix(d, "token embedding", generated.TokenEmbedding, runtime.TokenEmbedding);
            Matrix(d, "position embedding", generated.PositionEmbedding, runtime.PositionEmbedding);
            Check(generated.OutputEncoding == runtime.OutputEncoding, $"output encoding {generated.OutputEncoding} vs {runtime.OutputEncoding}");
            Check(generated.OutputDims.SequenceEqual(runtime.OutputDims), $"output dims {Ints(generated.OutputDims)} vs {Ints(runtime.OutputDims)}");
            Check(Identical(generated.OutputValues, runtime.OutputValues), $"output values {Show(generated.OutputValues)} vs {Show(runtime.OutputValues)}");

            Check(generated.Blocks.Length == runtime.Blocks.Length, $"{generated.Blocks.Length} blocks vs {runtime.Blocks.Length}");
            for (int b = 0; b < Math.Min(generated.Blocks.Length, runtime.Blocks.Length); b++)
            {
                var g = generated.Blocks[b];
                var r = runtime.Blocks[b];
                string where = $"block {b} ({r.Name})";
                Check(g.Layer == r.Layer && g.GetType() == r.GetType(), $"{where}: generated block is {g.Name}");
                if (g is PackedAttention ga && r is PackedAttention ra)
                {
                    Check(ga.Heads.Length == ra.Heads.Length, $"{where}: {ga.Heads.Length} heads vs {ra.Heads.Length}");
                    for (int h = 0; h < Math.Min(ga.Heads.Length, ra.Heads.Length); h++)
                    {
                        var gh = ga.Heads[h];
                        var rh = ra.Heads[h];
                        string head = $"{where} head {h} ({rh.Node})";
                        Check(gh.Node == rh.Node, $"{head}: node {gh.Node}");
                        Check(gh.Causal == rh.Causal, $"{head}: causal {gh.Causal}");
                        Check(gh.QueryDims.SequenceEqual(rh.QueryDims), $"{head}: query dims {Ints(gh.QueryDims)} vs {Ints(rh.QueryDims)}");
                        Check(gh.KeyDims.SequenceEqual(rh.KeyDims), $"{head}: key dims {Ints(gh.KeyDims)} vs {Ints(rh.KeyDims)}");
                        Check(gh.ValueDims.SequenceEqual(rh.ValueDims), $"{head}: value dims {Ints(gh.ValueDims)} vs {Ints(rh.ValueDims)}");
                        Check(gh.OutputDims.SequenceEqual(rh.OutputDims), $"{head}: output dims {Ints(gh.OutputDims)} vs {Ints(rh.OutputDims)}");
                        Matrix(d, head + " W_QK", gh.QueryKey, rh.QueryKey);
                        Matrix(d, head + " W_OV", gh.OutputValue, rh.OutputValue);
                    }
                }
                else if (g is PackedMlp gm && r is PackedMlp rm)
                {
                    Check(gm.Nodes.SequenceEqual(rm.Nodes, StringComparer.Ordinal), $"{where}: nodes [{string.Join(", ", gm.Nodes)}] vs [{string.Join(", ", rm.Nodes)}]");
                    Check(gm.InputDims.SequenceEqual(rm.InputDims), $"{where}: input dims {Ints(gm.InputDims)} vs {Ints(rm.InputDims)}");
                    Check(gm.OutputDims.SequenceEqual(rm.OutputDims), $"{where}: output dims {Ints(gm.OutputDims)} vs {Ints(rm.OutputDims)}");
                    Matrix(d, where + " W1", gm.W1, rm.W1);
                    Matrix(d, where + " W2", gm.W2, rm.W2);
                }
            }
            return d;
        }

        private static void Matrix(List<string> d, string what, RunMatrix g, RunMatrix r)
        {
            if (g.Rows != r.Rows || g.Columns != r.Columns)
            {
                d.Add($"{what}: shape {g.Rows}x{g.Columns} vs {r.Rows}x{r.Columns}");
                return;
            }
            if (!g.RowStart.SequenceEqual(r.RowStart)) d.Add($"{what}: RowStart differs");
            if (!g.RunColumn.SequenceEqual(r.RunColumn)) d.Add($"{what}: RunColumn differs");
            if (!g.RunLength.SequenceEqual(r.RunLength)) d.Add($"{what}: RunLength differs");
            if (g.RunValue.Length != r.RunValue.Length)
            {
                d.Add($"{what}: {g.RunValue.Length} run values vs {r.RunValue.Length}");
                return;
            }
            for (int i = 0; i < g.RunValue.Length; i++)
            {
                if (BitConverter.DoubleToInt64Bits(g.RunValue[i]) != BitConverter.DoubleToInt64Bits(r.RunValue[i]))
                {
                    d.Add($"{what}: run {i} value {g.RunValue[i].ToString("R", CultureInfo.InvariantCulture)} vs {r.RunValue[i].ToString("R", CultureInfo.InvariantCulture)}");
                    return;
                }
            }
        }
    }
}
