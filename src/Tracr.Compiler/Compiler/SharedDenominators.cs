using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Tracr.Compiler
{
    /// <summary>
    /// Part of basis inference: value sets that know the width of a selector. At a position where a
    /// selector selects n keys, every numerical mean over that selector divides by n, and a
    /// SelectorWidth of it is n. Keeping each such node's values <b>per width n</b> lets a SequenceMap
    /// (or LinearSequenceMap) of two nodes keyed by the same selector combine only values of the same
    /// n: shuffle_dyck's <c>opens - closes</c> is then (k - j)/n, not k/n - j/m over every n and m.
    /// Nodes that read no keyed node, or whose per-width sets would cost too much to track, fall back
    /// to plain value sets (always sound: a per-width set only ever drops combinations that cannot occur).
    /// </summary>
    internal sealed class SharedDenominators
    {
        /// <summary>Above this many function calls a keyed SequenceMap falls back to the plain product.</summary>
        private const long MaxKeyedCalls = 2_000_000;

        private const string Stage = "basis_inference";

        private readonly ProgramGraph _graph;
        private readonly int _maxSeqLen;
        private readonly CompilerOptions _options;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<GraphNode, Keyed> _keyed = new Dictionary<GraphNode, Keyed>();

        public SharedDenominators(ProgramGraph graph, int maxSeqLen, CompilerOptions options, CancellationToken cancellationToken = default)
        {
            _graph = graph;
            _maxSeqLen = maxSeqLen;
            _options = options;
            _cancellationToken = cancellationToken;
        }

        /// <summary>A node's values per width of one selector: <c>ByWidth[n]</c> holds what it can be where that selector selects n keys.</summary>
        private sealed class Keyed
        {
            public Keyed(string selector, HashSet<Value>[] byWidth)
            {
                Selector = selector;
                ByWidth = byWidth;
            }

            public string Selector { get; }
            public HashSet<Value>[] ByWidth { get; }
            public long Size => ByWidth.Sum(s => (long)s.Count);
            public HashSet<Value> Union() => new HashSet<Value>(ByWidth.SelectMany(s => s));
        }

        /// <summary>
        /// The value set of <paramref name="node"/> when this pass has a rule for it (numerical Aggregate,
        /// SelectorWidth, and Map/SequenceMap of a keyed node); null to use the plain rule.
        /// </summary>
        public HashSet<Value>? TryValueSet(GraphNode node, SOp sop)
        {
            Keyed? keyed;
            switch (sop)
            {
                case SelectorWidth sw:
                    keyed = new Keyed(SelectorKey(sw.Selector), Enumerable.Range(0, _maxSeqLen + 1).Select(n => new HashSet<Value> { Value.FromInt(n) }).ToArray());
                    break;
                case Aggregate agg when agg.IsNumerical:
                    keyed = Means(node, agg);
                    break;
                case Map map when _keyed.TryGetValue(_graph.NodeOf(map.Inner), out var inner):
                    keyed = MapKeyed(node, map, inner);
                    break;
                case SequenceMap sm:
                    keyed = SequenceMapKeyed(node, sm);
                    break;
                default:
                    keyed = null;
                    break;
            }
            if (keyed == null) return null;
            _keyed[node] = keyed;
            return keyed.Union();
        }

        /// <summary>
        /// Two Selects with the same keys, queries and built-in comparison select the same keys, so they share
        /// widths even when built twice; any other selector is identified by its node.
        /// </summary>
        private string SelectorKey(Selector selector)
        {
            if (selector is Select s && s.Predicate.Comparison is Comparison c)
                return _graph.NodeOf(s.Keys).Label + "|" + _graph.NodeOf(s.Queries).Label + "|" + c;
            return _graph.NodeOf(selector).Label;
        }

        /// <summary>
        /// A mean of n values from V is (sum of an n-multiset of V)/n; nothing selected gives the default 0.
        /// With V ⊆ {0, 1} these are the fractions k/n (Tracr adds only v/n and misses e.g. 2/3).
        /// </summary>
        private Keyed Means(GraphNode node, Aggregate agg)
        {
            var source = _graph.NodeOf(agg.Source).ValueSet!;
            var values = new List<double>();
            foreach (var v in source)
            {
                if (!v.IsNumeric)
                    throw BasisInference.Error(node, UnsupportedKind.NonNumericNumerical,
                        $"a numerical Aggregate (mean) averages numbers, but its input can be {v.Repr()}.");
                values.Add(v.AsDouble);
            }
            var byWidth = new HashSet<Value>[_maxSeqLen + 1];
            byWidth[0] = new HashSet<Value> { Value.FromInt(0) };
            if (values.Count == 0)
            {
                for (int n = 1; n <= _maxSeqLen; n++) byWidth[n] = new HashSet<Value>();
                return new Keyed(SelectorKey(agg.Selector), byWidth);
            }

            // With two or more input values there are at least n + 1 sums of n of them: refuse before enumerating
            // when that alone is over the product limit (at 0/1 inputs these are Tracr's k/n fractions).
            if (values.Count >= 2)
                SizeEstimation.CheckProduct(node, (long)_maxSeqLen * (_maxSeqLen + 3) / 2, $"every fraction k/n with 0 <= k <= n <= {_maxSeqLen}", _options);

            // Sums of n-multisets, one set per n, deduplicated on a fine grid so that float sums reached in different
            // orders (0.1 + 0.2 + 0.3 vs 0.3 + 0.2 + 0.1) count once.
            var sums = new Dictionary<long, double>();
            foreach (var v in values) sums[GridKey(v)] = v;
            // One selected value is that value (bools as the numbers they average as, so value sets stay numbers).
            byWidth[1] = new HashSet<Value>(source.Select(v => v.Kind == ValueKind.Bool ? Value.FromInt(v.AsLong) : v));
            for (int n = 2; n <= _maxSeqLen; n++)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var next = new Dictionary<long, double>();
                foreach (var s in sums.Values)
                    foreach (var v in values)
                    {
                        double t = s + v;
                        long key = GridKey(t);
                        if (!next.ContainsKey(key)) next[key] = t;
                    }
                if (next.Count > _options.MaxNumericalValueSetSize)
                    throw BasisInference.Error(node, UnsupportedKind.ValueSetTooLarge,
                        $"its value set (the means of up to {_maxSeqLen} of its input's values {{{string.Join(", ", source.Take(8).Select(x => x.Repr()))}{(source.Count > 8 ? ", ..." : "")}}}) " +
                        $"has more than {_options.MaxNumericalValueSetSize} values already for {n} selected positions " +
                        "(CompilerOptions.MaxNumericalValueSetSize); a numerical Map of it would need two MLP neurons per value.");
                sums = next;
                var set = new HashSet<Value>();
                foreach (var s in sums.Values)
                {
                    double mean = s / n;
                    set.Add(mean == Math.Floor(mean) && Math.Abs(mean) < 1e15 ? Value.FromInt((long)mean) : Value.FromFloat(mean));
                }
                byWidth[n] = set;
            }
            return new Keyed(SelectorKey(agg.Selector), byWidth);
        }

        private static long GridKey(double x) => (long)Math.Round(x * 1e9);

        private Keyed? MapKeyed(GraphNode node, Map map, Keyed inner)
        {
            var cache = new Dictionary<Value, Value?>();
            var byWidth = new HashSet<Value>[inner.ByWidth.Length];
            for (int n = 0; n < byWidth.Length; n++)
            {
                var set = new HashSet<Value>();
                foreach (var x in inner.ByWidth[n])
                {
                    if (!cache.TryGetValue(x, out var y))
                    {
                        var captured = x;
                        _cancellationToken.ThrowIfCancellationRequested();
                        y = NodeFunctions.Call(node, Stage, () => map.Function(captured), () => $"input {captured.Repr()}");
                        if (y.HasValue && !y.Value.IsNone) y = BasisInference.Finite(node, y.Value, () => $"input {captured.Repr()}");
                        cache[x] = y;
                    }
                    if (y.HasValue && !y.Value.IsNone) set.Add(y.Value);
                }
                byWidth[n] = set;
            }
            return new Keyed(inner.Selector, byWidth);
        }

        /// <summary>
        /// Both operands keyed by the same selector: combine values of the same width only. One operand keyed:
        /// combine its per-width values with all of the other's. Neither: no rule.
        /// </summary>
        private Keyed? SequenceMapKeyed(GraphNode node, SequenceMap sm)
        {
            var fstNode = _graph.NodeOf(sm.Fst);
            var sndNode = _graph.NodeOf(sm.Snd);
            _keyed.TryGetValue(fstNode, out var fst);
            _keyed.TryGetValue(sndNode, out var snd);
            // The same node on both sides keeps Tracr's product rule (ExprToCraft compiles it as a Map of f(x, x)).
            if (fst == null && snd == null || ReferenceEquals(fstNode, sndNode)) return null;
            bool shared = fst != null && snd != null && fst.Selector == snd.Selector;
            var key = (fst ?? snd)!;
            HashSet<Value> Fst(int n) => fst != null && (shared || ReferenceEquals(fst, key)) ? fst.ByWidth[n] : new HashSet<Value>(fstNode.ValueSet!);
            HashSet<Value> Snd(int n) => snd != null && (shared || ReferenceEquals(snd, key)) ? snd.ByWidth[n] : new HashSet<Value>(sndNode.ValueSet!);

            long calls = 0;
            for (int n = 0; n <= _maxSeqLen; n++) calls += (long)Fst(n).Count * Snd(n).Count;
            if (calls > MaxKeyedCalls) return null;
            BasisInference.CheckSequenceMapMlp(_graph, node, sm, _options);

            var cache = new Dictionary<(Value, Value), Value?>();
            var byWidth = new HashSet<Value>[_maxSeqLen + 1];
            for (int n = 0; n <= _maxSeqLen; n++)
            {
                var set = new HashSet<Value>();
                var ys = Snd(n);
                foreach (var x in Fst(n))
                    foreach (var y in ys)
                        Add(set, x, y);
                byWidth[n] = set;
            }
            return new Keyed(key.Selector, byWidth);

            void Add(HashSet<Value> set, Value x, Value y)
            {
                if (!cache.TryGetValue((x, y), out var z))
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    z = NodeFunctions.Call(node, Stage, () => sm.Function(x, y), () => $"inputs {x.Repr()}, {y.Repr()}");
                    if (z.HasValue && !z.Value.IsNone) z = BasisInference.Finite(node, z.Value, () => $"inputs {x.Repr()}, {y.Repr()}");
                    cache[(x, y)] = z;
                }
                if (z.HasValue && !z.Value.IsNone) set.Add(z.Value);
            }
        }
    }
}
