using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using Tracr.Generated;
using Tracr.Runtime;
using Tracr.Transformer;

namespace Tracr.Benchmarks
{
    /// <summary>
    /// <c>profile [--filter TEXT]</c>: time per kernel (embedding, each block, decoding) of the fast path,
    /// the minimum over samples (robust on a shared machine). A development aid for the kernels.
    /// </summary>
    internal static class ForwardProfile
    {
        public static int Run(string[] args)
        {
            string? filter = null;
            var forms = FormSelection.Auto;
            var precision = ForwardPrecision.Auto;
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i] == "--filter") filter = args[++i];
                else if (args[i] == "--forms") forms = Enum.Parse<FormSelection>(args[++i], ignoreCase: true);
                else if (args[i] == "--precision") precision = Enum.Parse<ForwardPrecision>(args[++i], ignoreCase: true);
            }
            foreach (var c in ForwardCases.Select(filter))
            {
                var s = new ForwardSubject(c, precision, forms, emit: false);
                if (s.Fast.SinglePlan is { } single) Profile(c.Name, single, s.Ids);
                else Profile(c.Name, s.Fast.DoublePlan!, s.Ids);
            }
            return 0;
        }

        private static void Profile<T>(string name, ModelPlan<T> plan, int[] ids) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var scratch = new KernelScratch<T>(plan.Sizes);
            int n = ids.Length, w = plan.Width, stride = Simd.Pad<T>(n);
            int parts = plan.Blocks.Length + 1;
            var best = Enumerable.Repeat(double.MaxValue, parts).ToArray();
            var sum = new double[parts];
            int reps = 200, samples = 0;
            var total = Stopwatch.StartNew();
            var warm = Stopwatch.StartNew();
            while (total.ElapsedMilliseconds < 1500)
            {
                var t = new double[parts];
                for (int r = 0; r < reps; r++)
                {
                    var x = scratch.Residual.AsSpan(0, stride * w);
                    long t0 = Stopwatch.GetTimestamp();
                    TransformerKernels.Embed(x, w, stride, ids, plan.TokenEmbedding, plan.PositionEmbedding);
                    long t1 = Stopwatch.GetTimestamp();
                    t[0] += t1 - t0;
                    for (int b = 0; b < plan.Blocks.Length; b++)
                    {
                        t0 = Stopwatch.GetTimestamp();
                        if (plan.Blocks[b] is AttentionPlan<T> a) TransformerKernels.AttentionLayer(x, stride, n, a, scratch);
                        else TransformerKernels.Mlp(x, x, stride, n, (MlpPlan<T>)plan.Blocks[b], scratch);
                        t[b + 1] += Stopwatch.GetTimestamp() - t0;
                    }
                }
                if (warm.ElapsedMilliseconds < 700) continue;
                samples++;
                for (int i = 0; i < parts; i++)
                {
                    double us = t[i] * 1e6 / Stopwatch.Frequency / reps;
                    best[i] = Math.Min(best[i], us);
                    sum[i] += us;
                }
            }
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1}, n={2}): total min {3:0.000} us; embed {4:0.000}; {5}",
                name, typeof(T).Name, n, best.Sum(), best[0],
                string.Join("; ", plan.Blocks.Select((b, i) => string.Format(CultureInfo.InvariantCulture, "{0} {1:0.000}", Describe(b), best[i + 1])))));
        }

        private static string F(WeightForm f) => f == WeightForm.Triplets ? "T" : "R";

        private static string Describe<T>(BlockPlan<T> b) where T : unmanaged, IFloatingPointIeee754<T> => b switch
        {
            AttentionPlan<T> a => $"L{a.Layer}att[{string.Join(",", a.Heads.Select(h => $"q{h.Query.Count}k{h.Key.Count}v{h.Value.Count}o{h.Output.Count}{F(h.QueryKey.Form)}{F(h.OutputValue.Form)}"))}]",
            MlpPlan<T> m => $"L{m.Layer}mlp[i{m.Input.Count}h{m.HiddenSize}o{m.Output.Count}{F(m.Form)}]",
            _ => b.Name,
        };
    }
}
