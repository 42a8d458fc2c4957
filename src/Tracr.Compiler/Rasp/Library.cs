using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using static Tracr.Rasp;

namespace Tracr
{
    /// <summary>
    /// The canonical RASP programs of Tracr's <c>compiler/lib.py</c>, written in C# with the same
    /// structure and the same node names, so a compiled program gets the same graph labels
    /// (e.g. <c>reverse_1</c>, <c>opp_idx_3</c>) as Tracr's.
    /// </summary>
    /// <remarks>
    /// RASP expressions are immutable here (Tracr mutates them), so every builder names each
    /// expression before anything else reads it. Programs marked "non-causal" rely on seeing the
    /// whole input (they read <see cref="Length"/> or a selector over every position); the others
    /// also work when compiled with causal attention.
    /// </remarks>
    static partial class Library
    {
        /// <summary>
        /// Tracr's module-level <c>length = make_length()</c>: a <see cref="SelectorWidth"/> named
        /// <c>length</c> over the all-true selector <c>all_true_selector</c>. Used by
        /// <see cref="MakeReverse"/> and <see cref="MakeShuffleDyck"/>, exactly as in Tracr (this is
        /// not the <see cref="Rasp.Length"/> primitive).
        /// </summary>
        public static SOp Length { get; } = MakeLength();

        /// <summary>
        /// The length of the input at every position, computed with the selector-width primitive
        /// (non-causal).
        /// </summary>
        /// <example>
        /// <code>
        /// var length = Library.MakeLength();
        /// Rasp.Evaluate(length, new Value[] { "a", "b", "c" });   // [3, 3, 3]
        /// </code>
        /// </example>
        /// <returns>A categorical S-op named <c>length</c>.</returns>
        public static SOp MakeLength()
        {
            var allTrueSelector = Rasp.Select(Tokens, Tokens, Comparison.TRUE).Named("all_true_selector");
            return Rasp.SelectorWidth(allTrueSelector).Named("length");
        }

        /// <summary>Reverses a sequence, using <see cref="Length"/> (non-causal).</summary>
        /// <example>
        /// <code>
        /// var reverse = Library.MakeReverse(Rasp.Tokens);
        /// Rasp.Evaluate(reverse, new Value[] { "H", "e", "l", "l", "o" });   // ["o", "l", "l", "e", "H"]
        /// </code>
        /// </example>
        /// <param name="sop">The S-op to reverse.</param>
        /// <returns>An S-op named <c>reverse</c>.</returns>
        public static SOp MakeReverse(SOp sop)
        {
            if (sop is null) throw new ArgumentNullException(nameof(sop));
            var oppIdx = (Length - Indices).Named("opp_idx");
            oppIdx = (oppIdx - 1).Named("opp_idx-1");
            var reverseSelector = Rasp.Select(Indices, oppIdx, Comparison.EQ).Named("reverse_selector");
            return Rasp.Aggregate(reverseSelector, sop).Named("reverse");
        }

        /// <summary>
        /// The fraction of previous (and current) positions holding <paramref name="openToken"/>
        /// minus the fraction holding <paramref name="closeToken"/>, as in the RASP paper.
        /// Non-negative everywhere and 0 at the end means balanced parentheses.
        /// </summary>
        /// <example>
        /// <code>
        /// var balance = Library.MakePairBalance(Rasp.Tokens, "(", ")");
        /// Rasp.Evaluate(balance, "a()b(c))".Select(c =&gt; (Value)c));
        /// // [0, 1/2, 0, 0, 1/5, 1/6, 0, -1/8]
        /// </code>
        /// </example>
        /// <param name="sop">The input S-op.</param>
        /// <param name="openToken">The token that counts positively.</param>
        /// <param name="closeToken">The token that counts negatively.</param>
        /// <returns>A numerical S-op named <c>pair_balance</c>.</returns>
        public static SOp MakePairBalance(SOp sop, Value openToken, Value closeToken)
        {
            if (sop is null) throw new ArgumentNullException(nameof(sop));
            var boolsOpen = Numerical(sop == openToken).Named("bools_open");
            var opens = Numerical(MakeFracPrevs(boolsOpen)).Named("opens");

            var boolsClose = Numerical(sop == closeToken).Named("bools_close");
            var closes = Numerical(MakeFracPrevs(boolsClose)).Named("closes");

            var pairBalance = Numerical(Rasp.LinearSequenceMap(opens, closes, 1, -1));
            return pairBalance.Named("pair_balance");
        }

