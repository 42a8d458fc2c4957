using static Tracr.Rasp;

namespace Tracr.Integration.Tests
{
    /// <summary>
    /// Tracr's library programs at larger vocabularies and lengths than the golden cases (which use Tracr's
    /// test settings, mostly max_seq_len 5), compiled by the source generator like <see cref="GoldenModels"/>.
    /// They have no golden file: the run-time compiler, the reference forward pass and the RASP evaluator
    /// are the truth. The run-time side compiles the program this very method builds when called.
    /// </summary>
    internal static partial class LargerModels
    {
        [RaspProgram(VocabFrom = 0, VocabTo = 9, MaxSeqLen = 10)]
        internal static SOp sort_digits_len10() => Library.MakeSort(Tokens, Tokens, maxSeqLen: 10, minKey: 1);

        [RaspProgram(VocabFrom = 0, VocabTo = 9, MaxSeqLen = 10)]
        internal static SOp sort_unique_digits_len10() => Library.MakeSortUnique(Tokens, Tokens);

        [RaspProgram(1, 2, 3, 4, MaxSeqLen = 8)]
        internal static SOp sort_freq_len8() => Library.MakeSortFreq(maxSeqLen: 8);

        [RaspProgram("(", ")", "{", "}", MaxSeqLen = 8)]
        internal static SOp shuffle_dyck_len8() => Library.MakeShuffleDyck(new[] { "()", "{}" });

        [RaspProgram("(", ")", "[", "]", "{", "}", MaxSeqLen = 8)]
        internal static SOp shuffle_dyck3_len8() => Library.MakeShuffleDyck(new[] { "()", "{}", "[]" });

        [RaspProgram("(", ")", "a", MaxSeqLen = 16)]
        internal static SOp pair_balance_len16() => Library.MakePairBalance(Tokens, "(", ")");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 16)]
        internal static SOp reverse_len16() => Library.MakeReverse(Tokens);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 12)]
        internal static SOp hist_len12() => Library.MakeHist();

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 16)]
        internal static SOp length_len16() => Library.MakeLength();

        [RaspProgram("x", "y", MaxSeqLen = 16)]
        internal static SOp frac_prevs_len16() => Library.MakeFracPrevs(Tokens == "x");

        [RaspProgram("x", "y", MaxSeqLen = 16, Causal = true)]
        internal static SOp causal_frac_prevs_len16() => Library.MakeFracPrevs(Tokens == "x");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 8)]
        internal static SOp count_less_freq_len8() => Library.MakeCountLessFreq(2);

        [RaspProgram("a", "b", "c", MaxSeqLen = 12)]
        internal static SOp count_len12() => Library.MakeCount(Tokens, "a");

        [RaspProgram("a", "b", "c", MaxSeqLen = 12)]
        internal static SOp detect_pattern_abc_len12() => Library.DetectPattern(Tokens, "abc");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 12, Causal = true)]
        internal static SOp causal_shift_by_two_len12() => Library.ShiftBy(2, Tokens);

        [RaspProgram(1, 2, 3, MaxSeqLen = 8)]
        internal static SOp nary_sequencemap_len8() =>
            Library.MakeNarySequenceMap(a => a[0] + a[1] - a[2], Tokens, Tokens, Indices);
    }
}
