using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Tracr.Generated;
using Tracr.Runtime;

namespace Tracr.Benchmarks
{
    /// <summary>
    /// Quick mode (<c>--quick</c>): per case, the specialised fast path (the forward code emitted for the
    /// model), the same pass on the generic kernels, and the reference forward pass on the same max-length
    /// input, timed with Stopwatch after a warm-up that lets the tiered JIT reach its optimised code; the
    /// batch API's throughput; bytes allocated per specialised call; and the floor.
    /// </summary>
    internal static class ForwardBenchmark
    {
        private sealed record Row(string Name, int Width, int Layers, string Precision, double FastUs, double KernelsUs, double ReferenceUs,
            double BatchUsPerSeq, double AllocatedBytesPerCall, long Madds, double FloorUs, string? Mismatch);

        public static int Run(string[] args)
        {
            string? filter = null;
            int sampleMs = 20;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick": break;
                    case "--filter": filter = args[++i]; break;
                    case "--sample-ms": sampleMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"Unknown option '{args[i]}'.");
                }
            }

            var cases = ForwardCases.Select(filter);
            Console.WriteLine("Forward pass: specialised = the forward code emitted for each model (ForwardCode, as the generator emits it), kernels = FastTransformer on the");
            Console.WriteLine("generic kernels (both Predict*, decoded outputs only), reference = ReferenceForward.Run; one max-length input per case.");
            Console.WriteLine($"  {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription.Trim()}, {Environment.ProcessorCount} cores, " +
                $"{(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512" : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "AVX2" : "128-bit SIMD")}" +
                $"{(Debugger.IsAttached ? ", DEBUGGER ATTACHED" : "")}");

            double peakSingle = Floor.PeakMaddsPerMicrosecond(single: true);
            double peakDouble = Floor.PeakMaddsPerMicrosecond(single: false);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  Peak multiply-add rate (one core, register-resident FMA chains): float32 {0:F0} G/s, float64 {1:F0} G/s.", peakSingle / 1000, peakDouble / 1000));
            Console.WriteLine();

            var subjects = new List<ForwardSubject>();
            foreach (var c in cases)
            {
                var watch = Stopwatch.StartNew();
                subjects.Add(new ForwardSubject(c));
                if (watch.ElapsedMilliseconds > 1000) Console.WriteLine($"  (compiled {c.Name} in {watch.Elapsed.TotalSeconds:F1} s)");
            }

            // Untimed passes over every case: the tiered JIT promotes hot methods only after repeated calls
            // and a quiet period, and the kernels are generic methods shared by every case.
            var global = Stopwatch.StartNew();
            for (int pass = 0; pass < 3 || global.ElapsedMilliseconds < 3000; pass++)
            {
                foreach (var s in subjects)
                {
                    var w = Stopwatch.StartNew();
                    while (w.ElapsedMilliseconds < 20) { s.RunSpecialised(); s.RunFast(); }
                    if (pass < 2) s.RunReference();
                    if (pass == 0) s.RunBatch();
                }
                if (pass >= 1) Thread.Sleep(150);
            }

            var rows = new List<Row>();
            foreach (var s in subjects)
            {
                string? mismatch = s.Verify();
                // The samples of the three alternate, so that all see the same machine load.
                var times = MeasureInterleaved(new Action[] { s.RunSpecialised, s.RunFast, () => s.RunReference() }, sampleMs, s.Case.Name.StartsWith("scaled", StringComparison.Ordinal) ? 5 : 15);
                double fast = times[0], kernels = times[1], reference = times[2];
                double batch = Measure(s.RunBatch, sampleMs, 7) / ForwardSubject.BatchSize;

                s.RunSpecialised();
                long before = GC.GetAllocatedBytesForCurrentThread();
                const int calls = 1000;
                for (int i = 0; i < calls; i++) s.RunSpecialised();
                double allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;

                long madds = Floor.NonZeroMadds(s.Model.Assembled, s.Ids);
                double peak = s.Fast.Precision == ForwardPrecision.Double ? peakDouble : peakSingle;
                rows.Add(new Row(s.Case.Name, s.Model.Assembled.Width, s.Model.Assembled.Layers.Count, s.Fast.Precision == ForwardPrecision.Double ? "f64" : "f32",
                    fast, kernels, reference, batch, allocated, madds, madds / peak, mismatch));
                var r = rows[^1];
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "forward {0} specialised_us={1:0.000} reference_us={2:0.000} speedup={3:0.00}",
                    r.Name, r.FastUs, r.ReferenceUs, r.ReferenceUs / r.FastUs));
            }

            Console.WriteLine();
            var header = string.Format(CultureInfo.InvariantCulture, "{0,-26} {1,5} {2,6} {3,4} {4,11} {5,12} {6,13} {7,8} {8,9} {9,13} {10,10} {11,10} {12,10} {13,9}",
                "case", "width", "layers", "prec", "spec (us)", "kernels (us)", "reference (us)", "speedup", "vs kern", "batch (us/seq)", "bytes/call", "madds", "floor (us)", "x floor");
            Console.WriteLine(header);
            Console.WriteLine(new string('-', header.Length));
            foreach (var r in rows)
            {
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-26} {1,5} {2,6} {3,4} {4,11:0.000} {5,12:0.000} {6,13:0.000} {7,7:0.0}x {8,8:0.00}x {9,13:0.000} {10,10:0} {11,10} {12,10:0.0000} {13,8:0}x{14}",
                    r.Name, r.Width, r.Layers, r.Precision, r.FastUs, r.KernelsUs, r.ReferenceUs, r.ReferenceUs / r.FastUs, r.KernelsUs / r.FastUs, r.BatchUsPerSeq, r.AllocatedBytesPerCall,
                    r.Madds, r.FloorUs, r.FastUs / r.FloorUs, r.Mismatch is null ? "" : "  OUTPUT MISMATCH: " + r.Mismatch));
            }

            var speedups = rows.Select(r => r.ReferenceUs / r.FastUs).OrderBy(x => x).ToArray();
            var wide = rows.Where(r => r.Width >= 40).Select(r => r.ReferenceUs / r.FastUs).ToArray();
            var overKernels = rows.Select(r => r.KernelsUs / r.FastUs).OrderBy(x => x).ToArray();
            Console.WriteLine();
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "Median speedup {0:0.0}x over {1} cases (min {2:0.0}x, max {3:0.0}x); models with >= 40 residual dims: min {4:0.0}x over {5}; " +
                "max bytes allocated per specialised call: {6:0}. Specialised vs generic kernels: median {7:0.00}x (min {8:0.00}x, max {9:0.00}x).",
                Median(speedups), speedups.Length, speedups.First(), speedups.Last(), wide.DefaultIfEmpty(double.NaN).Min(), wide.Length,
                rows.Max(r => r.AllocatedBytesPerCall), Median(overKernels), overKernels.First(), overKernels.Last()));
            return rows.Any(r => r.Mismatch != null) ? 1 : 0;
        }

        /// <summary>Medians of the time per call of several actions, their samples interleaved (a, b, c, a, b, c, ...).</summary>
        public static double[] MeasureInterleaved(Action[] actions, int sampleMs, int samples)
        {
            var reps = actions.Select(a => Calibrate(a, sampleMs)).ToArray();
            var times = actions.Select(_ => new double[samples]).ToArray();
            for (int k = 0; k < samples; k++)
                for (int i = 0; i < actions.Length; i++) times[i][k] = Sample(actions[i], reps[i]);
            return times.Select(Median).ToArray();
        }

        /// <summary>
        /// TRACR_BENCH_CPU_CLOCK=1 times the interleaved samples with the calling thread's CPU time (Linux) instead of
        /// the wall clock: on a machine shared with other work the wall clock counts the time the thread waits for a
        /// core, the CPU time only the time it runs (cache pollution by the other work still counts).
        /// </summary>
        private static readonly bool CpuClock = Environment.GetEnvironmentVariable("TRACR_BENCH_CPU_CLOCK") == "1" && OperatingSystem.IsLinux();

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec { public long Seconds; public long Nanoseconds; }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        /// <summary>Now, in microseconds, on the clock the samples use.</summary>
        private static double NowUs()
        {
            if (!CpuClock) return Stopwatch.GetTimestamp() * 1e6 / Stopwatch.Frequency;
            const int ThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID
            ClockGetTime(ThreadCpuTime, out var t);
            return t.Seconds * 1e6 + t.Nanoseconds / 1e3;
        }

        private static long Calibrate(Action action, int sampleMs)
        {
            long reps = 1;
            while (true)
            {
                double start = NowUs();
                for (long i = 0; i < reps; i++) action();
                double ms = (NowUs() - start) / 1e3;
                if (ms >= sampleMs / 4.0 || reps > 1 << 24) return Math.Max(1, (long)(reps * sampleMs / Math.Max(ms, 1e-3)));
                reps *= 4;
            }
        }

        private static double Sample(Action action, long reps)
        {
            double start = NowUs();
            for (long i = 0; i < reps; i++) action();
            return (NowUs() - start) / reps;
        }

        /// <summary>Median over <paramref name="samples"/> samples of the time per call, each sample at least <paramref name="sampleMs"/> ms of back-to-back calls.</summary>
        public static double Measure(Action action, int sampleMs, int samples)
        {
            // Calibrate the calls per sample.
            long reps = 1;
            while (true)
            {
                long start = Stopwatch.GetTimestamp();
                for (long i = 0; i < reps; i++) action();
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (ms >= sampleMs / 4.0 || reps > 1 << 24) { reps = Math.Max(1, (long)(reps * sampleMs / Math.Max(ms, 1e-3))); break; }
                reps *= 4;
            }
            var times = new double[samples];
            for (int k = 0; k < samples; k++)
            {
                long start = Stopwatch.GetTimestamp();
                for (long i = 0; i < reps; i++) action();
                times[k] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / reps;
            }
            return Median(times);
        }

        private static double Median(double[] xs)
        {
            var s = xs.OrderBy(x => x).ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
    }
}
