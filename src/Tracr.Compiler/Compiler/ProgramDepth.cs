using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace Tracr.Compiler
{
    /// <summary>
    /// The first check of a compile: the longest chain of operations in the program, computed with an explicit
    /// stack. The passes after it (lowering, graph extraction, layer allocation) walk the program recursively, and a
    /// source generator runs on threads with 1 MB of stack, where a chain of 3,000 SequenceMaps overflowed it and took
    /// the compiler process down. Programs deeper than <see cref="MaxDepth"/> are refused with
    /// <see cref="UnsupportedKind.ModelTooLarge"/> instead: such a program would compile to a transformer of as many
    /// layers (Tracr's own programs are under 30 deep).
    /// </summary>
    internal static class ProgramDepth
    {
        /// <summary>The longest chain of operations the compiler accepts (measured: 1,000 compiles on a 1 MB stack).</summary>
        public const int MaxDepth = 1000;

        /// <summary>The problem when <paramref name="program"/> is deeper than <see cref="MaxDepth"/>, else null.</summary>
        public static UnsupportedExpression? Check(RaspExpr program, CancellationToken cancellationToken = default)
        {
            var depth = new Dictionary<RaspExpr, int>();
            int steps = 0;
            foreach (var expr in RaspExpr.PostOrder(program))
            {
                if ((++steps & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
                int d = 0;
                foreach (var child in expr.Children) d = System.Math.Max(d, depth[child]);
                depth[expr] = d + 1;
                if (d + 1 > MaxDepth)
                    return new UnsupportedExpression(expr, null, UnsupportedKind.ModelTooLarge,
                        $"the program is a chain of more than {MaxDepth.ToString("N0", CultureInfo.InvariantCulture)} operations " +
                        $"(this node is {(d + 1).ToString("N0", CultureInfo.InvariantCulture)} deep), more than the compiler accepts; " +
                        "a transformer would need about as many layers");
            }
            return null;
        }
    }
}
