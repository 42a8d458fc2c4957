using Tracr;
using static Tracr.Rasp;

namespace Tracr.Playground
{
    /// <summary>
    /// Helpers that [RaspProgram] bodies call. The source generator evaluates them at build time with the
    /// arguments of each call (editing one regenerates the programs that use it, and only those).
    /// </summary>
    internal static class RaspHelpers
    {
        /// <summary>The value of <paramref name="sop"/> <paramref name="offset"/> positions earlier (None before the start).</summary>
        public static SOp Lag(SOp sop, int offset)
        {
            var earlier = Select(Indices, Indices, (k, q) => k == q - offset).Named($"select_lag_{offset}");
            return Aggregate(earlier, sop).Named($"lag_{offset}");
        }
    }
}
