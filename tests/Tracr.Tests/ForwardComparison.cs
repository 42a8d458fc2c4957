using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;
using Tracr.Runtime;
using Tracr.Tests.Golden;
using Tracr.Tests.RandomPrograms;
using Tracr.Transformer;

namespace Tracr.Tests
{
    /// <summary>
    /// Runs the reference forward pass and the fast one on the same token ids and measures how far
    /// apart they are (docs/performance.md, "Equivalence"): decoded categorical outputs must be
    /// identical; numerical outputs, residuals and block outputs are compared as
    /// <c>|fast − reference| / max(1, |reference|)</c>, attention weights absolutely, and logits
    /// relative to <c>max(1, largest |logit| of the head)</c> (masked −∞ logits must match exactly).
    /// </summary>
    internal static class ForwardComparison
    {
        /// <summary>float32: measured worst case 1.2e-4 (sort 64/64's residual; docs/performance.md).</summary>
        public const double SingleTolerance = 1e-3;

        /// <summary>float64: the reference's arithmetic in the reference's order (measured: identical on every case); only exp could differ.</summary>
        public const double DoubleTolerance = 1e-9;

        public static double Tolerance(ForwardPrecision p) => p == ForwardPrecision.Double ? DoubleTolerance : SingleTolerance;

        /// <summary>
        /// float32 attention weights. A categorical MLP output is exact only up to float32 rounding at its step
        /// (the precision rule keeps that under 1/8 of a step, so decoding is exact), and a head reading it
        /// multiplies it by SoftmaxColdness (100): measured worst case, random seed 946 (a SelectorWidth read by a
        /// tuple-keys composite selector), a one-hot off by 1.4e-4 shifts a logit by 0.014 and a weight by 1.9e-3,
        /// with residuals and outputs within <see cref="SingleTolerance"/> and decoded outputs identical.
        /// </summary>
        public const double SingleWeightTolerance = 5e-3;

        public sealed class Result
        {
            public bool DecodedEqual = true;
            public string? DecodedMismatch;
            public double MaxResidualError;
            public double MaxLayerOutputError;
            public double MaxLogitError;
            public double MaxWeightError;
            public double MaxNumericalError;
            public string? ShapeMismatch;
            public double MaxError => new[] { MaxResidualError, MaxLayerOutputError, MaxLogitError, MaxWeightError, MaxNumericalError }.Max();
        }

