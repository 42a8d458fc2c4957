using System.Collections.Generic;
using System.Linq;

namespace Tracr.Compiler
{
    /// <summary>
    /// Pass 1: static validation (and, on request, Tracr's dynamic validation on an input). Walks the whole program and reports every expression the
    /// compiler cannot turn into a transformer, each with a reason, before any work is done.
    /// </summary>
    internal static class Validation
    {
        public static IReadOnlyList<UnsupportedExpression> Validate(ProgramGraph graph, System.Threading.CancellationToken cancellationToken = default)
        {
            var problems = new List<UnsupportedExpression>();
            foreach (var (expr, node) in graph.Expressions)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (kind, reason) = Check(expr);
                if (reason != null) problems.Add(new UnsupportedExpression(expr, node.Label, kind, reason));
            }
            return problems;
        }

        /// <summary>
        /// Tracr's dynamic validation: what only an input reveals. A categorical Aggregate can only
        /// move one value (or several equal ones); averaging several different values is what the
        /// evaluator does and the model cannot. (A numerical Aggregate averages any numbers, as the model does.)
        /// </summary>
        public static IReadOnlyList<UnsupportedExpression> ValidateOn(ProgramGraph graph, IReadOnlyList<Value> input, bool causal)
        {
            var problems = new List<UnsupportedExpression>();
            var evaluator = new RaspEvaluator(causal);
            foreach (var node in graph.Nodes)
            {
                if (!(node.Expr is Aggregate agg)) continue;
                bool[][] selected;
                Value[] values, output;
                try
                {
                    selected = evaluator.EvaluateSelector(agg.Selector, input);
                    values = evaluator.EvaluateSOp(agg.Source, input);
                    output = evaluator.EvaluateSOp(agg, input);
                }
                catch (System.InvalidOperationException e)
                {
                    // The evaluator itself refuses (e.g. several strings selected at once): no defined output to compile.
                    problems.Add(new UnsupportedExpression(agg, node.Label, UnsupportedKind.InputDependent, "the RASP evaluator fails on this input: " + e.Message));
                    break; // Later aggregates may read this one; the first failure is the one to fix.
                }
                int width = selected.Length == 0 ? 0 : selected.Max(row => row.Count(b => b));
                if (agg.IsCategorical && width > 1)
                {
                    if (!new HashSet<Value>(values).SetEquals(output))
                        problems.Add(new UnsupportedExpression(agg, node.Label, UnsupportedKind.InputDependent,
                            "Categorical aggregate does not support Selectors with width > 1 that require aggregation (eg. averaging); " +
                            $"on this input a query selects {width} positions with different values."));
                }
            }
            return problems;
        }

        private static (UnsupportedKind Kind, string? Reason) Check(RaspExpr expr)
        {
            switch (expr)
            {
                case TokensType t when t.IsNumerical:
                    return (UnsupportedKind.NumericalTokensOrIndices, "tokens should always be categorical.");
                case IndicesType i when i.IsNumerical:
                    return (UnsupportedKind.NumericalTokensOrIndices, "indices should always be categorical.");
                case Select s when !s.Keys.IsCategorical:
                    return (UnsupportedKind.NumericalSelectorInput, $"Select keys must be categorical (keys '{s.Keys.Name}' are numerical).");
                case Select s when !s.Queries.IsCategorical:
                    return (UnsupportedKind.NumericalSelectorInput, $"Select queries must be categorical (queries '{s.Queries.Name}' are numerical).");
                case Aggregate a:
                    if (a.Encoding != a.Source.Encoding)
                        return (UnsupportedKind.AggregateEncodingMismatch, $"An aggregate's output encoding must match its input encoding. Input: {a.Source.Encoding}, Output: {a.Encoding}.");
                    if (a.IsCategorical && !a.Default.IsNone)
                        return (UnsupportedKind.AggregateDefault, $"Categorical aggregate only supports None as default value (got {a.Default.Repr()}).");
                    if (a.IsNumerical && !(a.Default.IsNumeric && a.Default.AsDouble == 0))
                        return (UnsupportedKind.AggregateDefault, $"Numerical aggregate only supports 0 as default value (got {a.Default.Repr()}).");
                    return (UnsupportedKind.UncompilableSelector, CheckSelectorIsCompilable(a.Selector, "Aggregate"));
                case SelectorWidth w:
                    return (UnsupportedKind.UncompilableSelector, CheckSelectorIsCompilable(w.Selector, "SelectorWidth"));
                case LinearSequenceMap l when !(l.Fst.IsNumerical && l.Snd.IsNumerical && l.IsNumerical):
                    return (UnsupportedKind.SequenceMapEncoding, "LinearSequenceMap only supports numerical inputs/outputs.");
                case SequenceMap s when !(s is LinearSequenceMap) && !(s.Fst.IsCategorical && s.Snd.IsCategorical && s.IsCategorical):
                    return (UnsupportedKind.SequenceMapEncoding, "(Non-linear) SequenceMap only supports categorical inputs/outputs.");
                default:
                    return (UnsupportedKind.Other, null);
            }
        }

        // Tracr compiles one Select per attention head and crashes on composite selectors; we compile And/Or/Not trees of
        // Selects (CompositeSelectors.cs) and refuse constant selectors, which have no construction.
        private static string? CheckSelectorIsCompilable(Selector selector, string user) => selector switch
        {
            Select _ => null,
            _ when CompositeSelectors.IsComposite(selector) => null,
            ConstantSelector _ => $"{user} uses the constant selector '{selector.Name}', which has no transformer construction.",
            _ => $"{user} uses the selector '{selector.Name}' ({selector.GetType().Name}), which combines a constant selector; " +
                 "only Selects and their combinations with &, | and ~ can be compiled to an attention head.",
        };
    }
}
