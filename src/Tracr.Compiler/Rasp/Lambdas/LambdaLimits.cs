using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

namespace Tracr.Lambdas
{
    /// <summary>
    /// Limits on one call of a lambda (docs/build-time.md lists them): a lambda runs inside the compiler, once per
    /// input value, so a runaway loop, recursion or allocation must stop with a clear error, not hang the IDE.
    /// </summary>
    internal static class LambdaLimits
    {
        /// <summary>Evaluation steps (operations, statements, loop iterations) in one call of a lambda.</summary>
        public const int MaxSteps = 1_000_000;

        /// <summary>Nested calls of helper methods, local functions and lambdas (recursion depth).</summary>
        public const int MaxCallDepth = 100;

        /// <summary>Length of one string, array or collection.</summary>
        public const int MaxElements = 1_000_000;

        /// <summary>Elements of all strings, arrays and collections created in one call.</summary>
        public const int MaxTotalElements = 10_000_000;

        [ThreadStatic] private static CancellationToken _cancellation;

        /// <summary>
        /// The cancellation lambdas observe on this thread (lambdas run inside <c>Func</c>s the compiler calls, so the
        /// token cannot be passed as an argument): the generator sets it around a build so an IDE keystroke stops a long evaluation.
        /// </summary>
        public static IDisposable Observe(CancellationToken token)
        {
            var previous = _cancellation;
            _cancellation = token;
            return new Restore(() => _cancellation = previous);
        }

        internal static CancellationToken Cancellation => _cancellation;

        private sealed class Restore : IDisposable
        {
            private Action? _undo;
            public Restore(Action undo) { _undo = undo; }
            public void Dispose() { _undo?.Invoke(); _undo = null; }
        }
    }

    /// <summary>A lambda cannot be evaluated (a member that is not admitted, a type not in this process, ...).</summary>
    internal class LambdaException : InvalidOperationException
    {
        public LambdaException(string message) : base(message) { }
    }

    /// <summary>A lambda exceeded one of the <see cref="LambdaLimits"/>.</summary>
    internal sealed class LambdaLimitException : LambdaException
    {
        public LambdaLimitException(string message) : base(message) { }
    }

    /// <summary>The counters of one call of a lambda.</summary>
    internal sealed class LambdaBudget
    {
        private long _steps;
        private long _elements;
        private readonly CancellationToken _cancellation = LambdaLimits.Cancellation;

        public int Depth;

        public void Tick()
        {
            if (++_steps > LambdaLimits.MaxSteps)
                throw new LambdaLimitException($"the lambda took more than {LambdaLimits.MaxSteps:N0} steps for one input (is a loop unbounded?)");
            if ((_steps & 1023) == 0) _cancellation.ThrowIfCancellationRequested();
        }

        public void Enter(string what)
        {
            if (++Depth > LambdaLimits.MaxCallDepth)
                throw new LambdaLimitException($"calls nest deeper than {LambdaLimits.MaxCallDepth} levels in {what} (is the recursion bounded?)");
        }

        public void Allocate(long count, object where)
        {
            if (count > LambdaLimits.MaxElements)
                throw new LambdaLimitException($"{where} holds {count:N0} elements, more than the build-time limit of {LambdaLimits.MaxElements:N0}");
            if ((_elements += count) > LambdaLimits.MaxTotalElements)
                throw new LambdaLimitException($"the lambda created more than {LambdaLimits.MaxTotalElements:N0} elements (strings, arrays, collections) for one input");
        }

        public void CountResult(object? result, object where)
        {
            int n = Size(result);
            if (n > 0) Allocate(n, where);
        }

        private static readonly ConcurrentDictionary<Type, Func<object, int>?> Counters = new ConcurrentDictionary<Type, Func<object, int>?>();

        /// <summary>The length of a string, array, string builder or collection (0 for anything else).</summary>
        public static int Size(object? value)
        {
            switch (value)
            {
                case null: return 0;
                case string s: return s.Length;
                case Array a: return a.Length;
                case System.Collections.ICollection c: return c.Count;
                case System.Text.StringBuilder sb: return sb.Length;
            }
            var counter = Counters.GetOrAdd(value.GetType(), t =>
            {
                var collection = t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollection<>));
                var count = collection?.GetProperty("Count");
                return count is null ? null : o => (int)count.GetValue(o)!;
            });
            return counter?.Invoke(value) ?? 0;
        }
    }

    /// <summary>The state of one call of a lambda: its variable slots, the helper table, the budget.</summary>
    internal sealed class LambdaContext
    {
        public LambdaContext(LambdaFunction function, object?[] slots, LambdaBudget budget)
        {
            Function = function;
            Slots = slots;
            Budget = budget;
        }

        public LambdaFunction Function { get; }
        public object?[] Slots { get; }
        public LambdaBudget Budget { get; }
        public object? ReturnValue;

        /// <summary>Objects under construction whose initializers run (<c>new List&lt;int&gt; { 1, 2 }</c>).</summary>
        public readonly Stack<object?> Receivers = new Stack<object?>();
    }

    /// <summary>
    /// Runs lambdas under the invariant culture, the culture docs/build-time.md promises for ToString, Parse and
    /// string formatting: what a lambda computes must not depend on the culture of the machine that builds it.
    /// (The analyzer rule against CurrentCulture guards against that same dependence; here it is the cure, restored on exit.)
    /// </summary>
#pragma warning disable RS1035
    internal readonly struct InvariantCulture : IDisposable
    {
        private readonly CultureInfo? _previous;

        private InvariantCulture(CultureInfo previous) { _previous = previous; }

        public static InvariantCulture Enter()
        {
            var current = CultureInfo.CurrentCulture;
            if (ReferenceEquals(current, CultureInfo.InvariantCulture)) return default;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            return new InvariantCulture(current);
        }

        public void Dispose()
        {
            if (_previous != null) CultureInfo.CurrentCulture = _previous;
        }
    }
#pragma warning restore RS1035
}
