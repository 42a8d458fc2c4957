using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Tracr.Transformer;

namespace Tracr.Benchmarks
{
    /// <summary>
    /// The forward-pass comparison as BenchmarkDotNet runs, with the memory diagnoser: per case (every
    /// library program at its max length, the scaled sort and shuffle_dyck), the specialised fast path
    /// (the code emitted for the model), the same pass on the generic kernels, the reference forward
    /// pass, and the batch API (reported per sequence).
    /// <c>dotnet run -c Release --project benchmarks/Tracr.Benchmarks -- bdn [--cases TEXT] [BenchmarkDotNet options, e.g. --job short]</c>
    /// </summary>
    [MemoryDiagnoser]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
    [Config(typeof(WideNames))]
    public class ForwardBdn
    {
        /// <summary>Case names in full (BenchmarkDotNet shortens parameter values past 20 characters by default).</summary>
        private sealed class WideNames : ManualConfig
        {
            public WideNames() { SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(40); }
        }

        private ForwardSubject _subject = null!;

        /// <summary>Every case, or those whose name contains $TRACR_BDN_CASES (set by <c>--cases TEXT</c>; child processes inherit it).</summary>
        public static IEnumerable<string> Cases() =>
            ForwardCases.Select(System.Environment.GetEnvironmentVariable("TRACR_BDN_CASES")).Select(c => c.Name);

        [ParamsSource(nameof(Cases))]
        public string Case { get; set; } = "";

        [GlobalSetup]
        public void Setup()
        {
            _subject = new ForwardSubject(ForwardCases.All().Single(c => c.Name == Case));
            var mismatch = _subject.Verify();
            if (mismatch != null) throw new System.InvalidOperationException($"{Case}: a fast path disagrees with the reference: {mismatch}");
        }

        /// <summary>The specialised (emitted) fast path: decoded outputs only, reused workspace.</summary>
        [Benchmark(Description = "specialised")]
        public void Specialised() => _subject.RunSpecialised();

        /// <summary>The same pass on the generic kernels.</summary>
        [Benchmark(Description = "kernels")]
        public void Fast() => _subject.RunFast();

        /// <summary>ReferenceForward.Run on the same input.</summary>
        [Benchmark(Baseline = true, Description = "reference")]
        public ModelRun<Value> Reference() => _subject.RunReference();

        /// <summary>The batch API over 256 max-length inputs (all cores when large enough); time per sequence.</summary>
        [Benchmark(OperationsPerInvoke = ForwardSubject.BatchSize, Description = "batch_per_sequence")]
        public void Batch() => _subject.RunBatch();

        public static int Run(string[] args)
        {
            var rest = new List<string>();
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--cases" && i + 1 < args.Length) System.Environment.SetEnvironmentVariable("TRACR_BDN_CASES", args[++i]);
                else rest.Add(args[i]);
            }
            if (!rest.Contains("--filter")) rest.AddRange(new[] { "--filter", "*ForwardBdn*" });
            args = rest.ToArray();
            var summaries = BenchmarkSwitcher.FromTypes(new[] { typeof(ForwardBdn) }).Run(args);
            return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
        }
    }
}
