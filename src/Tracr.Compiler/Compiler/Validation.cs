using System.Collections.Generic;
using System.Linq;

namespace Tracr.Compiler
{
    /// <summary>
    /// Pass 1: static validation. Walks the whole program and reports every expression the
    /// compiler cannot turn into a transformer, each with a reason, before any work is done.
    /// </summary>
    internal static class Validation
    {
        public static IReadOnlyList<UnsupportedExpression> Validate(ProgramGraph graph)
        {
            var problems = new List<UnsupportedExpression>();
            foreach (var (expr, node) in graph.Expressions)
            {
                string? reason = Check(expr);
                if (reason != null) problems.Add(new UnsupportedExpression(expr.Name, node.Label, reason));
            }
            return problems;
        }

        private static string? Check(RaspExpr expr)
        {
            switch (expr)
            {
                case TokensType t when t.IsNumerical:
                    return "tokens should always be categorical.";
                case IndicesType i when i.IsNumerical:
                    return "indices should always be categorical.";
                case Select s when !s.Keys.IsCategorical:
                    return $"Select keys must be categorical (keys '{s.Keys.Name}' are numerical).";
                case Select s when !s.Queries.IsCategorical:
                    return $"Select queries must be categorical (queries '{s.Queries.Name}' are numerical).";
                case Aggregate a:
                    if (a.Encoding != a.Source.Encoding)
                        return $"An aggregate's output encoding must match its input encoding. Input: {a.Source.Encoding}, Output: {a.Encoding}.";
                    if (a.IsCategorical && !a.Default.IsNone)
                        return $"Categorical aggregate only supports None as default value (got {a.Default.Repr()}).";
                    if (a.IsNumerical && !(a.Default.IsNumeric && a.Default.AsDouble == 0))
                        return $"Numerical aggregate only supports 0 as default value (got {a.Default.Repr()}).";
                    return CheckSelectorIsCompilable(a.Selector, "Aggregate");
                case SelectorWidth w:
                    return CheckSelectorIsCompilable(w.Selector, "SelectorWidth");
                case LinearSequenceMap l when !(l.Fst.IsNumerical && l.Snd.IsNumerical && l.IsNumerical):
                    return "LinearSequenceMap only supports numerical inputs/outputs.";
                case SequenceMap s when !(s is LinearSequenceMap) && !(s.Fst.IsCategorical && s.Snd.IsCategorical && s.IsCategorical):
                    return "(Non-linear) SequenceMap only supports categorical inputs/outputs.";
                default:
                    return null;
            }
        }

        // Tracr compiles one Select per attention head; it crashes on composite selectors, we refuse them.
        private static string? CheckSelectorIsCompilable(Selector selector, string user) => selector switch
        {
            Select _ => null,
            ConstantSelector _ => $"{user} uses the constant selector '{selector.Name}', which has no transformer construction.",
            _ => $"{user} uses the composite selector '{selector.Name}' ({selector.GetType().Name}); only a single Select can be compiled " +
                 "to an attention head. Selects over the same keys and queries combined with &, | or ~ are fused automatically; " +
                 "otherwise express the condition in one Select (e.g. with a SequenceMap building a combined key).",
        };
    }
}
