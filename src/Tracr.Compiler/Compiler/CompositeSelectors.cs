using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Compiler
{
    /// <summary>
    /// Composite selectors (<c>&amp;</c>, <c>|</c>, <c>~</c> of Selects over different keys and queries), which
    /// Tracr's compiler crashes on. Two constructions:
    /// <list type="bullet">
    /// <item><b>Summed scores</b> (<see cref="Tracr.Craft.Chamber.CompositeAttention"/>): one head whose query-key
    /// score is the sum of the parts' scores, with BOS at (parts - 1/2) (or at parts, for SelectorWidth), so only
    /// keys every part selects win. Sound for a conjunction whose conjuncts each read one (keys, queries) pair;
    /// adds no layer, no MLP and no residual dimension.</item>
    /// <item><b>Tuple keys</b> (a lowering in <see cref="RaspToGraph"/>): the keys and the queries of all parts become
    /// one tuple-valued S-op each (SequenceMaps), compared by one Select evaluating the whole formula. Sound for any
    /// formula; costs the SequenceMaps' MLPs, their product-sized residual spaces and usually a layer.</item>
    /// </list>
    /// <see cref="CompositeSelectorConstruction.Auto"/> takes summed scores wherever it is sound: it never costs more
    /// (the head reads the same query and key spaces either way; the tuple form adds MLPs and dimensions on top),
    /// which tests/Tracr.Compiler.Tests/CompositeSelectorTests measures.
    /// </summary>
    internal static class CompositeSelectors
    {
        /// <summary>A formula over Selects with every negation pushed into the leaves (De Morgan).</summary>
        internal abstract class Formula
        {
            public abstract bool Evaluate(Func<Leaf, bool> leaf);
            public abstract IEnumerable<Leaf> Leaves();
        }

        internal sealed class Leaf : Formula
        {
            public Leaf(Select select, bool negated) { Select = select; Negated = negated; }
            public Select Select { get; }
            public bool Negated { get; }
            public bool Holds(Value key, Value query) => Select.Predicate.Invoke(key, query) != Negated;
            public override bool Evaluate(Func<Leaf, bool> leaf) => leaf(this);
            public override IEnumerable<Leaf> Leaves() { yield return this; }
        }

        internal sealed class Junction : Formula
        {
            public Junction(bool isAnd, IReadOnlyList<Formula> parts) { IsAnd = isAnd; Parts = parts; }
            public bool IsAnd { get; }
            public IReadOnlyList<Formula> Parts { get; }
            public override bool Evaluate(Func<Leaf, bool> leaf) => IsAnd ? Parts.All(p => p.Evaluate(leaf)) : Parts.Any(p => p.Evaluate(leaf));
            public override IEnumerable<Leaf> Leaves() => Parts.SelectMany(p => p.Leaves());
        }

        /// <summary>One conjunct of a summed-scores head: a formula over the Selects of one (keys, queries) pair.</summary>
        internal sealed class Part
        {
            public Part(SOp keys, SOp queries, Func<Value, Value, bool> holds) { Keys = keys; Queries = queries; Holds = holds; }
            public SOp Keys { get; }
            public SOp Queries { get; }
            /// <summary>(key, query) =&gt; selected.</summary>
            public Func<Value, Value, bool> Holds { get; }
        }

        /// <summary>True for And/Or/Not trees of Selects (no constant selector inside).</summary>
        public static bool IsComposite(Selector selector) => !(selector is Select) && IsBuiltFromSelects(selector);

        private static bool IsBuiltFromSelects(Selector selector) => selector switch
        {
            Select _ => true,
            SelectorAnd a => IsBuiltFromSelects(a.Fst) && IsBuiltFromSelects(a.Snd),
            SelectorOr o => IsBuiltFromSelects(o.Fst) && IsBuiltFromSelects(o.Snd),
            SelectorNot n => IsBuiltFromSelects(n.Inner),
            _ => false,
        };

        public static bool ReadsOnlyCategorical(Selector selector) =>
            Normalize(selector).Leaves().All(l => l.Select.Keys.IsCategorical && l.Select.Queries.IsCategorical);

        public static Formula Normalize(Selector selector, bool negate = false)
        {
            switch (selector)
            {
                case Select s:
                    return new Leaf(s, negate);
                case SelectorNot n:
                    return Normalize(n.Inner, !negate);
                case SelectorAnd a:
                    return Flatten(!negate, Normalize(a.Fst, negate), Normalize(a.Snd, negate));
                case SelectorOr o:
                    return Flatten(negate, Normalize(o.Fst, negate), Normalize(o.Snd, negate));
                default:
                    throw new ArgumentException($"{selector.GetType().Name} '{selector.Name}' is not built from Selects.", nameof(selector));
            }
        }

        private static Formula Flatten(bool isAnd, Formula a, Formula b)
        {
            var parts = new List<Formula>();
            foreach (var f in new[] { a, b })
            {
                if (f is Junction j && j.IsAnd == isAnd) parts.AddRange(j.Parts);
                else parts.Add(f);
            }
            return new Junction(isAnd, parts);
        }

        /// <summary>
        /// The parts of a summed-scores head, or null when the selector is not a conjunction of per-pair
        /// formulas (then only tuple keys are sound). Parts over the same (keys, queries) pair are merged.
        /// </summary>
        public static IReadOnlyList<Part>? SummedParts(Selector selector)
        {
            var formula = Normalize(selector);
            var conjuncts = formula is Junction j && j.IsAnd ? j.Parts : new[] { formula };
            var groups = new List<(SOp Keys, SOp Queries, List<Formula> Formulas)>();
            foreach (var c in conjuncts)
            {
                var leaves = c.Leaves().ToList();
                var keys = leaves[0].Select.Keys;
                var queries = leaves[0].Select.Queries;
                if (leaves.Any(l => !Same(l.Select.Keys, keys) || !Same(l.Select.Queries, queries))) return null;
                var group = groups.FirstOrDefault(g => Same(g.Keys, keys) && Same(g.Queries, queries));
                if (group.Formulas == null) groups.Add((keys, queries, new List<Formula> { c }));
                else group.Formulas.Add(c);
            }
            return groups.Select(g => new Part(g.Keys, g.Queries,
                (k, q) => g.Formulas.All(f => f.Evaluate(leaf => leaf.Holds(k, q))))).ToList();
        }

        /// <summary>
        /// Tuple keys: one Select over a tuple of every distinct key S-op and a tuple of every distinct query S-op,
        /// whose predicate evaluates the whole formula. <paramref name="tupleOf"/> builds (and shares) the tuple S-ops.
        /// </summary>
        public static Select LowerToTuples(Selector selector, Func<IReadOnlyList<SOp>, SOp> tupleOf)
        {
            var formula = Normalize(selector);
            var leaves = formula.Leaves().ToList();
            var keys = Distinct(leaves.Select(l => l.Select.Keys));
            var queries = Distinct(leaves.Select(l => l.Select.Queries));
            var keyIndex = leaves.ToDictionary(l => l, l => keys.FindIndex(k => Same(k, l.Select.Keys)));
            var queryIndex = leaves.ToDictionary(l => l, l => queries.FindIndex(q => Same(q, l.Select.Queries)));
            int keyCount = keys.Count, queryCount = queries.Count;
            var predicate = Predicate.FromFunction((key, query) =>
                formula.Evaluate(leaf => leaf.Holds(Component(key, keyIndex[leaf], keyCount), Component(query, queryIndex[leaf], queryCount))),
                "tuple of " + selector.Name);
            var lowered = new Select(tupleOf(keys), tupleOf(queries), predicate);
            return lowered;
        }

        /// <summary>The i-th of n components of a tuple built by <see cref="TupleOf"/> (the value itself when n = 1).</summary>
        private static Value Component(Value tuple, int i, int n) => n == 1 ? tuple : tuple.AsTuple[i];

        /// <summary>
        /// The tuple S-op of several S-ops: a chain of SequenceMaps, (x1, x2), then (x1, x2, x3), ... One S-op is itself.
        /// </summary>
        public static SOp TupleOf(IReadOnlyList<SOp> sops)
        {
            if (sops.Count == 1) return sops[0];
            SOp tuple = new SequenceMap((x, y) => Value.Tuple(x, y), sops[0], sops[1], "(x, y)").Named("selector_tuple");
            for (int i = 2; i < sops.Count; i++)
                tuple = new SequenceMap((t, y) => Value.Tuple(t.AsTuple.Concat(new[] { y }).ToArray()), tuple, sops[i], "x + (y,)").Named("selector_tuple");
            return tuple;
        }

        private static List<SOp> Distinct(IEnumerable<SOp> sops)
        {
            var result = new List<SOp>();
            foreach (var s in sops)
                if (!result.Any(r => Same(r, s))) result.Add(s);
            return result;
        }

        /// <summary>The same S-op of the program: the same instance, or two instances of tokens (indices), which are one graph node.</summary>
        public static bool Same(SOp a, SOp b) =>
            ReferenceEquals(a, b) || a is TokensType && b is TokensType || a is IndicesType && b is IndicesType;
    }
}