        /// <summary>
        /// 1 (true) at every position when each pair of open/close tokens is balanced in the whole
        /// input, 0 (false) otherwise, as in the RASP paper (non-causal). Each pair is a two-character
        /// string such as <c>"()"</c>.
        /// </summary>
        /// <example>
        /// <code>
        /// var dyck2 = Library.MakeShuffleDyck(new[] { "()", "{}" });
        /// Rasp.Evaluate(dyck2, "({)}".Select(c =&gt; (Value)c));    // [True, True, True, True]
        /// Rasp.Evaluate(dyck2, "(){)}".Select(c =&gt; (Value)c));   // [False, False, False, False, False]
        /// </code>
        /// </example>
        /// <param name="pairs">The open/close pairs that must each be balanced (at least one).</param>
        /// <returns>An S-op named <c>shuffle_dyck</c>.</returns>
        public static SOp MakeShuffleDyck(IReadOnlyList<string> pairs)
        {
            if (pairs is null) throw new ArgumentNullException(nameof(pairs));
            if (pairs.Count < 1) throw new ArgumentException("At least one pair of parentheses is needed.", nameof(pairs));

            // The running balance of each kind of parenthesis.
            var balances = new List<SOp>();
            foreach (var pair in pairs)
            {
                if (pair is null || pair.Length != 2)
                    throw new ArgumentException($"Each pair must be two characters (open, close); got '{pair}'.", nameof(pairs));
                var balance = MakePairBalance(Tokens, pair[0], pair[1]).Named("balance_" + pair);
                balances.Add(balance);
            }

            // A negative balance anywhere means the parentheses are not balanced.
            var anyNegative = balances[0] < 0;
            foreach (var balance in balances.Skip(1))
                anyNegative = anyNegative | (balance < 0);

            // As a numerical S-op, so it can be averaged over all positions. (With one pair this Map
            // fuses with the `< 0` Map, as in Tracr.)
            anyNegative = Numerical(Rasp.Map(x => x, anyNegative)).Named("any_negative");

            var selectAll = Rasp.Select(Indices, Indices, Comparison.TRUE).Named("select_all");
            var hasNeg = Numerical(Rasp.Aggregate(selectAll, anyNegative, 0)).Named("has_neg");

            // Every balance must be 0 at the last position: all parentheses are closed.
            var allZero = balances[0] == 0;
            foreach (var balance in balances.Skip(1))
                allZero = allZero & (balance == 0);

            var selectLast = Rasp.Select(Indices, Length - 1, Comparison.EQ).Named("select_last");
            var lastZero = Rasp.Aggregate(selectLast, allZero).Named("last_zero");

            var notHasNeg = (~hasNeg).Named("not_has_neg");
            return (lastZero & notHasNeg).Named("shuffle_dyck");
        }

        /// <summary><see cref="MakeShuffleDyck"/> with the pairs <c>()</c> and <c>{}</c>, named <c>shuffle_dyck2</c>.</summary>
        /// <example>
        /// <code>
        /// Rasp.Evaluate(Library.MakeShuffleDyck2(), "({)}".Select(c =&gt; (Value)c));   // [True, True, True, True]
        /// </code>
        /// </example>
        /// <returns>An S-op named <c>shuffle_dyck2</c>.</returns>
        public static SOp MakeShuffleDyck2() => MakeShuffleDyck(new[] { "()", "{}" }).Named("shuffle_dyck2");

        /// <summary>The number of times each token occurs in the input (non-causal).</summary>
        /// <example>
        /// <code>
        /// Rasp.Evaluate(Library.MakeHist(), "abac".Select(c =&gt; (Value)c));   // [2, 1, 2, 1]
        /// </code>
        /// </example>
        /// <returns>A categorical S-op named <c>hist</c>.</returns>
        public static SOp MakeHist()
        {
            var sameTok = Rasp.Select(Tokens, Tokens, Comparison.EQ).Named("same_tok");
            return Rasp.SelectorWidth(sameTok).Named("hist");
        }

