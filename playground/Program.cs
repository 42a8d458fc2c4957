// The Tracr.Generators playground: compiles Tracr's canonical RASP programs into transformers at
// run time, runs every compiled model on a few inputs next to the RASP evaluator, and shows what
// the compiler built. Run it with
//
//     dotnet run --project playground
//
// Every program, vocabulary and maximum length below is the one Tracr's own tests use
// (tracr/compiler/lib.py and test_cases.py), so the numbers can be compared with Tracr's.
// The process exits with code 1 if any compiled model disagrees with the evaluator.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Tracr;
using static Tracr.Rasp;

namespace Tracr.Playground
{
    /// <summary>One program to compile and run: how to build it, with which vocab and length, on which inputs.</summary>
    internal sealed record Demo(
        string Title,
        string Description,
        Func<SOp> Build,
        Value[] Vocab,
        int MaxSeqLen,
        Value[][] Inputs,
        CompilerOptions? Options = null);

    internal static class Program
    {
        private static int Main()
        {
            var demos = Demos();
            int runs = 0, disagreements = 0;
            var total = Stopwatch.StartNew();


            Console.WriteLine("Tracr.Generators playground: RASP programs compiled to transformer weights.");
            Console.WriteLine("For each program: the compiled model's shape, then for each input the RASP");
            Console.WriteLine("evaluator's output (the truth) and the compiled transformer's output.");

            foreach (var demo in demos)
            {
                var (r, d) = Run(demo);
                runs += r;
                disagreements += d;
            }

            Console.WriteLine();
            Console.WriteLine(new string('=', 78));
            Console.WriteLine($"{demos.Count} programs, {runs} runs: " +
                (disagreements == 0
                    ? "every compiled model agrees with the RASP evaluator"
                    : $"{disagreements} run(s) DISAGREE with the RASP evaluator") +
                $" ({total.Elapsed.TotalSeconds:0.0} s).");
            return disagreements == 0 ? 0 : 1;
        }

