using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr
{
    /// <summary>
    /// The RASP language, in C#. Bring it into scope with <c>using static Tracr.Rasp;</c> and programs
    /// read like Tracr's Python:
    /// <code>
    /// var oppIdx = (Length - Indices).Named("opp_idx");
    /// oppIdx = (oppIdx - 1).Named("opp_idx-1");
    /// var reverseSelector = Select(Indices, oppIdx, Comparison.EQ).Named("reverse_selector");
    /// var reverse = Aggregate(reverseSelector, Tokens).Named("reverse");
    /// </code>
    /// </summary>
    static partial class Rasp
    {
        /// <summary>The input tokens.</summary>
        public static SOp Tokens { get; } = new TokensType();

        /// <summary>The position of every token, 0-based.</summary>
        public static SOp Indices { get; } = new IndicesType();

        /// <summary>The input length at every position. Compiles to a SelectorWidth over an all-true selector.</summary>
        public static SOp Length { get; } = new LengthType();

        /// <summary>Applies <paramref name="f"/> to every element; None stays None. Nested Maps are fused unless <paramref name="simplify"/> is false.</summary>
        public static SOp Map(Func<Value, Value> f, SOp inner, bool simplify = true) => new Map(f, inner, simplify);

        /// <summary>A Map whose function is data (<see cref="Lambdas.LambdaFunction"/>), as the build-time generator produces.</summary>
        internal static SOp Map(Lambdas.LambdaFunction f, SOp inner, bool simplify = true) => new Map(f.ToFunc1(), inner, simplify, f.ToString());

        /// <summary>A SequenceMap whose function is data.</summary>
        internal static SOp SequenceMap(Lambdas.LambdaFunction f, SOp fst, SOp snd) => new SequenceMap(f.ToFunc2(), fst, snd, f.ToString());

        /// <summary>A Select whose predicate <c>(key, query) =&gt; bool</c> is data.</summary>
        internal static Selector Select(SOp keys, SOp queries, Lambdas.LambdaFunction predicate) =>
            new Select(keys, queries, Predicate.FromFunction(predicate.ToPredicate(), predicate.ToString()));

        /// <summary>Applies <paramref name="f"/> to the elements of two S-ops position by position.</summary>
        public static SOp SequenceMap(Func<Value, Value, Value> f, SOp fst, SOp snd) => new SequenceMap(f, fst, snd);

        /// <summary><c>fstFactor * fst + sndFactor * snd</c>, for numerical S-ops.</summary>
        public static SOp LinearSequenceMap(SOp fst, SOp snd, double fstFactor, double sndFactor) =>
            new LinearSequenceMap(fst, snd, fstFactor, sndFactor);

        /// <summary>An S-op with the same value at every position.</summary>
        public static SOp Full(Value fill) => new Full(fill);

        /// <summary>A fixed sequence of values.</summary>
        public static SOp ConstantSOp(IEnumerable<Value> values, bool checkLength = true) => new ConstantSOp(values, checkLength);

        /// <summary>Selects key position k for query position q when <c>comparison(keys[k], queries[q])</c>.</summary>
        public static Selector Select(SOp keys, SOp queries, Comparison comparison) =>
            new Select(keys, queries, Predicate.FromComparison(comparison));

        /// <summary>Selects key position k for query position q when <c>predicate(keys[k], queries[q])</c>.</summary>
        public static Selector Select(SOp keys, SOp queries, Func<Value, Value, bool> predicate) =>
            new Select(keys, queries, Predicate.FromFunction(predicate));

        /// <summary>Averages (numerical) or moves (categorical) the selected values; <paramref name="default"/> where nothing is selected.</summary>
        public static SOp Aggregate(Selector selector, SOp sop, Value @default = default) => new Aggregate(selector, sop, @default);

        /// <summary>The number of keys each query selects.</summary>
        public static SOp SelectorWidth(Selector selector) => new SelectorWidth(selector);

        /// <summary>Returns a copy of <paramref name="sop"/> with numerical encoding (one residual dimension holding the value).</summary>
        public static T Numerical<T>(T sop) where T : SOp => (T)sop.WithEncoding(Encoding.Numerical);

        /// <summary>Returns a copy of <paramref name="sop"/> with categorical encoding (one residual dimension per value).</summary>
        public static T Categorical<T>(T sop) where T : SOp => (T)sop.WithEncoding(Encoding.Categorical);

        /// <summary>Elementwise and; two Selects over the same keys and queries fuse into one Select.</summary>
        public static Selector SelectorAnd(Selector fst, Selector snd, bool simplify = true)
        {
            if (simplify && fst is Select a && snd is Select b && TrySimplify(a, b, (l, r) => l && r, "and") is { } s) return s;
            return new SelectorAnd(fst, snd);
        }

        /// <summary>Elementwise or; two Selects over the same keys and queries fuse into one Select.</summary>
        public static Selector SelectorOr(Selector fst, Selector snd, bool simplify = true)
        {
            if (simplify && fst is Select a && snd is Select b && TrySimplify(a, b, (l, r) => l || r, "or") is { } s) return s;
            return new SelectorOr(fst, snd);
        }

        /// <summary>Elementwise not; a Select becomes a Select with the negated predicate.</summary>
        public static Selector SelectorNot(Selector inner, bool simplify = true)
        {
            if (simplify && inner is Select s)
            {
                var p = s.Predicate;
                return new Select(s.Keys, s.Queries, Predicate.FromFunction((k, q) => !p.Invoke(k, q), "not " + p.Text));
            }
            return new SelectorNot(inner);
        }

        // Tracr's _attempt_simplify: Selects with the same keys and queries (a Full matches anything) combine.
        private static Select? TrySimplify(Select fst, Select snd, Func<bool, bool, bool> combine, string op)
        {
            Func<Value, Value, bool> fp = fst.Predicate.Invoke, sp = snd.Predicate.Invoke;
            SOp? keys = null, queries = null;
            if (fst.Keys is Full fk) { keys = snd.Keys; var p = fp; fp = (k, q) => p(fk.Fill, q); }
            if (snd.Keys is Full sk) { keys = fst.Keys; var p = sp; sp = (k, q) => p(sk.Fill, q); }
            if (fst.Queries is Full fq) { queries = snd.Queries; var p = fp; fp = (k, q) => p(k, fq.Fill); }
            if (snd.Queries is Full sq) { queries = fst.Queries; var p = sp; sp = (k, q) => p(k, sq.Fill); }
            if (ReferenceEquals(fst.Keys, snd.Keys)) keys = fst.Keys;
            if (ReferenceEquals(fst.Queries, snd.Queries)) queries = fst.Queries;
            if (keys is null || queries is null) return null;
            var f1 = fp;
            var f2 = sp;
            return new Select(keys, queries, Predicate.FromFunction((k, q) => combine(f1(k, q), f2(k, q)),
                "(" + fst.Predicate.Text + ") " + op + " (" + snd.Predicate.Text + ")"));
        }

        /// <summary>
        /// Evaluates <paramref name="program"/> on <paramref name="input"/> with the RASP interpreter (Tracr's
        /// <c>rasp.evaluate</c>): the ground truth a compiled model must match. With <paramref name="causal"/>
        /// every selector is masked so a query only sees keys at or before it, as in a causal model.
        /// </summary>
        /// <exception cref="InvalidOperationException">An Aggregate would average values that are not numbers (the message names it and the position).</exception>
        public static IReadOnlyList<Value> Evaluate(SOp program, IEnumerable<Value> input, bool causal = false)
        {
            if (program is null) throw new ArgumentNullException(nameof(program));
            if (input is null) throw new ArgumentNullException(nameof(input));
            return new RaspEvaluator(causal).EvaluateSOp(program, input as IReadOnlyList<Value> ?? input.ToArray());
        }

        /// <summary>Evaluates a selector on an input: <c>result[q][k]</c> says whether query q selects key k.</summary>
        public static bool[][] Evaluate(Selector selector, IEnumerable<Value> input, bool causal = false)
        {
            if (selector is null) throw new ArgumentNullException(nameof(selector));
            if (input is null) throw new ArgumentNullException(nameof(input));
            return new RaspEvaluator(causal).EvaluateSelector(selector, input as IReadOnlyList<Value> ?? input.ToArray());
        }
    }
}
