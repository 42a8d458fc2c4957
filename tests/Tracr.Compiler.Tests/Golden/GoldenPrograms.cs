using System;
using System.Collections.Generic;
using System.Linq;
using static Tracr.Rasp;

namespace Tracr.Tests.Golden
{
    /// <summary>A golden case's program, written in C#, with the settings Tracr compiled it with.</summary>
    internal sealed class GoldenProgram
    {
        public GoldenProgram(string name, SOp program, IReadOnlyList<Value> vocab, int maxSeqLen, CompilerOptions options)
        {
            Name = name;
            Program = program;
            Vocab = vocab;
            MaxSeqLen = maxSeqLen;
            Options = options;
        }

        public string Name { get; }
        public SOp Program { get; }
        public IReadOnlyList<Value> Vocab { get; }
        public int MaxSeqLen { get; }

        /// <summary>Causal masking, BOS / pad tokens and mlp_exactness as in the golden file.</summary>
        public CompilerOptions Options { get; }

        public CompiledModel Compile() => RaspCompiler.Compile(Program, Vocab, MaxSeqLen, Options);
    }

    /// <summary>
    /// Every golden case's RASP program, built in C# exactly as the Python reference built it:
    /// <c>lib_*</c>, <c>extra_*</c> and <c>integ_*</c> from the file's <c>builder_source</c>;
    /// <c>tc_*</c>, <c>causal_*</c> and <c>unsupported_*</c> from Tracr's
    /// <c>compiler/test_cases.py</c> (TEST_CASES, CAUSAL_TEST_CASES, UNSUPPORTED_TEST_CASES).
    /// Node names follow Tracr's, so graph labels equal the golden labels.
    /// </summary>
    internal static class GoldenPrograms
    {
        /// <summary>The program and settings of a golden case (settings read from its JSON file).</summary>
        public static GoldenProgram Get(string caseName)
        {
            var golden = GoldenData.Load(caseName);
            return new GoldenProgram(caseName, Build(caseName), golden.Vocab, golden.MaxSeqLen, golden.Options());
        }

        /// <summary>The names of all cases this class can build.</summary>
        public static IEnumerable<string> Known => Builders.Keys;

        /// <summary>Builds a fresh instance of the case's program.</summary>
        public static SOp Build(string caseName) =>
            Builders.TryGetValue(caseName, out var build)
                ? build()
                : throw new KeyNotFoundException($"No C# program for golden case '{caseName}'.");

        private static readonly Dictionary<string, Func<SOp>> Builders = CreateBuilders();

        private static Dictionary<string, Func<SOp>> CreateBuilders()
        {
            var b = new Dictionary<string, Func<SOp>>(StringComparer.Ordinal);

            // ---- lib_*: every builder of lib.py, with the arguments of Tracr's tests. ----
            b["lib_make_length"] = () => Library.MakeLength();
            b["lib_make_reverse"] = () => Library.MakeReverse(Tokens);
            b["lib_make_hist"] = () => Library.MakeHist();
            b["lib_make_sort_unique"] = () => Library.MakeSortUnique(Tokens, Tokens);
            b["lib_make_sort"] = () => Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1);
            b["lib_make_sort_freq"] = () => Library.MakeSortFreq(maxSeqLen: 5);
            b["lib_make_pair_balance"] = () => Library.MakePairBalance(Tokens, "(", ")");
            b["lib_make_shuffle_dyck"] = () => Library.MakeShuffleDyck(new[] { "()", "{}" });
            b["lib_make_shuffle_dyck2"] = () => Library.MakeShuffleDyck2();
            b["lib_make_frac_prevs"] = () => Library.MakeFracPrevs(Tokens == "l");
            b["lib_make_count_less_freq"] = () => Library.MakeCountLessFreq(2);
            b["lib_make_count"] = () => Library.MakeCount(Tokens, "a");
            b["lib_make_nary_sequencemap"] = () => Library.MakeNarySequenceMap(a => a[0] + a[1] - a[2], Tokens, Tokens, Indices);
            b["lib_shift_by"] = () => Library.ShiftBy(1, Tokens);
            b["lib_detect_pattern"] = () => Library.DetectPattern(Tokens, "abc");

            // ---- tc_* (TEST_CASES) and causal_* (CAUSAL_TEST_CASES = UNIVERSAL_TEST_CASES + selector_width). ----
            var universal = new Dictionary<string, Func<SOp>>(StringComparer.Ordinal)
            {
                ["frac_prevs_1"] = () => Library.MakeFracPrevs(Tokens == "l"),
                ["frac_prevs_2"] = () => Library.MakeFracPrevs(Tokens == "("),
                ["frac_prevs_3"] = () => Library.MakeFracPrevs(Tokens == ")"),
                ["shift_by_one"] = () => Library.ShiftBy(1, Tokens),
                ["shift_by_two"] = () => Library.ShiftBy(2, Tokens),
                ["detect_pattern_a"] = () => Library.DetectPattern(Tokens, "a"),
                ["detect_pattern_ab"] = () => Library.DetectPattern(Tokens, "ab"),
                ["detect_pattern_ab_2"] = () => Library.DetectPattern(Tokens, "ab"),
                ["detect_pattern_ab_3"] = () => Library.DetectPattern(Tokens, "ab"),
                ["detect_pattern_abc"] = () => Library.DetectPattern(Tokens, "abc"),
            };
            foreach (var kv in universal)
            {
                b["tc_" + kv.Key] = kv.Value;
                b["causal_" + kv.Key] = kv.Value;
            }
            b["causal_selector_width"] = () => Rasp.SelectorWidth(Rasp.Select(Tokens, Tokens, Comparison.TRUE));