        /// <summary>Reference vs the fast transformer's full path and fast path on one input.</summary>
        public static Result Compare(AssembledTransformer reference, FastTransformer fast, int[] ids, ForwardWorkspace? workspace = null)
        {
            var r = new Result();
            var expected = ReferenceForward.Run(reference, ids);
            var full = fast.RunFull(ids);
            workspace ??= fast.CreateWorkspace();

            // Decoded: the full path, and the fast path.
            var fastDecoded = new Value[ids.Length - 1];
            if (fast.Packed.OutputEncoding == Encoding.Categorical)
            {
                var o = new int[ids.Length - 1];
                fast.PredictCategorical(ids, o, workspace);
                for (int i = 0; i < o.Length; i++) fastDecoded[i] = fast.OutputValue(o[i]);
            }
            else
            {
                var o = new double[ids.Length - 1];
                fast.PredictNumerical(ids, o, workspace);
                for (int i = 0; i < o.Length; i++) fastDecoded[i] = Value.FromFloat(o[i]);
            }
            for (int i = 0; i < expected.Outputs.Length; i++)
            {
                foreach (var actual in new[] { full.Outputs[i], fastDecoded[i] })
                {
                    var e = expected.Outputs[i];
                    if (fast.Packed.OutputEncoding == Encoding.Numerical && e.IsNumeric && actual.IsNumeric)
                    {
                        r.MaxNumericalError = Math.Max(r.MaxNumericalError, Error(e.AsDouble, actual.AsDouble));
                    }
                    else if (!e.Equals(actual))
                    {
                        r.DecodedEqual = false;
                        r.DecodedMismatch ??= $"position {i + 1}: reference {e.Repr()}, fast {actual.Repr()}";
                    }
                }
            }

            if (full.Residuals.Count != expected.Residuals.Count || full.LayerOutputs.Count != expected.LayerOutputs.Count || full.Attention.Count != expected.Attention.Count)
            {
                r.ShapeMismatch = $"{full.Residuals.Count}/{expected.Residuals.Count} residuals, {full.LayerOutputs.Count}/{expected.LayerOutputs.Count} layer outputs, {full.Attention.Count}/{expected.Attention.Count} heads";
                return r;
            }
            if (!full.LayerNames.SequenceEqual(expected.LayerNames)) r.ShapeMismatch = "layer names differ";
            for (int i = 0; i < expected.Residuals.Count; i++) r.MaxResidualError = Math.Max(r.MaxResidualError, MaxError(expected.Residuals[i], full.Residuals[i], ref r.ShapeMismatch));
            for (int i = 0; i < expected.LayerOutputs.Count; i++) r.MaxLayerOutputError = Math.Max(r.MaxLayerOutputError, MaxError(expected.LayerOutputs[i], full.LayerOutputs[i], ref r.ShapeMismatch));
            for (int i = 0; i < expected.Attention.Count; i++)
            {
                var e = expected.Attention[i];
                var a = full.Attention[i];
                if (e.Layer != a.Layer || e.Head != a.Head || e.Node != a.Node) r.ShapeMismatch = $"head {i} is {a.Layer}/{a.Head}/{a.Node}, expected {e.Layer}/{e.Head}/{e.Node}";
                r.MaxLogitError = Math.Max(r.MaxLogitError, MaxScaledError(e.Logits, a.Logits, ref r.ShapeMismatch));
                r.MaxWeightError = Math.Max(r.MaxWeightError, MaxAbsoluteError(e.Weights, a.Weights, ref r.ShapeMismatch));
            }
            return r;
        }

        /// <summary>Fails with a description unless <paramref name="r"/> is within <paramref name="tolerance"/> and decodes identically.</summary>
        public static void AssertEquivalent(Result r, double tolerance, string what)
        {
            Xunit.Assert.True(r.ShapeMismatch is null, $"{what}: {r.ShapeMismatch}");
            Xunit.Assert.True(r.DecodedEqual, $"{what}: decoded outputs differ: {r.DecodedMismatch}");
            double weightTolerance = tolerance == SingleTolerance ? SingleWeightTolerance : tolerance;
            double maxError = Math.Max(new[] { r.MaxResidualError, r.MaxLayerOutputError, r.MaxLogitError, r.MaxNumericalError }.Max(), r.MaxWeightError * tolerance / weightTolerance);
            Xunit.Assert.True(maxError <= tolerance,
                $"{what}: residual {r.MaxResidualError:E2}, layer output {r.MaxLayerOutputError:E2}, logit {r.MaxLogitError:E2}, weight {r.MaxWeightError:E2} (tolerance {weightTolerance:E0}), numerical output {r.MaxNumericalError:E2} (tolerance {tolerance:E0})");
        }

        /// <summary>|a − e| / max(1, |e|); equal infinities are 0 apart, a NaN or one-sided infinity is infinitely far.</summary>
        public static double Error(double e, double a)
        {
            if (e == a) return 0;
            if (double.IsNaN(e) || double.IsNaN(a) || double.IsInfinity(e) || double.IsInfinity(a)) return double.PositiveInfinity;
            return Math.Abs(a - e) / Math.Max(1, Math.Abs(e));
        }

        /// <summary>Largest |a − e| / max(1, largest finite |e|); infinities must match exactly.</summary>
        private static double MaxScaledError(double[,] e, double[,] a, ref string? shape)
        {
            if (!SameShape(e, a, ref shape)) return double.PositiveInfinity;
            double scale = 1;
            foreach (double x in e) if (!double.IsInfinity(x)) scale = Math.Max(scale, Math.Abs(x));
            double max = 0;
            for (int i = 0; i < e.GetLength(0); i++)
                for (int j = 0; j < e.GetLength(1); j++)
                {
                    double x = e[i, j], y = a[i, j];
                    if (x == y) continue;
                    if (double.IsInfinity(x) || double.IsInfinity(y) || double.IsNaN(y)) return double.PositiveInfinity;
                    max = Math.Max(max, Math.Abs(y - x) / scale);
                }
            return max;
        }

