using static Tracr.Rasp;

namespace Tracr.Integration.Tests
{
    /// <summary>
    /// Every golden case Tracr compiles (tests/Tracr.Compiler.Tests/Golden/*.json, all but <c>unsupported_*</c>),
    /// as a <c>[RaspProgram]</c> the source generator compiles during this project's build. Each method is named
    /// after its case (its model is <c>GoldenModels.&lt;case&gt;Model</c>), carries the case's vocab, max_seq_len,
    /// causal flag, BOS/PAD tokens and mlp_exactness exactly as in the JSON (attributes omit options at their
    /// default, which is the JSON's value there; <see cref="IntegrationTests"/> checks every setting against the
    /// file), and its body is the case's builder expression in GoldenPrograms.cs, verbatim, so node names and
    /// graph labels are the golden ones.
    /// </summary>
    internal static partial class GoldenModels
    {
        // ---- lib_* ----

        [RaspProgram("a", "b", "c", MaxSeqLen = 6)]
        internal static SOp lib_detect_pattern() =>
            Library.DetectPattern(Tokens, "abc");

        [RaspProgram("a", "b", "c", MaxSeqLen = 8)]
        internal static SOp lib_make_count() =>
            Library.MakeCount(Tokens, "a");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 6)]
        internal static SOp lib_make_count_less_freq() =>
            Library.MakeCountLessFreq(2);

        [RaspProgram("e", "h", "l", "o", MaxSeqLen = 5)]
        internal static SOp lib_make_frac_prevs() =>
            Library.MakeFracPrevs(Tokens == "l");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp lib_make_hist() =>
            Library.MakeHist();

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp lib_make_length() =>
            Library.MakeLength();

        [RaspProgram(1, 2, 3, MaxSeqLen = 5)]
        internal static SOp lib_make_nary_sequencemap() =>
            Library.MakeNarySequenceMap(a => a[0] + a[1] - a[2], Tokens, Tokens, Indices);

        [RaspProgram("(", ")", "a", "b", "c", MaxSeqLen = 10)]
        internal static SOp lib_make_pair_balance() =>
            Library.MakePairBalance(Tokens, "(", ")");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp lib_make_reverse() =>
            Library.MakeReverse(Tokens);

        [RaspProgram("(", ")", "{", "}", MaxSeqLen = 5)]
        internal static SOp lib_make_shuffle_dyck() =>
            Library.MakeShuffleDyck(new[] { "()", "{}" });

        [RaspProgram("(", ")", "{", "}", MaxSeqLen = 5)]
        internal static SOp lib_make_shuffle_dyck2() =>
            Library.MakeShuffleDyck2();

        [RaspProgram(1, 2, 3, 4, MaxSeqLen = 5)]
        internal static SOp lib_make_sort() =>
            Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1);

        [RaspProgram(1, 2, 3, 4, MaxSeqLen = 5)]
        internal static SOp lib_make_sort_freq() =>
            Library.MakeSortFreq(maxSeqLen: 5);

        [RaspProgram(1, 2, 3, 4, MaxSeqLen = 5)]
        internal static SOp lib_make_sort_unique() =>
            Library.MakeSortUnique(Tokens, Tokens);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp lib_shift_by() =>
            Library.ShiftBy(1, Tokens);

        // ---- tc_* ----

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_detect_pattern_a() =>
            Library.DetectPattern(Tokens, "a");

        [RaspProgram("a", "b", MaxSeqLen = 5)]
        internal static SOp tc_detect_pattern_ab() =>
            Library.DetectPattern(Tokens, "ab");

        [RaspProgram("a", "b", MaxSeqLen = 5)]
        internal static SOp tc_detect_pattern_ab_2() =>
            Library.DetectPattern(Tokens, "ab");

        [RaspProgram("a", "b", MaxSeqLen = 5)]
        internal static SOp tc_detect_pattern_ab_3() =>
            Library.DetectPattern(Tokens, "ab");

        [RaspProgram("a", "b", "c", MaxSeqLen = 6)]
        internal static SOp tc_detect_pattern_abc() =>
            Library.DetectPattern(Tokens, "abc");

        [RaspProgram("e", "h", "l", "o", MaxSeqLen = 5)]
        internal static SOp tc_frac_prevs_1() =>
            Library.MakeFracPrevs(Tokens == "l");

        [RaspProgram("(", ")", "a", "b", "c", MaxSeqLen = 10)]
        internal static SOp tc_frac_prevs_2() =>
            Library.MakeFracPrevs(Tokens == "(");

        [RaspProgram("(", ")", "a", "b", "c", MaxSeqLen = 10)]
        internal static SOp tc_frac_prevs_3() =>
            Library.MakeFracPrevs(Tokens == ")");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_hist() =>
            Library.MakeHist();

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 3)]
        internal static SOp tc_length_categorical_1() =>
            Categorical(Library.MakeLength());

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 3)]
        internal static SOp tc_length_categorical_2() =>
            Categorical(Library.MakeLength());

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 3)]
        internal static SOp tc_length_categorical_3() =>
            Categorical(Library.MakeLength());

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 3)]
        internal static SOp tc_length_numerical_1() =>
            Numerical(Library.MakeLength());

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 3)]
        internal static SOp tc_length_numerical_2() =>
            Numerical(Library.MakeLength());

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 3)]
        internal static SOp tc_length_numerical_3() =>
            Numerical(Library.MakeLength());

        [RaspProgram("a", "b", "c", MaxSeqLen = 8)]
        internal static SOp tc_make_count_1() =>
            Library.MakeCount(Tokens, "a");

        [RaspProgram("a", "b", "c", MaxSeqLen = 8)]
        internal static SOp tc_make_count_2() =>
            Library.MakeCount(Tokens, "a");

        [RaspProgram("a", "b", "c", MaxSeqLen = 8)]
        internal static SOp tc_make_count_3() =>
            Library.MakeCount(Tokens, "a");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 6)]
        internal static SOp tc_make_count_less_freq_categorical_1() =>
            Library.MakeCountLessFreq(2);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 6)]
        internal static SOp tc_make_count_less_freq_categorical_2() =>
            Library.MakeCountLessFreq(2);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 6)]
        internal static SOp tc_make_count_less_freq_numerical_1() =>
            Numerical(Library.MakeCountLessFreq(2));

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 6)]
        internal static SOp tc_make_count_less_freq_numerical_2() =>
            Numerical(Library.MakeCountLessFreq(2));

        [RaspProgram(1, 2, 3, MaxSeqLen = 5)]
        internal static SOp tc_make_nary_sequencemap_1() =>
            Library.MakeNarySequenceMap(a => a[0] + a[1] - a[2], Tokens, Tokens, Indices);

        [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
        internal static SOp tc_make_nary_sequencemap_2() =>
            Library.MakeNarySequenceMap(a => a[0] * a[1] / a[2], Indices, Indices, Tokens);

        [RaspProgram("(", ")", "a", "b", "c", MaxSeqLen = 10)]
        internal static SOp tc_pair_balance_1() =>
            Library.MakePairBalance(Tokens, "(", ")");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_reverse_1() =>
            Library.MakeReverse(Tokens);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_reverse_2() =>
            Library.MakeReverse(Tokens);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_reverse_3() =>
            Library.MakeReverse(Tokens);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_reverse_4() =>
            Library.MakeReverse(Tokens);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_shift_by_one() =>
            Library.ShiftBy(1, Tokens);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_shift_by_two() =>
            Library.ShiftBy(2, Tokens);

        [RaspProgram("(", ")", "{", "}", MaxSeqLen = 5)]
        internal static SOp tc_shuffle_dyck2_1() =>
            Library.MakeShuffleDyck(new[] { "()", "{}" });

        [RaspProgram("(", ")", "{", "}", MaxSeqLen = 5)]
        internal static SOp tc_shuffle_dyck2_2() =>
            Library.MakeShuffleDyck(new[] { "()", "{}" });

        [RaspProgram("(", ")", "{", "}", MaxSeqLen = 5)]
        internal static SOp tc_shuffle_dyck2_3() =>
            Library.MakeShuffleDyck(new[] { "()", "{}" });

        [RaspProgram("(", ")", "[", "]", "{", "}", MaxSeqLen = 6)]
        internal static SOp tc_shuffle_dyck3_1() =>
            Library.MakeShuffleDyck(new[] { "()", "{}", "[]" });

        [RaspProgram("(", ")", "[", "]", "{", "}", MaxSeqLen = 6)]
        internal static SOp tc_shuffle_dyck3_2() =>
            Library.MakeShuffleDyck(new[] { "()", "{}", "[]" });

        [RaspProgram("(", ")", "[", "]", "{", "}", MaxSeqLen = 6)]
        internal static SOp tc_shuffle_dyck3_3() =>
            Library.MakeShuffleDyck(new[] { "()", "{}", "[]" });

        [RaspProgram(1, 2, 3, 4, MaxSeqLen = 5)]
        internal static SOp tc_sort_1() =>
            Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_sort_2() =>
            Library.MakeSort(Tokens, 1 - Indices, maxSeqLen: 5, minKey: 1);

        [RaspProgram(1, 2, 3, 4, MaxSeqLen = 5)]
        internal static SOp tc_sort_3() =>
            Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1);

        [RaspProgram(1, 2, 3, 4, MaxSeqLen = 5)]
        internal static SOp tc_sort_freq() =>
            Library.MakeSortFreq(maxSeqLen: 5);

        [RaspProgram(1, 2, 3, 4, MaxSeqLen = 5)]
        internal static SOp tc_sort_unique_1() =>
            Library.MakeSortUnique(vals: Tokens, keys: Tokens);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5)]
        internal static SOp tc_sort_unique_2() =>
            Library.MakeSortUnique(vals: Tokens, keys: 1 - Indices);

        // ---- causal_* ----

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5, Causal = true)]
        internal static SOp causal_detect_pattern_a() =>
            Library.DetectPattern(Tokens, "a");

        [RaspProgram("a", "b", MaxSeqLen = 5, Causal = true)]
        internal static SOp causal_detect_pattern_ab() =>
            Library.DetectPattern(Tokens, "ab");

        [RaspProgram("a", "b", MaxSeqLen = 5, Causal = true)]
        internal static SOp causal_detect_pattern_ab_2() =>
            Library.DetectPattern(Tokens, "ab");

        [RaspProgram("a", "b", MaxSeqLen = 5, Causal = true)]
        internal static SOp causal_detect_pattern_ab_3() =>
            Library.DetectPattern(Tokens, "ab");

        [RaspProgram("a", "b", "c", MaxSeqLen = 6, Causal = true)]
        internal static SOp causal_detect_pattern_abc() =>
            Library.DetectPattern(Tokens, "abc");

        [RaspProgram("e", "h", "l", "o", MaxSeqLen = 5, Causal = true)]
        internal static SOp causal_frac_prevs_1() =>
            Library.MakeFracPrevs(Tokens == "l");

        [RaspProgram("(", ")", "a", "b", "c", MaxSeqLen = 10, Causal = true)]
        internal static SOp causal_frac_prevs_2() =>
            Library.MakeFracPrevs(Tokens == "(");

        [RaspProgram("(", ")", "a", "b", "c", MaxSeqLen = 10, Causal = true)]
        internal static SOp causal_frac_prevs_3() =>
            Library.MakeFracPrevs(Tokens == ")");

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5, Causal = true)]
        internal static SOp causal_selector_width() =>
            Rasp.SelectorWidth(Rasp.Select(Tokens, Tokens, Comparison.TRUE));

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5, Causal = true)]
        internal static SOp causal_shift_by_one() =>
            Library.ShiftBy(1, Tokens);

        [RaspProgram("a", "b", "c", "d", MaxSeqLen = 5, Causal = true)]
        internal static SOp causal_shift_by_two() =>
            Library.ShiftBy(2, Tokens);

        // ---- integ_* ----

        [RaspProgram(0, 1, 2, MaxSeqLen = 3)]
        internal static SOp integ_map() =>
            Categorical(Rasp.Map(x => x + 1, Tokens));

        [RaspProgram(0, 1, 2, MaxSeqLen = 3)]
        internal static SOp integ_select_aggregate() => Rasp.Aggregate(
            Rasp.Select(Tokens, Tokens, Comparison.EQ),
            Rasp.Map(x => 1, Tokens));

        [RaspProgram(0, 1, 2, MaxSeqLen = 3)]
        internal static SOp integ_sequence_map() =>
            Categorical(Rasp.SequenceMap((x, y) => x + y, Tokens, Indices));

        [RaspProgram(0, 1, 2, MaxSeqLen = 3)]
        internal static SOp integ_sequence_map_with_same_input() =>
            Categorical(Rasp.SequenceMap((x, y) => x + y, Tokens, Tokens));

        // ---- extra_* ----

        [RaspProgram(1, 2, 3, MaxSeqLen = 10)]
        internal static SOp extra_categorical_length_msl10() =>
            Categorical(Library.MakeLength());

        [RaspProgram(1, 2, 3, MaxSeqLen = 4)]
        internal static SOp extra_categorical_to_numerical_negative() =>
            Numerical(Rasp.Map(x => x - 2, Tokens));

        [RaspProgram(1, 2, 3, MaxSeqLen = 10)]
        internal static SOp extra_numerical_length() =>
            Numerical(Library.MakeLength());

        [RaspProgram("a", "b", MaxSeqLen = 5)]
        internal static SOp extra_numerical_map_on_frac_prevs() => Numerical(Rasp.Map(
            x => 2 * x + 1,
            Library.MakeFracPrevs(Tokens == "a"))).Named("twice_plus_one");

        [RaspProgram("a", "b", MaxSeqLen = 8, MlpExactness = 1)]
        internal static SOp extra_numerical_to_categorical_low_exactness() => Categorical(Rasp.Map(
            x => x > 0.5,
            Library.MakeFracPrevs(Tokens == "a")));

        [RaspProgram(1, 2, 3, MaxSeqLen = 5, CompilerBos = "BOS")]
        internal static SOp extra_readme_reverse_BOS() =>
            Library.MakeReverse(Tokens);

        [RaspProgram("x", "y", MaxSeqLen = 4)]
        internal static SOp extra_two_heads_one_layer() => Categorical(Rasp.SequenceMap(
            (x, y) => (x, y),
            Rasp.Aggregate(Rasp.Select(Indices, Indices, (k, q) => k == q - 1), Tokens),
            Rasp.Aggregate(Rasp.Select(Indices, Indices, (k, q) => k == q + 1), Tokens)));
    }
}
