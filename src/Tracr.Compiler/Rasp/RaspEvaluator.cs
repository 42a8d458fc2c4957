using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr
{
    /// <summary>
    /// The RASP interpreter with Tracr's semantics: None propagates through Map and SequenceMap,
    /// Aggregate returns a single selected value as it is and averages several numbers, and it fails
    /// where Tracr fails (e.g. averaging several strings). In causal mode every selector is masked
    /// so a query only sees keys at or before it, as in a causally masked transformer.
    /// </summary>
    /// <remarks>Users evaluate through <see cref="Rasp.Evaluate(SOp, IEnumerable{Value}, bool)"/>; an instance memoises
    /// every node it evaluates, which the compiler's validation and the tests use to read intermediate values.</remarks>
    internal sealed class RaspEvaluator
    {
        private readonly bool _causal;
        private readonly Dictionary<RaspExpr, object> _memo = new Dictionary<RaspExpr, object>();

        public RaspEvaluator(bool causal = false) { _causal = causal; }

        /// <summary>Evaluates an S-op. Results are memoised per evaluator, so reuse one evaluator per input only.</summary>
        public Value[] EvaluateSOp(SOp sop, IReadOnlyList<Value> xs)
        {
            if (_memo.TryGetValue(sop, out var cached)) return (Value[])cached;
            EvaluateDescendants(sop, xs);
            var result = EvaluateSOpUncached(sop, xs);
            _memo[sop] = result;
            return result;
        }

        /// <summary>Evaluates a selector: <c>result[q][k]</c> is true when query q selects key k.</summary>
        public bool[][] EvaluateSelector(Selector selector, IReadOnlyList<Value> xs)
        {
            if (_memo.TryGetValue(selector, out var cached)) return (bool[][])cached;
            EvaluateDescendants(selector, xs);
            var result = EvaluateSelectorUncached(selector, xs);
            if (_causal)
                for (int q = 0; q < result.Length; q++)
                    for (int k = q + 1; k < result[q].Length; k++)
                        result[q][k] = false;
            _memo[selector] = result;
            return result;
        }

        /// <summary>
        /// Evaluates the descendants of <paramref name="root"/> that are not memoised yet, children first
        /// (<see cref="RaspExpr.PostOrder"/>, an explicit stack): the recursive evaluation of a node then finds its
        /// children memoised and nests one level deep, so a chain of thousands of operations cannot overflow the
        /// thread's stack (on a 1 MB thread a recursive walk failed at a depth of 1,000).
        /// </summary>
        private void EvaluateDescendants(RaspExpr root, IReadOnlyList<Value> xs)
        {
            foreach (var expr in RaspExpr.PostOrder(root, _memo.ContainsKey))
            {
                if (ReferenceEquals(expr, root)) break; // the root comes last; the caller evaluates it
                if (expr is Selector selector) EvaluateSelector(selector, xs);
                else EvaluateSOp((SOp)expr, xs);
            }
        }

        private Value[] EvaluateSOpUncached(SOp sop, IReadOnlyList<Value> xs)
        {
            int n = xs.Count;
            switch (sop)
            {
                case TokensType _:
                    return xs.ToArray();
                case IndicesType _:
                    return Enumerable.Range(0, n).Select(i => Value.FromInt(i)).ToArray();
                case LengthType _:
                    // A causal model can only see the prefix, so causal length is the prefix length.
                    return Enumerable.Range(0, n).Select(i => Value.FromInt(_causal ? i + 1 : n)).ToArray();
                case Map map:
                {
                    var inner = EvaluateSOp(map.Inner, xs);
                    return inner.Select(x => x.IsNone ? Value.None : map.Function(x)).ToArray();
                }
                case SequenceMap sm:
                {
                    var fst = EvaluateSOp(sm.Fst, xs);
                    var snd = EvaluateSOp(sm.Snd, xs);
                    var res = new Value[n];
                    for (int i = 0; i < n; i++)
                        res[i] = fst[i].IsNone || snd[i].IsNone ? Value.None : sm.Function(fst[i], snd[i]);
                    return res;
                }
                case Full full:
                    return Enumerable.Repeat(full.Fill, n).ToArray();
                case ConstantSOp c:
                    if (c.CheckLength && c.Values.Count != n)
                        throw new ArgumentException($"Constant len {c.Values.Count} doesn't match input len {n}.");
                    return c.Values.ToArray();
                case SelectorWidth sw:
                {
                    var sel = EvaluateSelector(sw.Selector, xs);
                    return sel.Select(row => Value.FromInt(row.Count(b => b))).ToArray();
                }
                case Aggregate agg:
                {
                    var sel = EvaluateSelector(agg.Selector, xs);
                    var values = EvaluateSOp(agg.Source, xs);
                    var res = new Value[sel.Length];
                    for (int q = 0; q < sel.Length; q++)
                    {
                        var selected = new List<Value>();
                        for (int k = 0; k < sel[q].Length && k < values.Length; k++)
                            if (sel[q][k]) selected.Add(values[k]);
                        res[q] = Mean(selected, agg.Default, agg, q);
                    }
                    return res;
                }
                default:
                    throw new NotSupportedException($"Evaluation of {sop.GetType().Name} '{sop.Name}' is not defined.");
            }
        }

        // Tracr's _mean at the pinned commit: one selected value is returned as it is (reverse on [1, 2, 3] gives
        // [3, 2, 1], not floats); several numbers (ints, bools, floats) are averaged to a float; several
        // non-numbers cannot be averaged.
        private static Value Mean(List<Value> xs, Value @default, Aggregate agg, int position)
        {
            if (xs.Count == 0) return @default;
            if (xs.Count == 1) return xs[0];
            if (xs[0].IsNumeric)
            {
                double sum = 0;
                foreach (var x in xs)
                {
                    if (!x.IsNumeric)
                        throw new InvalidOperationException($"Aggregate '{agg.Name}' at position {position}: cannot average {x.Repr()} with numbers.");
                    sum += x.AsDouble;
                }
                return Value.FromFloat(sum / xs.Count);
            }
            throw new InvalidOperationException(
                $"Aggregate '{agg.Name}' at position {position}: unsupported type for aggregation: [{string.Join(", ", xs.Select(x => x.Repr()))}] " +
                "(only numbers are averaged; other values must be selected alone).");
        }

        private bool[][] EvaluateSelectorUncached(Selector selector, IReadOnlyList<Value> xs)
        {
            switch (selector)
            {
                case Select s:
                {
                    var keys = EvaluateSOp(s.Keys, xs);
                    var queries = EvaluateSOp(s.Queries, xs);
                    var res = new bool[queries.Length][];
                    for (int q = 0; q < queries.Length; q++)
                    {
                        res[q] = new bool[keys.Length];
                        for (int k = 0; k < keys.Length; k++) res[q][k] = s.Predicate.Invoke(keys[k], queries[q]);
                    }
                    return res;
                }
                case ConstantSelector c:
                    if (c.CheckLength && c.Value.Length != xs.Count)
                        throw new ArgumentException($"Constant selector len {c.Value.Length} doesn't match input len {xs.Count}.");
                    return c.Value.Select(r => (bool[])r.Clone()).ToArray();
                case SelectorAnd a:
                    return Combine(EvaluateSelector(a.Fst, xs), EvaluateSelector(a.Snd, xs), (x, y) => x && y);
                case SelectorOr o:
                    return Combine(EvaluateSelector(o.Fst, xs), EvaluateSelector(o.Snd, xs), (x, y) => x || y);
                case SelectorNot not:
                    return EvaluateSelector(not.Inner, xs).Select(r => r.Select(b => !b).ToArray()).ToArray();
                default:
                    throw new NotSupportedException($"Evaluation of {selector.GetType().Name} '{selector.Name}' is not defined.");
            }
        }

        private static bool[][] Combine(bool[][] a, bool[][] b, Func<bool, bool, bool> f) =>
            a.Select((row, q) => row.Select((x, k) => f(x, b[q][k])).ToArray()).ToArray();
    }
}