        private static double MaxAbsoluteError(double[,] e, double[,] a, ref string? shape)
        {
            if (!SameShape(e, a, ref shape)) return double.PositiveInfinity;
            double max = 0;
            for (int i = 0; i < e.GetLength(0); i++)
                for (int j = 0; j < e.GetLength(1); j++)
                    max = Math.Max(max, double.IsNaN(a[i, j]) ? double.PositiveInfinity : Math.Abs(a[i, j] - e[i, j]));
            return max;
        }

        private static bool SameShape(double[,] e, double[,] a, ref string? shape)
        {
            if (e.GetLength(0) == a.GetLength(0) && e.GetLength(1) == a.GetLength(1)) return true;
            shape ??= $"matrix [{a.GetLength(0)}, {a.GetLength(1)}], expected [{e.GetLength(0)}, {e.GetLength(1)}]";
            return false;
        }

        private static double MaxError(double[,] e, double[,] a, ref string? shape)
        {
            if (e.GetLength(0) != a.GetLength(0) || e.GetLength(1) != a.GetLength(1))
            {
                shape ??= $"matrix [{a.GetLength(0)}, {a.GetLength(1)}], expected [{e.GetLength(0)}, {e.GetLength(1)}]";
                return double.PositiveInfinity;
            }
            double max = 0;
            for (int i = 0; i < e.GetLength(0); i++)
                for (int j = 0; j < e.GetLength(1); j++)
                    max = Math.Max(max, Error(e[i, j], a[i, j]));
            return max;
        }

        /// <summary>Random token ids (BOS first) of the given length over the model's vocab (not BOS or PAD).</summary>
        public static int[] RandomIds(CompiledModel model, Random rng, int length)
        {
            var ids = new int[length + 1];
            ids[0] = model.Assembled.BosTokenIndex;
            for (int i = 1; i <= length; i++) ids[i] = rng.Next(model.Vocab.Count);
            return ids;
        }

        /// <summary>Inputs for a model: the given ones, the maximum length, length 1, and random lengths.</summary>
        public static List<int[]> Inputs(CompiledModel model, IEnumerable<IReadOnlyList<Value>> given, int seed, int random = 6)
        {
            var list = given.Where(g => g.Count <= model.MaxSeqLen && g.All(v => model.Vocab.Contains(v))).Select(g => model.Encode(g)).ToList();
            var rng = new Random(seed);
            list.Add(RandomIds(model, rng, model.MaxSeqLen));
            list.Add(RandomIds(model, rng, 1));
            for (int i = 0; i < random; i++) list.Add(RandomIds(model, rng, rng.Next(1, model.MaxSeqLen + 1)));
            return list;
        }

        /// <summary>Every golden case that compiles, with its sample inputs.</summary>
        public static IEnumerable<(string Name, CompiledModel Model, List<IReadOnlyList<Value>> Inputs)> GoldenModels()
        {
            foreach (var name in GoldenData.CaseNames)
            {
                var golden = GoldenData.Load(name);
                if (golden.ExpectsError) continue;
                CompiledModel model;
                try { model = GoldenPrograms.Get(name).Compile(); }
                catch (RaspCompilationException) { continue; }
                yield return (name, model, golden.Samples.Select(s => (IReadOnlyList<Value>)s.Input).ToList());
            }
        }

        /// <summary>The well-formed random programs of seeds first..first+count-1 that compile.</summary>
        public static IEnumerable<(GeneratedProgram Program, CompiledModel Model)> RandomModels(int first, int count)
        {
            for (int seed = first; seed < first + count; seed++)
            {
                var gp = RandomProgramGenerator.Generate(seed);
                if (gp.DeliberateViolation != null) continue;
                CompiledModel model;
                try { model = RaspCompiler.Compile(gp.Program, gp.Vocab, gp.MaxSeqLen, new CompilerOptions { Causal = gp.Causal }); }
                catch (RaspCompilationException) { continue; }
                yield return (gp, model);
            }
        }
    }
}
