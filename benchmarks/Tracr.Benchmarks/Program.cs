// Benchmarks (docs/performance.md).
//
// Compile time: how long our compiler takes to turn each of Tracr's library programs into
// a transformer, next to how long Tracr takes for the same program, vocab and max_seq_len.
//
//     dotnet run -c Release --project benchmarks/Tracr.Benchmarks -- compile [--runs N] [--warmup N] [--filter TEXT]
//
// Forward pass: the fast forward pass (Tracr.Generated.FastTransformer) against the reference forward
// pass, every library program at its max length plus the scaled models.
//
//     dotnet run -c Release --project benchmarks/Tracr.Benchmarks -- --quick [--filter TEXT]   (a few minutes)
//     dotnet run -c Release --project benchmarks/Tracr.Benchmarks -- bdn [--cases TEXT] [BenchmarkDotNet options]
//
// Tracr's medians come from shared/golden/_index.json when that folder sits next to the repository
// (or from --golden DIR / $TRACR_GOLDEN_DIR, or the tests' copy of the golden data), else from
// tracr_medians.csv, a copy kept here.
// See docs/performance.md for what is measured and how to read the table.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using Tracr;
using static Tracr.Rasp;

namespace Tracr.Benchmarks
{
    /// <summary>A golden case: the program Tracr's reference data was produced from, with its vocab and max_seq_len.</summary>
    internal sealed record BenchCase(string Name, Func<SOp> Build, Value[] Vocab, int MaxSeqLen);

    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                PrintUsage();
                return args.Length == 0 ? 2 : 0;
            }

            switch (args[0])
            {
                case "compile":
                    return CompileBenchmark.Run(Options.Parse(args.Skip(1).ToArray()));
                case "--quick":
                case "forward":
                    return ForwardBenchmark.Run(args.Skip(1).ToArray());
                case "profile":
                    return ForwardProfile.Run(args.Skip(1).ToArray());
                case "bdn":
                    return ForwardBdn.Run(args.Skip(1).ToArray());
                case "emit":
                    // The forward code the generator would emit for the cases whose name contains the text.
                    foreach (var c in ForwardCases.Select(args.Length > 1 ? args[1] : null))
                        Console.WriteLine(Tracr.Transformer.ForwardCode.Emit(RaspCompiler.Compile(c.Build(), c.Vocab, c.MaxSeqLen).Packed, "Forward_" + c.Name));
                    return 0;
                default:
                    Console.Error.WriteLine($"Unknown benchmark '{args[0]}'.");
                    PrintUsage();
                    return 2;
            }
        }

        private static void PrintUsage()
        {
            Console.WriteLine("usage: dotnet run -c Release --project benchmarks/Tracr.Benchmarks -- compile [options]");
            Console.WriteLine("       dotnet run -c Release --project benchmarks/Tracr.Benchmarks -- --quick [--filter TEXT] [--sample-ms MS]");
            Console.WriteLine("       dotnet run -c Release --project benchmarks/Tracr.Benchmarks -- bdn [--cases TEXT] [BenchmarkDotNet options, e.g. --job short]");
            Console.WriteLine();
            Console.WriteLine("  --quick          forward pass: fast vs reference per case, batch throughput, bytes/call, floor");
            Console.WriteLine("  bdn              forward pass as BenchmarkDotNet runs (memory diagnoser): fast, reference, batch");
            Console.WriteLine("  profile          time per kernel of the fast path [--filter TEXT] [--forms auto|triplets|rows] [--precision auto|single|double]");
            Console.WriteLine("  emit [TEXT]      print the forward code the source generator emits for the cases whose name contains TEXT");
            Console.WriteLine();
            Console.WriteLine("  compile          median compile time of every Tracr library program vs Tracr's median");
            Console.WriteLine("  --runs N         measured compilations per case (default 51)");
            Console.WriteLine("  --warmup N       unmeasured compilations per case first (default 5) ...");
            Console.WriteLine("  --warmup-ms MS   ... and for at least MS milliseconds (default 500), so the JIT reaches tier 1");
            Console.WriteLine("  --filter TEXT    only cases whose name contains TEXT");
            Console.WriteLine("  --golden DIR     folder holding Tracr's _index.json (default: $TRACR_GOLDEN_DIR, ../shared/golden,");
            Console.WriteLine("                   the tests' copy, then the tracr_medians.csv shipped with the benchmark)");
        }
    }

    internal sealed class Options
    {
        public int Runs { get; private set; } = 51;
        public int Warmup { get; private set; } = 5;
        public int WarmupMs { get; private set; } = 500;
        public string? Filter { get; private set; }
        public string? GoldenDir { get; private set; } = Environment.GetEnvironmentVariable("TRACR_GOLDEN_DIR");

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--runs": o.Runs = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                    case "--warmup": o.Warmup = Math.Max(0, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                    case "--warmup-ms": o.WarmupMs = Math.Max(0, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                    case "--filter": o.Filter = Next(); break;
                    case "--golden": o.GoldenDir = Next(); break;
                    default: throw new ArgumentException($"Unknown option '{args[i]}'.");
                }
            }
            return o;
        }
    }

    internal static class CompileBenchmark
    {
        /// <summary>The lib_* golden cases: every builder of Tracr's compiler/lib.py with the vocab and max_seq_len of Tracr's tests.</summary>
        public static IReadOnlyList<BenchCase> Cases()
        {
            Value[] abc = { "a", "b", "c" };
            Value[] abcd = { "a", "b", "c", "d" };
            Value[] nums = { 1, 2, 3, 4 };
            Value[] dyck = { "(", ")", "{", "}" };
            return new[]
            {
                new BenchCase("lib_make_length", Library.MakeLength, abcd, 5),
                new BenchCase("lib_make_reverse", () => Library.MakeReverse(Tokens), abcd, 5),
                new BenchCase("lib_make_hist", Library.MakeHist, abcd, 5),
                new BenchCase("lib_make_sort_unique", () => Library.MakeSortUnique(Tokens, Tokens), nums, 5),
                new BenchCase("lib_make_sort", () => Library.MakeSort(Tokens, Tokens, maxSeqLen: 5, minKey: 1), nums, 5),
                new BenchCase("lib_make_sort_freq", () => Library.MakeSortFreq(maxSeqLen: 5), nums, 5),
                new BenchCase("lib_make_pair_balance", () => Library.MakePairBalance(Tokens, "(", ")"), new Value[] { "(", ")", "a", "b", "c" }, 10),
                new BenchCase("lib_make_shuffle_dyck", () => Library.MakeShuffleDyck(new[] { "()", "{}" }), dyck, 5),
                new BenchCase("lib_make_shuffle_dyck2", Library.MakeShuffleDyck2, dyck, 5),
                new BenchCase("lib_make_frac_prevs", () => Library.MakeFracPrevs(Tokens == "l"), new Value[] { "e", "h", "l", "o" }, 5),
                new BenchCase("lib_make_count_less_freq", () => Library.MakeCountLessFreq(2), abcd, 6),
                new BenchCase("lib_make_count", () => Library.MakeCount(Tokens, "a"), abc, 8),
                new BenchCase("lib_make_nary_sequencemap", () => Library.MakeNarySequenceMap(a => a[0] + a[1] - a[2], Tokens, Tokens, Indices), new Value[] { 1, 2, 3 }, 5),
                new BenchCase("lib_shift_by", () => Library.ShiftBy(1, Tokens), abcd, 5),
                new BenchCase("lib_detect_pattern", () => Library.DetectPattern(Tokens, "abc"), abc, 6),
            };
        }

        public static int Run(Options options)
        {
            var cases = Cases().Where(c => options.Filter is null || c.Name.Contains(options.Filter, StringComparison.OrdinalIgnoreCase)).ToList();
            if (cases.Count == 0)
            {
                Console.Error.WriteLine($"No case matches '{options.Filter}'.");
                return 2;
            }

            var reference = TracrReference.Load(options.GoldenDir);
            Console.WriteLine("Compile time: RaspCompiler.Compile (RASP program -> assembled transformer), median (and min) per case.");
            Console.WriteLine($"  {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription.Trim()}, {Environment.ProcessorCount} cores" +
                $"{(Debugger.IsAttached ? ", DEBUGGER ATTACHED" : "")}{(IsOptimized() ? "" : ", NOT an optimized build (use -c Release)")}");
            Console.WriteLine($"  Warm-up ({options.Warmup}+ compilations, {options.WarmupMs}+ ms), then {options.Runs} measured compilations per case (Stopwatch).");
            Console.WriteLine($"  Tracr: compile_rasp_to_model up to the craft model, median of 5 (Python, 2-core AMD EPYC); from {reference.Source}.");
            foreach (var warning in reference.Warnings) Console.WriteLine("  warning: " + warning);
            Console.WriteLine();

            var header = string.Format(CultureInfo.InvariantCulture, "{0,-27} {1,5} {2,4} {3,6} {4,6} {5,11} {6,9} {7,11} {8,11}",
                "case", "vocab", "msl", "layers", "width", "ours (ms)", "min (ms)", "Tracr (ms)", "Tracr/ours");
            Console.WriteLine(header);
            Console.WriteLine(new string('-', header.Length));

            // Untimed passes over every case first (at least 3, for at least 2 s): the tiered JIT only
            // promotes the compiler's code to optimised code after repeated calls and a quiet period, and
            // without this the first rows measure half-optimised code.
            var global = Stopwatch.StartNew();
            for (int pass = 0; pass < 3 || global.ElapsedMilliseconds < 2000; pass++)
            {
                foreach (var c in cases)
                {
                    try { RaspCompiler.Compile(c.Build(), c.Vocab, c.MaxSeqLen); }
                    catch (Exception) { /* reported in the table below */ }
                }
            }

            var ratios = new List<double>();
            foreach (var c in cases)
            {
                foreach (var warning in reference.CheckCase(c)) Console.WriteLine("  warning: " + warning);
                var program = c.Build();
                CompiledModel model;
                try
                {
                    model = RaspCompiler.Compile(program, c.Vocab, c.MaxSeqLen);
                }
                catch (Exception e)
                {
                    Console.WriteLine($"{c.Name,-27} FAILED: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                    continue;
                }

                // Warm up for at least N compilations and WarmupMs, so the JIT has moved the hot code to its optimised tier.
                var warm = Stopwatch.StartNew();
                for (int i = 0; i < options.Warmup || warm.ElapsedMilliseconds < options.WarmupMs; i++)
                    RaspCompiler.Compile(program, c.Vocab, c.MaxSeqLen);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var times = new double[options.Runs];
                for (int i = 0; i < options.Runs; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    RaspCompiler.Compile(program, c.Vocab, c.MaxSeqLen);
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                double ours = Median(times);

                string tracr = "-", ratio = "-";
                if (reference.CompileMedianSeconds.TryGetValue(c.Name, out double tracrSeconds))
                {
                    double tracrMs = tracrSeconds * 1000;
                    tracr = tracrMs.ToString("0.000", CultureInfo.InvariantCulture);
                    ratios.Add(tracrMs / ours);
                    ratio = (tracrMs / ours).ToString("0.0", CultureInfo.InvariantCulture) + "x";
                }
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-27} {1,5} {2,4} {3,6} {4,6} {5,11:0.000} {6,9:0.000} {7,11} {8,11}",
                    c.Name, c.Vocab.Length, c.MaxSeqLen, model.Assembled.Layers.Count, model.Assembled.Width, ours, times.Min(), tracr, ratio));
            }

            if (ratios.Count > 0)
            {
                double geoMean = Math.Exp(ratios.Average(Math.Log));
                Console.WriteLine();
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "Geometric mean of Tracr/ours over {0} cases: {1:0.0}x (min {2:0.0}x, max {3:0.0}x).",
                    ratios.Count, geoMean, ratios.Min(), ratios.Max()));
            }
            return 0;
        }

        private static double Median(double[] xs)
        {
            var sorted = xs.OrderBy(x => x).ToArray();
            int n = sorted.Length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        private static bool IsOptimized()
        {
            var attr = (DebuggableAttribute?)Attribute.GetCustomAttribute(typeof(RaspCompiler).Assembly, typeof(DebuggableAttribute));
            return attr is null || !attr.IsJITOptimizerDisabled;
        }
    }

    /// <summary>Tracr's measured compile medians: from the golden folder when present, else from the copied CSV.</summary>
    internal sealed class TracrReference
    {
        private readonly string? _goldenDir;

        private TracrReference(string source, Dictionary<string, double> medians, string? goldenDir, List<string> warnings)
        {
            Source = source;
            CompileMedianSeconds = medians;
            _goldenDir = goldenDir;
            Warnings = warnings;
        }

        public string Source { get; }
        public IReadOnlyDictionary<string, double> CompileMedianSeconds { get; }
        public IReadOnlyList<string> Warnings { get; }

        public static TracrReference Load(string? goldenDir)
        {
            var warnings = new List<string>();
            goldenDir ??= FindGoldenDir();
            if (goldenDir != null)
            {
                string index = Path.Combine(goldenDir, "_index.json");
                try
                {
                    using var doc = JsonDocument.Parse(File.ReadAllText(index));
                    var medians = new Dictionary<string, double>(StringComparer.Ordinal);
                    foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
                    {
                        if (c.TryGetProperty("timings", out var t) && t.ValueKind == JsonValueKind.Object &&
                            t.TryGetProperty("compile_to_craft_median_s", out var m) && m.ValueKind == JsonValueKind.Number)
                            medians[c.GetProperty("name").GetString()!] = m.GetDouble();
                    }
                    return new TracrReference(Path.GetFullPath(index), medians, goldenDir, warnings);
                }
                catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or UnauthorizedAccessException)
                {
                    warnings.Add($"could not read {index} ({e.Message}); using the copied medians.");
                    goldenDir = null;
                }
            }

            string csv = Path.Combine(AppContext.BaseDirectory, "tracr_medians.csv");
            var fromCsv = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines(csv))
            {
                if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("case,", StringComparison.Ordinal)) continue;
                var parts = line.Split(',');
                fromCsv[parts[0]] = double.Parse(parts[1], CultureInfo.InvariantCulture);
            }
            return new TracrReference("tracr_medians.csv (copy of shared/golden/_index.json)", fromCsv, null, warnings);
        }

        /// <summary>When the golden case file is at hand, checks that the benchmark compiles the same vocab and max_seq_len.</summary>
        public IEnumerable<string> CheckCase(BenchCase c)
        {
            if (_goldenDir is null) yield break;
            string file = Path.Combine(_goldenDir, c.Name + ".json");
            if (!File.Exists(file)) yield break;
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            int msl = root.GetProperty("max_seq_len").GetInt32();
            var vocab = root.GetProperty("vocab").EnumerateArray()
                .Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).OrderBy(s => s, StringComparer.Ordinal);
            var ours = c.Vocab.Select(v => v.ToString()).OrderBy(s => s, StringComparer.Ordinal);
            if (msl != c.MaxSeqLen) yield return $"{c.Name}: golden max_seq_len is {msl}, benchmark uses {c.MaxSeqLen}.";
            if (!vocab.SequenceEqual(ours)) yield return $"{c.Name}: golden vocab differs from the benchmark's.";
        }

        // shared/ sits next to the repository (else the tests' copy of the golden data): walk up to the solution.
        private static string? FindGoldenDir()
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    if (!File.Exists(Path.Combine(dir.FullName, "Tracr.Generators.sln"))) continue;
                    foreach (var candidate in new[]
                    {
                        Path.Combine(dir.FullName, "..", "shared", "golden"),
                        Path.Combine(dir.FullName, "tests", "Tracr.Compiler.Tests", "Golden"),
                    })
                    {
                        if (File.Exists(Path.Combine(candidate, "_index.json"))) return Path.GetFullPath(candidate);
                    }
                    break;
                }
            }
            return null;
        }
    }
}
