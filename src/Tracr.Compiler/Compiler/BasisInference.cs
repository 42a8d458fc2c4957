using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Tracr.Craft;

namespace Tracr.Compiler
{
    /// <summary>
    /// Pass 3: the set of values every S-op can take, and from it the residual directions it owns
    /// (categorical: one per value; numerical: one). Functions are evaluated over their inputs'
    /// value sets exactly as Tracr calls the Python lambda; arithmetic errors drop the value.
    /// </summary>
    internal static class BasisInference
    {
        private const string Stage = "basis_inference";

        public static void InferBases(ProgramGraph graph, IReadOnlyList<Value> vocab, int maxSeqLen, CompilerOptions options, CancellationToken cancellationToken = default)
        {
            var sharedDenominators = new SharedDenominators(graph, maxSeqLen, options, cancellationToken);
            foreach (var node in graph.TopologicalOrder())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!(node.Expr is SOp sop)) continue;
                // Means and what is computed from them are tracked per selector width (SharedDenominators.cs).
                var values = sharedDenominators.TryValueSet(node, sop) ?? ComputeValueSet(graph, node, sop, vocab, maxSeqLen, options, cancellationToken);
                // Categorical values cost residual dimensions; numerical ones cost two hidden neurons each in a downstream discretising MLP.
                if (sop.IsCategorical && values.Count > options.MaxValueSetSize)
                    throw Error(node, UnsupportedKind.ValueSetTooLarge, $"its value set has {values.Count} values, more than the limit of {options.MaxValueSetSize} " +
                                      "(CompilerOptions.MaxValueSetSize); the categorical encoding would need that many residual dimensions.");
                if (sop.IsNumerical && values.Count > options.MaxNumericalValueSetSize)
                    throw Error(node, UnsupportedKind.ValueSetTooLarge, $"its value set has {values.Count} values, more than the limit of {options.MaxNumericalValueSetSize} " +
                                      "(CompilerOptions.MaxNumericalValueSetSize); a numerical Map of it would need two MLP neurons per value.");
                if (sop.IsNumerical && values.FirstOrDefault(v => !v.IsNumeric) is var bad && !bad.IsNone && !bad.IsNumeric)
                    throw Error(node, UnsupportedKind.NonNumericNumerical, $"it is numerically encoded but can take the non-numeric value {bad.Repr()}; numerical S-ops must hold numbers.");
                var sorted = Value.Sorted(values);
                node.ValueSet = sorted;
                node.OutputSpace = sop.IsCategorical
                    ? VectorSpace.FromValues(node.Label, sorted)
                    : VectorSpace.FromNames(node.Label);
            }
        }

        /// <summary>A function's output, refused when it is NaN or an infinity (C#'s result for x / 0.0): a transformer cannot represent it, and it must not turn into a silent 0.</summary>
        /// <summary>
        /// A categorical SequenceMap's MLP has a neuron per pair of input values whichever rule computes its value set
        /// (this one or the per-width one): refuse one whose first layer is over the budget before enumerating any pair.
        /// </summary>
        internal static void CheckSequenceMapMlp(ProgramGraph graph, GraphNode node, SequenceMap sm, CompilerOptions options)
        {
            if (sm.IsCategorical && !(sm is LinearSequenceMap) && !ReferenceEquals(graph.NodeOf(sm.Fst), graph.NodeOf(sm.Snd)))
                SizeEstimation.CheckSequenceMapInputs(node, graph.NodeOf(sm.Fst).OutputSpace!.Dimensions, graph.NodeOf(sm.Snd).OutputSpace!.Dimensions, options);
        }

        internal static Value Finite(GraphNode node, Value v, Func<string> input)
        {
            bool finite = v.Kind != ValueKind.Float ? (v.Kind != ValueKind.Tuple || v.AsTuple.All(i => i.Kind != ValueKind.Float || IsFinite(i.AsDouble))) : IsFinite(v.AsDouble);
            if (finite) return v;
            throw Error(node, UnsupportedKind.NonFiniteValue, $"its function returns {v.Repr()} on {input()}; a transformer cannot represent NaN or infinities (guard the division or the Math call).");
        }

        private static bool IsFinite(double d) => !double.IsNaN(d) && !double.IsInfinity(d);

        private static HashSet<Value> ComputeValueSet(ProgramGraph graph, GraphNode node, SOp sop, IReadOnlyList<Value> vocab, int maxSeqLen,
            CompilerOptions options, CancellationToken cancellationToken)
        {
            IReadOnlyList<Value> Of(SOp child) => graph.NodeOf(child).ValueSet!;
            switch (sop)
            {
                case TokensType _:
                    return new HashSet<Value>(vocab);
                case IndicesType _:
                    return new HashSet<Value>(Enumerable.Range(0, maxSeqLen).Select(i => Value.FromInt(i)));
                case SelectorWidth _:
                    return new HashSet<Value>(Enumerable.Range(0, maxSeqLen + 1).Select(i => Value.FromInt(i)));
                case Map map:
                {
                    var result = new HashSet<Value>();
                    foreach (var x in Of(map.Inner))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var y = NodeFunctions.Call(node, Stage, () => map.Function(x), () => $"input {x.Repr()}");
                        if (y.HasValue && !y.Value.IsNone) result.Add(Finite(node, y.Value, () => $"input {x.Repr()}"));
                    }
                    return result;
                }
                case SequenceMap sm:
                {
                    var result = new HashSet<Value>();
                    var fst = Of(sm.Fst);
                    var snd = Of(sm.Snd);
                    // Guard the product before enumerating it (estimate before allocating).
                    SizeEstimation.CheckProduct(node, (long)fst.Count * snd.Count, $"every pair of its inputs' values ({fst.Count} x {snd.Count})", options);
                    CheckSequenceMapMlp(graph, node, sm, options);
                    foreach (var x in fst)
                        foreach (var y in snd)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            var z = NodeFunctions.Call(node, Stage, () => sm.Function(x, y), () => $"inputs {x.Repr()}, {y.Repr()}");
                            if (z.HasValue && !z.Value.IsNone) result.Add(Finite(node, z.Value, () => $"inputs {x.Repr()}, {y.Repr()}"));
                        }
                    return result;
                }
                case Aggregate agg when agg.IsCategorical:
                    return new HashSet<Value>(Of(agg.Source));
                default:
                    throw Error(node, UnsupportedKind.Other, $"{sop.GetType().Name} has no value set rule.");
            }
        }

        internal static RaspCompilationException Error(GraphNode node, UnsupportedKind kind, string reason) =>
            new RaspCompilationException(Stage, new UnsupportedExpression(node.Expr, node.Label, kind, reason));
    }
}