        private static List<Demo> Demos()
        {
            Value[] abcd = { "a", "b", "c", "d" };
            Value[] nums = { 1, 2, 3, 4 };
            Value[] parens = { "(", ")", "a", "b", "c" };
            Value[] dyck = { "(", ")", "{", "}" };

            return new List<Demo>
            {
                new Demo("reverse (Tracr's README example)",
                    "Reverses the input: opp_idx = length - indices - 1; Aggregate(Select(indices, opp_idx, EQ), tokens).",
                    () => Library.MakeReverse(Tokens),
                    new Value[] { 1, 2, 3 }, 5,
                    new[] { Seq(1, 2, 3), Seq(3, 1, 2, 2, 1), Seq(2) },
                    new CompilerOptions { CompilerBos = "BOS" }),

                new Demo("length",
                    "The input length at every position: SelectorWidth of an all-true selector.",
                    Library.MakeLength,
                    abcd, 5,
                    new[] { Chars("abcd"), Chars("a"), Chars("dcbad") }),

                new Demo("hist",
                    "How often each token occurs in the input: SelectorWidth(Select(tokens, tokens, EQ)).",
                    Library.MakeHist,
                    abcd, 5,
                    new[] { Chars("abac"), Chars("aaaa"), Chars("dcbad") }),

                new Demo("sort_unique",
                    "Sorts unique keys: each token moves to the position given by how many keys are smaller.",
                    () => Library.MakeSortUnique(Tokens, Tokens),
                    nums, 5,
                    new[] { Seq(2, 4, 3, 1), Seq(4, 3, 2, 1), Seq(1, 3) }),

                new Demo("sort",
                    "Sorts keys that need not be unique (ties broken by position: key + min_key * i / max_seq_len).",
                    () => Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1),
                    nums, 5,
                    new[] { Seq(2, 4, 3, 1), Seq(2, 4, 1, 2), Seq(3, 3, 3, 1, 1) }),

                new Demo("sort_freq",
                    "Sorts tokens by how often they occur, most frequent first (a sort keyed on -hist).",
                    () => Library.MakeSortFreq(maxSeqLen: 5),
                    nums, 5,
                    new[] { Seq(2, 4, 2, 1), Seq(1, 2, 3, 3, 3), Seq(4, 4, 1, 1, 1) }),

                new Demo("frac_prevs",
                    "The fraction of positions so far holding \"l\": a numerical mean over Select(indices, indices, LEQ).",
                    () => Library.MakeFracPrevs(Tokens == "l"),
                    new Value[] { "e", "h", "l", "o" }, 5,
                    new[] { Chars("hello"), Chars("lll"), Chars("hole") }),

                new Demo("frac_prevs, causal",
                    "The same program compiled with causal attention (every position sees only the past).",
                    () => Library.MakeFracPrevs(Tokens == "l"),
                    new Value[] { "e", "h", "l", "o" }, 5,
                    new[] { Chars("hello"), Chars("lole") },
                    new CompilerOptions { Causal = true }),

                new Demo("pair_balance",
                    "Fraction of \"(\" minus fraction of \")\" so far: a LinearSequenceMap of two numerical means.",
                    () => Library.MakePairBalance(Tokens, "(", ")"),
                    parens, 10,
                    new[] { Chars("a()b(c))"), Chars("((a)"), Chars(")(") }),

                new Demo("shuffle_dyck2",
                    "1 where both () and {} are balanced (interleaving allowed), else 0.",
                    Library.MakeShuffleDyck2,
                    dyck, 5,
                    new[] { Chars("({)}"), Chars("(){)}"), Chars("{}") }),

                new Demo("count_less_freq",
                    "How many tokens occur at most n = 2 times (a SelectorWidth over a Select on hist).",
                    () => Library.MakeCountLessFreq(2),
                    abcd, 6,
                    new[] { Chars("aaabbc"), Chars("aacbbc"), Chars("abcd") }),

                new Demo("count",
                    "The number of \"a\" tokens, at every position.",
                    () => Library.MakeCount(Tokens, "a"),
                    new Value[] { "a", "b", "c" }, 8,
                    new[] { Chars("aaabbc"), Chars("caba"), Chars("bbbbbbbb") }),

                new Demo("shift_by(1)",
                    "The tokens shifted right by one, None-padded.",
                    () => Library.ShiftBy(1, Tokens),
                    abcd, 5,
                    new[] { Chars("abcd"), Chars("dcb") }),

                new Demo("detect_pattern(abc)",
                    "True where the pattern \"abc\" ends, None-padded.",
                    () => Library.DetectPattern(Tokens, "abc"),
                    new Value[] { "a", "b", "c" }, 6,
                    new[] { Chars("abcabc"), Chars("aabcca") }),

                new Demo("nary_sequencemap(x + y - z)",
                    "A three-argument SequenceMap built from binary SequenceMaps over tuples.",
                    () => Library.MakeNarySequenceMap(a => a[0] + a[1] - a[2], Tokens, Tokens, Indices),
                    new Value[] { 1, 2, 3 }, 5,
                    new[] { Seq(1, 2, 3), Seq(3, 3, 1, 1, 2) }),

                new Demo("numerical length at max_seq_len 10 (Tracr gets this wrong)",
                    "Tracr's discretising MLP reads length 7 as 6.89 and 10 as 9.45 here; this compiler raises its slope until exact.",
                    () => Numerical(Library.MakeLength()),
                    new Value[] { 1, 2, 3 }, 10,
                    new[] { Seq(1, 2, 3, 1, 2, 3, 1), Seq(1, 1, 1, 1, 1, 1, 1, 1, 1, 1) }),
            };
        }

