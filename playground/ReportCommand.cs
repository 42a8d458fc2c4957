// `dotnet run --project playground -- report PROGRAM INPUT > PROGRAM.html`: one run of a playground model as a
// self-contained HTML report (ModelReport.ToHtmlReport): program graph, layer schedule, residual stream after
// every block, attention patterns. INPUT is the token characters (`abcd`) for character vocabularies and
// comma-separated numbers (`3,1,2`) for integer ones. `report sort64 ...` compiles Library.MakeSort over 0..63 at
// max_seq_len 64 at run time (too large for a playground build).

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Tracr;
using static Tracr.Rasp;

namespace Tracr.Playground
{
    internal static class ReportCommand
    {
        private static readonly Dictionary<string, Func<string, string>> Reports = new Dictionary<string, Func<string, string>>(StringComparer.Ordinal)
        {
            ["reverse"] = input => Reverse.Model.ToHtmlReport(input.ToCharArray(), "reverse"),
            ["sort"] = input => Sort.Model.ToHtmlReport(Ints(input), "sort"),
            ["hist"] = input => Hist.Model.ToHtmlReport(input.ToCharArray(), "hist"),
            ["frac_prevs"] = input => FracPrevs.Model.ToHtmlReport(input.ToCharArray(), "frac_prevs"),
            ["shuffle_dyck"] = input => ShuffleDyck.Model.ToHtmlReport(input.ToCharArray(), "shuffle_dyck"),
            ["affine_cipher"] = input => AffineCipher.Model.ToHtmlReport(Ints(input), "affine_cipher"),
            ["repeats"] = input => Repeats.Model.ToHtmlReport(input.ToCharArray(), "repeats"),
            ["moving_sum"] = input => MovingSum.Model.ToHtmlReport(Ints(input), "moving_sum"),
            ["larger_before"] = input => LargerBefore.Model.ToHtmlReport(Ints(input), "larger_before"),
            ["sort64"] = input => Sort64().ToHtmlReport(Ints(input).Select(i => (Value)i), "sort 64/64"),
        };

        /// <summary>The sort 64/64 model (Library.MakeSort over 0..63, max_seq_len 64), compiled at run time.</summary>
        internal static CompiledModel Sort64() =>
            RaspCompiler.Compile(Library.MakeSort(Tokens, Tokens, maxSeqLen: 64, minKey: 1), Enumerable.Range(0, 64).Select(i => (Value)i), 64);

        /// <summary>Writes the report to standard output; 2 with a usage message on bad arguments.</summary>
        public static int Run(string[] args)
        {
            if (args.Length != 3 || !Reports.TryGetValue(args[1], out var report))
            {
                Console.Error.WriteLine($"usage: report PROGRAM INPUT   (PROGRAM: {string.Join(", ", Reports.Keys)})");
                return 2;
            }
            try
            {
                Console.Out.Write(report(args[2]));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException || e is FormatException)
            {
                Console.Error.WriteLine($"report {args[1]} {args[2]}: {e.Message}");
                return 2;
            }
        }

        private static int[] Ints(string input) =>
            input.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                 .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    }
}