        /// <summary>
        /// <paramref name="vals"/> sorted by the <c>&lt;</c> order of <paramref name="keys"/>; the keys
        /// must be unique (non-causal).
        /// </summary>
        /// <example>
        /// <code>
        /// var sort = Library.MakeSortUnique(Rasp.Tokens, Rasp.Tokens);
        /// Rasp.Evaluate(sort, new Value[] { 2, 4, 3, 1 });   // [1, 2, 3, 4]
        /// </code>
        /// </example>
        /// <param name="vals">The values to sort.</param>
        /// <param name="keys">The sort keys (unique).</param>
        /// <returns>An S-op named <c>sort</c>.</returns>
        public static SOp MakeSortUnique(SOp vals, SOp keys)
        {
            if (vals is null) throw new ArgumentNullException(nameof(vals));
            if (keys is null) throw new ArgumentNullException(nameof(keys));
            var smaller = Rasp.Select(keys, keys, Comparison.LT).Named("smaller");
            var targetPos = Rasp.SelectorWidth(smaller).Named("target_pos");
            var selNew = Rasp.Select(targetPos, Indices, Comparison.EQ);
            return Rasp.Aggregate(selNew, vals).Named("sort");
        }

        /// <summary>
        /// <paramref name="vals"/> sorted by the <c>&lt;</c> order of numerical <paramref name="keys"/>,
        /// which need not be unique: ties are broken by position, by sorting on
        /// <c>key + minKey * index / maxSeqLen</c> (non-causal). Unlike the RASP paper, this needs no
        /// composition of selectors.
        /// </summary>
        /// <example>
        /// <code>
        /// var sort = Library.MakeSort(Rasp.Tokens, Rasp.Tokens, maxSeqLen: 5, minKey: 1);
        /// Rasp.Evaluate(sort, new Value[] { 2, 4, 1, 2 });   // [1, 2, 2, 4]
        /// </code>
        /// </example>
        /// <param name="vals">The values to sort.</param>
        /// <param name="keys">The numerical sort keys.</param>
        /// <param name="maxSeqLen">The longest input (keeps the tie-breaking offsets below <paramref name="minKey"/>).</param>
        /// <param name="minKey">The smallest key value.</param>
        /// <returns>An S-op named <c>sort</c>.</returns>
        public static SOp MakeSort(SOp vals, SOp keys, int maxSeqLen, Value minKey)
        {
            if (keys is null) throw new ArgumentNullException(nameof(keys));
            Value max = maxSeqLen;
            var uniqueKeys = Rasp.SequenceMap((x, i) => x + minKey * i / max, keys, Indices);
            return MakeSortUnique(vals, uniqueKeys);
        }

        /// <summary>
        /// The tokens sorted by how often they occur, most frequent first; equally frequent tokens keep
        /// their input order (non-causal).
        /// </summary>
        /// <example>
        /// <code>
        /// Rasp.Evaluate(Library.MakeSortFreq(5), new Value[] { 2, 4, 2, 1 });   // [2, 2, 4, 1]
        /// </code>
        /// </example>
        /// <param name="maxSeqLen">The longest input (used to make the keys unique).</param>
        /// <returns>An S-op named <c>sort_freq</c>.</returns>
        public static SOp MakeSortFreq(int maxSeqLen)
        {
            var hist = -1 * MakeHist().Named("hist");
            return MakeSort(Tokens, hist, maxSeqLen, 1).Named("sort_freq");
        }

        /// <summary>
        /// The fraction of positions up to and including each position where <paramref name="bools"/>
        /// is true, as in the RASP paper (works causally too).
        /// </summary>
        /// <example>
        /// <code>
        /// var numL = Library.MakeFracPrevs(Rasp.Tokens == "l");
        /// Rasp.Evaluate(numL, "hello".Select(c =&gt; (Value)c));   // [0, 0, 1/3, 1/2, 2/5]
        /// </code>
        /// </example>
        /// <param name="bools">An S-op of booleans (made numerical here).</param>
        /// <returns>A numerical S-op named <c>frac_prevs</c>.</returns>
        public static SOp MakeFracPrevs(SOp bools)
        {
            if (bools is null) throw new ArgumentNullException(nameof(bools));
            bools = Numerical(bools);
            var prevs = Rasp.Select(Indices, Indices, Comparison.LEQ);
            return Numerical(Rasp.Aggregate(prevs, bools, 0)).Named("frac_prevs");
        }

