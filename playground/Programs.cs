// The playground's RASP programs. Each [RaspProgram] method is compiled to a transformer at build time by the
// Tracr source generator, which adds the model to the class as a static property: `Model` for a method named
// Program (Reverse.Model, Sort.Model, ...). Hover over a Model property in the IDE to read its program graph,
// layer schedule and residual layout; the generated code is under obj/ when built with
// -p:EmitCompilerGeneratedFiles=true.
//
// The methods are ordinary C# too: ShowcaseRunner calls them to get the same RASP program at run time and
// checks every model output against the RASP evaluator.

using Tracr;
using static Tracr.Rasp;

namespace Tracr.Playground
{
    // ---------------------------------------------------------------- Tracr's library (tracr/compiler/lib.py)

    /// <summary>Reverses the input: opp_idx = length - indices - 1; Aggregate(Select(indices, opp_idx, EQ), tokens).</summary>
    public static partial class Reverse
    {
        [RaspProgram('a', 'b', 'c', 'd', 'e', MaxSeqLen = 6)]
        internal static SOp Program() => Library.MakeReverse(Tokens);
    }

    /// <summary>Sorts numbers that need not be unique (ties broken by position: key + min_key * i / max_seq_len).</summary>
    public static partial class Sort
    {
        [RaspProgram(VocabFrom = 1, VocabTo = 9, MaxSeqLen = 6)]
        internal static SOp Program() => Library.MakeSort(Tokens, Tokens, maxSeqLen: 6, minKey: 1);
    }

    /// <summary>How often each token occurs in the input: SelectorWidth(Select(tokens, tokens, EQ)).</summary>
    public static partial class Hist
    {
        [RaspProgram('a', 'b', 'c', 'd', 'e', MaxSeqLen = 6)]
        internal static SOp Program() => Library.MakeHist();
    }

    /// <summary>The fraction of the tokens so far that are "l": a numerical mean over Select(indices, indices, LEQ).</summary>
    public static partial class FracPrevs
    {
        [RaspProgram('h', 'e', 'l', 'o', ' ', 'w', 'r', 'd', MaxSeqLen = 11)]
        internal static SOp Program() => Library.MakeFracPrevs(Tokens == 'l');
    }

    /// <summary>Whether () and {} are both balanced, interleaving allowed ("({)}" is): Tracr's shuffle_dyck2.</summary>
    public static partial class ShuffleDyck
    {
        [RaspProgram('(', ')', '{', '}', MaxSeqLen = 8)]
        internal static SOp Program() => Library.MakeShuffleDyck(new[] { "()", "{}" });
    }

    // ---------------------------------------------------------------- written directly with the DSL

    /// <summary>A lambda Map: an affine cipher on digits, 7x + 3 mod 10 (one MLP, a lookup table).</summary>
    public static partial class AffineCipher
    {
        [RaspProgram(VocabFrom = 0, VocabTo = 9, MaxSeqLen = 8)]
        internal static SOp Program() => Map(x => (7 * x + 3) % 10, Tokens).Named("cipher");
    }

    /// <summary>
    /// A Select with a custom predicate: each position reads the token before it (a "previous token head"),
    /// then an MLP compares the two. True where a letter repeats the one before it; None at the first position.
    /// </summary>
    public static partial class Repeats
    {
        [RaspProgram('a', 'b', 'c', 'd', 'e', 'k', 'o', MaxSeqLen = 8)]
        internal static SOp Program()
        {
            var previous = Aggregate(Select(Indices, Indices, (k, q) => k == q - 1), Tokens).Named("previous");
            return SequenceMap((token, prev) => token == prev, Tokens, previous).Named("repeats");
        }
    }

    /// <summary>
    /// A helper method with an argument, called in a loop: the sum of each digit and the two before it
    /// (None until three digits have been seen). <see cref="RaspHelpers.Lag"/> lives in another file.
    /// </summary>
    public static partial class MovingSum
    {
        const int Window = 3;

        [RaspProgram(VocabFrom = 0, VocabTo = 5, MaxSeqLen = 8)]
        internal static SOp Program()
        {
            var sum = Tokens;
            for (int lag = 1; lag < Window; lag++)
                sum = SequenceMap((a, b) => a + b, sum, RaspHelpers.Lag(Tokens, lag)).Named($"sum_{lag + 1}");
            return sum.Named("moving_sum");
        }
    }

    /// <summary>
    /// Causal attention: how many earlier tokens are larger than this one, computed by a model whose
    /// positions only see the past (a SelectorWidth over Select(tokens, tokens, k &gt; q), compiled with Causal).
    /// </summary>
    public static partial class LargerBefore
    {
        [RaspProgram(VocabFrom = 1, VocabTo = 6, MaxSeqLen = 8, Causal = true)]
        internal static SOp Program() => SelectorWidth(Select(Tokens, Tokens, (k, q) => k > q)).Named("larger_before");
    }
}