        private static (int Runs, int Disagreements) Run(Demo demo)
        {
            Console.WriteLine();
            Console.WriteLine(new string('=', 78));
            Console.WriteLine(demo.Title);
            Console.WriteLine("  " + demo.Description);
            var options = demo.Options ?? new CompilerOptions();
            Console.WriteLine($"  vocab {{{string.Join(", ", demo.Vocab.Select(v => v.Repr()))}}}, max_seq_len {demo.MaxSeqLen}" +
                (options.Causal ? ", causal" : "") +
                (options.CompilerBos != new CompilerOptions().CompilerBos ? $", bos {Quote(options.CompilerBos)}" : ""));

            var program = demo.Build();
            CompiledModel model;
            try
            {
                model = RaspCompiler.Compile(program, demo.Vocab, demo.MaxSeqLen, options);
            }
            catch (RaspCompilationException e)
            {
                Console.WriteLine("  COMPILE ERROR: " + e.Message.Replace("\n", "\n    "));
                return (0, 1);
            }
            // Time a second compilation: the first one also pays for JIT-compiling the compiler's code paths.
            var watch = Stopwatch.StartNew();
            RaspCompiler.Compile(program, demo.Vocab, demo.MaxSeqLen, options);
            watch.Stop();

            PrintSummary(model, watch.Elapsed);

            int disagreements = 0;
            foreach (var input in demo.Inputs)
            {
                var expected = RaspEvaluator.Evaluate(program, input, options.Causal);
                var actual = model.Apply(input).Outputs;
                bool agree = Agree(expected, actual);
                if (!agree) disagreements++;
                Console.WriteLine();
                Console.WriteLine($"  input      {Format(input)}");
                Console.WriteLine($"  evaluator  {Format(expected)}");
                Console.WriteLine($"  model      {Format(actual)}   {(agree ? "ok" : "<-- DISAGREES")}");
            }
            return (demo.Inputs.Length, disagreements);
        }

        private static void PrintSummary(CompiledModel model, TimeSpan compileTime)
        {
            var t = model.Transformer;
            Console.WriteLine($"  compiled in {compileTime.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms: " +
                $"{t.Layers.Count} layer(s), residual width {t.Width}, " +
                $"{t.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters, output {model.OutputEncoding.ToString().ToLowerInvariant()}");
            foreach (var layer in model.Craft.Layers)
            {
                string what = layer switch
                {
                    Tracr.Craft.AttentionLayer a => $"attention, {a.Heads.Count} head(s): {string.Join(", ", a.Heads.Select(h => h.Node))}",
                    Tracr.Craft.MlpLayer m => $"MLP, hidden size {m.Mlp.HiddenSize}: {string.Join(", ", m.Mlp.Nodes)}",
                    _ => layer.GetType().Name,
                };
                Console.WriteLine($"    layer {layer.HalfLayer / 2} {what}");
            }
        }

        // Categorical outputs must be equal; numerical outputs agree within 1e-3 (the golden data's tolerance).
        private static bool Agree(IReadOnlyList<Value> expected, IReadOnlyList<Value> actual)
        {
            if (expected.Count != actual.Count) return false;
            for (int i = 0; i < expected.Count; i++)
            {
                Value e = expected[i], a = actual[i];
                bool close = e.IsNumeric && a.IsNumeric && Math.Abs(e.AsDouble - a.AsDouble) <= 1e-3;
                if (!close && e != a) return false;
            }
            return true;
        }

        private static Value[] Seq(params Value[] values) => values;

        private static Value[] Chars(string s) => s.Select(c => (Value)c).ToArray();

        private static string Format(IEnumerable<Value> values) =>
            "[" + string.Join(", ", values.Select(FormatValue)) + "]";

        // Floats to 3 decimals, Python style (1.0, 0.333, -0.125); everything else as Python's repr.
        private static string FormatValue(Value v)
        {
            if (v.Kind != ValueKind.Float) return v.Repr();
            double r = Math.Round(v.AsDouble, 3);
            if (r == 0) r = 0; // no "-0.0"
            return r == Math.Floor(r) ? r.ToString("0.0", CultureInfo.InvariantCulture) : r.ToString("0.###", CultureInfo.InvariantCulture);
        }

        private static string Quote(string s) => "\"" + s + "\"";
    }
}