        /// <summary>
        /// <paramref name="sop"/> shifted right by <paramref name="offset"/> positions; the first
        /// <paramref name="offset"/> positions are None (works causally too).
        /// </summary>
        /// <example>
        /// <code>
        /// Rasp.Evaluate(Library.ShiftBy(1, Rasp.Tokens), "abcd".Select(c =&gt; (Value)c));   // [None, "a", "b", "c"]
        /// </code>
        /// </example>
        /// <param name="offset">How far to shift.</param>
        /// <param name="sop">The S-op to shift.</param>
        /// <returns>An S-op named <c>shift_by(offset)</c>.</returns>
        public static SOp ShiftBy(int offset, SOp sop)
        {
            if (sop is null) throw new ArgumentNullException(nameof(sop));
            Value off = offset;
            var selectOffByOffset = Rasp.Select(Indices, Indices, (k, q) => q == k + off);
            var shifted = Rasp.Aggregate(selectOffByOffset, sop, Value.None);
            return shifted.Named("shift_by(" + offset.ToString(CultureInfo.InvariantCulture) + ")");
        }

        /// <summary>
        /// True at the last element of every occurrence of <paramref name="pattern"/> in
        /// <paramref name="sop"/>, false elsewhere; the first <c>pattern.Length - 1</c> positions are
        /// None (works causally too). Each character of the string is one element.
        /// </summary>
        /// <example>
        /// <code>
        /// var abc = Library.DetectPattern(Rasp.Tokens, "abc");
        /// Rasp.Evaluate(abc, "abcabc".Select(c =&gt; (Value)c));   // [None, None, True, False, False, True]
        /// </code>
        /// </example>
        /// <param name="sop">The S-op to search.</param>
        /// <param name="pattern">The pattern, one element per character.</param>
        /// <returns>An S-op named <c>detect_pattern(pattern)</c>, as Tracr names it for a string pattern.</returns>
        public static SOp DetectPattern(SOp sop, string pattern)
        {
            if (pattern is null) throw new ArgumentNullException(nameof(pattern));
            return DetectPattern(sop, pattern.Select(c => (Value)c).ToArray(), "detect_pattern(" + pattern + ")");
        }

        /// <summary>
        /// True at the last element of every occurrence of <paramref name="pattern"/> in
        /// <paramref name="sop"/>, false elsewhere; the first <c>pattern.Count - 1</c> positions are
        /// None (works causally too).
        /// </summary>
        /// <example>
        /// <code>
        /// var p = Library.DetectPattern(Rasp.Tokens, new Value[] { 1, 2 });
        /// Rasp.Evaluate(p, new Value[] { 1, 2, 1 });   // [None, True, False]
        /// </code>
        /// </example>
        /// <param name="sop">The S-op to search.</param>
        /// <param name="pattern">The values to look for, in order (at least one).</param>
        /// <returns>An S-op named <c>detect_pattern([...])</c>, as Tracr names it for a list pattern.</returns>
        public static SOp DetectPattern(SOp sop, IReadOnlyList<Value> pattern)
        {
            if (pattern is null) throw new ArgumentNullException(nameof(pattern));
            return DetectPattern(sop, pattern, "detect_pattern([" + string.Join(", ", pattern.Select(v => v.Repr())) + "])");
        }

        private static SOp DetectPattern(SOp sop, IReadOnlyList<Value> pattern, string name)
        {
            if (sop is null) throw new ArgumentNullException(nameof(sop));
            if (pattern.Count < 1)
                throw new ArgumentException("Length of `pattern` must be at least 1.", nameof(pattern));

            // detectors[i] is true at position j when the i-th element from the end of the pattern
            // is at position j - i.
            var detectors = new List<SOp>();
            for (int i = 0; i < pattern.Count; i++)
            {
                var detector = sop == pattern[pattern.Count - 1 - i];
                if (i != 0) detector = ShiftBy(i, detector);
                detectors.Add(detector);
            }

            // And over all detectors, starting from the most shifted one (Tracr pops from the end).
            var patternDetected = Pop(detectors);
            while (detectors.Count > 0)
                patternDetected = patternDetected & Pop(detectors);

            return patternDetected.Named(name);
        }