            for (int i = 1; i <= 4; i++) b["tc_reverse_" + i] = () => Library.MakeReverse(Tokens);
            for (int i = 1; i <= 3; i++)
            {
                b["tc_length_categorical_" + i] = () => Categorical(Library.MakeLength());
                b["tc_length_numerical_" + i] = () => Numerical(Library.MakeLength());
                b["tc_shuffle_dyck2_" + i] = () => Library.MakeShuffleDyck(new[] { "()", "{}" });
                b["tc_shuffle_dyck3_" + i] = () => Library.MakeShuffleDyck(new[] { "()", "{}", "[]" });
                b["tc_make_count_" + i] = () => Library.MakeCount(Tokens, "a");
            }
            b["tc_pair_balance_1"] = () => Library.MakePairBalance(Tokens, "(", ")");
            b["tc_hist"] = () => Library.MakeHist();
            b["tc_sort_unique_1"] = () => Library.MakeSortUnique(vals: Tokens, keys: Tokens);
            b["tc_sort_unique_2"] = () => Library.MakeSortUnique(vals: Tokens, keys: 1 - Indices);
            b["tc_sort_1"] = () => Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1);
            b["tc_sort_2"] = () => Library.MakeSort(Tokens, 1 - Indices, maxSeqLen: 5, minKey: 1);
            b["tc_sort_3"] = () => Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1);
            b["tc_sort_freq"] = () => Library.MakeSortFreq(maxSeqLen: 5);
            for (int i = 1; i <= 2; i++)
            {
                b["tc_make_count_less_freq_categorical_" + i] = () => Library.MakeCountLessFreq(2);
                b["tc_make_count_less_freq_numerical_" + i] = () => Numerical(Library.MakeCountLessFreq(2));
            }
            b["tc_make_nary_sequencemap_1"] = () => Library.MakeNarySequenceMap(a => a[0] + a[1] - a[2], Tokens, Tokens, Indices);
            b["tc_make_nary_sequencemap_2"] = () => Library.MakeNarySequenceMap(a => a[0] * a[1] / a[2], Indices, Indices, Tokens);

            // ---- integ_*: rasp_to_craft integration programs. ----
            b["integ_map"] = () => Categorical(Rasp.Map(x => x + 1, Tokens));
            b["integ_select_aggregate"] = () => Rasp.Aggregate(
                Rasp.Select(Tokens, Tokens, Comparison.EQ),
                Rasp.Map(x => 1, Tokens));
            b["integ_sequence_map"] = () => Categorical(Rasp.SequenceMap((x, y) => x + y, Tokens, Indices));
            b["integ_sequence_map_with_same_input"] = () => Categorical(Rasp.SequenceMap((x, y) => x + y, Tokens, Tokens));

            // ---- extra_*: Tracr's README example, a two-head layer, and programs Tracr gets wrong. ----
            b["extra_readme_reverse_BOS"] = () => Library.MakeReverse(Tokens);
            b["extra_two_heads_one_layer"] = () => Categorical(Rasp.SequenceMap(
                (x, y) => (x, y),
                Rasp.Aggregate(Rasp.Select(Indices, Indices, (k, q) => k == q - 1), Tokens),
                Rasp.Aggregate(Rasp.Select(Indices, Indices, (k, q) => k == q + 1), Tokens)));
            b["extra_categorical_length_msl10"] = () => Categorical(Library.MakeLength());
            b["extra_numerical_length"] = () => Numerical(Library.MakeLength());
            b["extra_categorical_to_numerical_negative"] = () => Numerical(Rasp.Map(x => x - 2, Tokens));
            b["extra_numerical_map_on_frac_prevs"] = () => Numerical(Rasp.Map(
                x => 2 * x + 1,
                Library.MakeFracPrevs(Tokens == "a"))).Named("twice_plus_one");
            b["extra_numerical_to_categorical_low_exactness"] = () => Categorical(Rasp.Map(
                x => x > 0.5,
                Library.MakeFracPrevs(Tokens == "a")));

            // ---- unsupported_* (UNSUPPORTED_TEST_CASES): Tracr refuses these. ----
            b["unsupported_numerical_categorical_aggregate"] = () => Rasp.Aggregate(
                Rasp.Select(Tokens, Tokens, Comparison.TRUE),
                Numerical(Rasp.Map(x => x, Tokens)));
            b["unsupported_categorical_numerical_aggregate"] = () => Numerical(Rasp.Aggregate(
                Rasp.Select(Tokens, Tokens, Comparison.TRUE),
                Tokens));
            b["unsupported_numerical_numerical_aggregate"] = () => Numerical(Rasp.Aggregate(
                Rasp.Select(Tokens, Tokens, Comparison.TRUE),
                Numerical(Rasp.Map(x => x, Tokens)),
                0));
            b["unsupported_aggregate_with_not_None_default"] = () => Numerical(Rasp.Aggregate(
                Rasp.Select(Indices, Indices, Comparison.EQ),
                Tokens,
                1));
            b["unsupported_numerical_selector"] = () => Rasp.SelectorWidth(Rasp.Select(
                Numerical(Rasp.Map(x => x, Tokens)),
                Numerical(Rasp.Map(x => x, Tokens)),
                Comparison.LT));
            b["unsupported_numerical_SequenceMap"] = () => Numerical(Rasp.SequenceMap(
                (x, y) => x + y,
                Numerical(Rasp.Map(x => x, Indices)),
                Numerical(Rasp.Map(x => x, Tokens))));
            b["unsupported_categorical_LinearSequenceMap"] = () => Categorical(Rasp.LinearSequenceMap(
                Categorical(Indices),
                Categorical(Tokens),
                1,
                1));
            b["unsupported_numerical_tokens"] = () => Numerical(Tokens);
            b["unsupported_numerical_indices"] = () => Numerical(Indices);

            return b;
        }
    }
}