        private static SOp Pop(List<SOp> list)
        {
            var last = list[list.Count - 1];
            list.RemoveAt(list.Count - 1);
            return last;
        }

        /// <summary>
        /// How many positions hold a token that occurs at most <paramref name="n"/> times in the input,
        /// at every position (non-causal).
        /// </summary>
        /// <example>
        /// <code>
        /// var lessFreq = Library.MakeCountLessFreq(2);
        /// Rasp.Evaluate(lessFreq, "aaabbc".Select(c =&gt; (Value)c));   // [3, 3, 3, 3, 3, 3]
        /// Rasp.Evaluate(lessFreq, "aacbbc".Select(c =&gt; (Value)c));   // [6, 6, 6, 6, 6, 6]
        /// </code>
        /// </example>
        /// <param name="n">The frequency bound.</param>
        /// <returns>A categorical S-op named <c>count_less_freq</c>.</returns>
        public static SOp MakeCountLessFreq(int n)
        {
            Value bound = n;
            var hist = MakeHist().Named("hist");
            var selectLess = Rasp.Select(hist, hist, (x, y) => x <= bound).Named("select_less");
            return Rasp.SelectorWidth(selectLess).Named("count_less_freq");
        }

        /// <summary>The number of positions of <paramref name="sop"/> equal to <paramref name="token"/>, at every position (non-causal).</summary>
        /// <example>
        /// <code>
        /// var count = Library.MakeCount(Rasp.Tokens, "a");
        /// Rasp.Evaluate(count, "aaabbc".Select(c =&gt; (Value)c));   // [3, 3, 3, 3, 3, 3]
        /// Rasp.Evaluate(count, "cabc".Select(c =&gt; (Value)c));     // [1, 1, 1, 1]
        /// </code>
        /// </example>
        /// <param name="sop">The S-op whose values are counted.</param>
        /// <param name="token">The value to count.</param>
        /// <returns>A categorical S-op named <c>count_{token}</c> (Python's <c>str</c> of the token).</returns>
        public static SOp MakeCount(SOp sop, Value token)
        {
            if (sop is null) throw new ArgumentNullException(nameof(sop));
            return Rasp.SelectorWidth(Rasp.Select(sop, sop, (k, q) => k == token)).Named("count_" + token.ToString());
        }

        /// <summary>
        /// An n-ary SequenceMap: combines the S-ops into tuples with binary SequenceMaps, then applies
        /// <paramref name="f"/> to each tuple with a Map. The tuple-valued intermediate S-ops are
        /// categorical and can get large, and so can the compiled model.
        /// </summary>
        /// <example>
        /// <code>
        /// var sum = Library.MakeNarySequenceMap(a =&gt; a[0] + a[1] - a[2], Rasp.Tokens, Rasp.Tokens, Rasp.Indices);
        /// Rasp.Evaluate(sum, new Value[] { 1, 2, 3 });   // [2, 3, 4]
        /// </code>
        /// </example>
        /// <param name="f">The function of the n arguments, given as an array in the order of <paramref name="sops"/>.</param>
        /// <param name="sops">One S-op per argument of <paramref name="f"/> (at least one).</param>
        /// <returns>A Map named <c>map</c> (unless renamed).</returns>
        public static SOp MakeNarySequenceMap(Func<IReadOnlyList<Value>, Value> f, params SOp[] sops)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            if (sops is null || sops.Length < 1) throw new ArgumentException("At least one S-op is needed.", nameof(sops));
            var values = sops[0];
            foreach (var sop in sops.Skip(1))
            {
                // x is a single value in the first step and a tuple in later ones.
                values = Rasp.SequenceMap(
                    (x, y) => x.Kind == ValueKind.Tuple ? Value.Tuple(x.AsTuple.Concat(new[] { y }).ToArray()) : Value.Tuple(x, y),
                    values, sop);
            }
            return Rasp.Map(args => f(args.Kind == ValueKind.Tuple ? args.AsTuple : new[] { args }), values);
        }
    }
}
