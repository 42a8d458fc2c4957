using System;
using System.Linq;
using System.Threading;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>
    /// RaspCompiler.Compile honours its CancellationToken inside the passes' loops. Promptness is measured in work
    /// items (calls of the program's own functions after the token fired), not in time, so the tests cannot flake.
    /// </summary>
    public class CancellationTests
    {
        private static readonly Value[] Vocab = Enumerable.Range(0, 2000).Select(i => (Value)i).ToArray();

        [Fact]
        public void Cancelling_during_basis_inference_stops_before_the_next_function_call()
        {
            using var cts = new CancellationTokenSource();
            int calls = 0;
            var program = Map(x => { if (++calls == 100) cts.Cancel(); return x; }, Tokens);
            Assert.ThrowsAny<OperationCanceledException>(() => RaspCompiler.Compile(program, Vocab, 4, cancellationToken: cts.Token));
            Assert.Equal(100, calls);
        }

        [Fact]
        public void Cancelling_while_a_craft_block_is_built_stops_before_the_next_row()
        {
            // Basis inference calls the function once per vocab token; expr_to_craft again once per row of the MLP's table.
            using var cts = new CancellationTokenSource();
            int calls = 0;
            int cancelAt = Vocab.Length + 10;
            var program = Map(x => { if (++calls == cancelAt) cts.Cancel(); return x; }, Tokens);
            Assert.ThrowsAny<OperationCanceledException>(() => RaspCompiler.Compile(program, Vocab, 4, cancellationToken: cts.Token));
            Assert.Equal(cancelAt, calls);
        }

        [Fact]
        public void Cancelling_after_some_milliseconds_stops_a_long_compile_within_one_work_item()
        {
            // Each call takes at least 1 ms, so the 2,000 calls of basis inference alone take seconds.
            int calls = 0, callsWhenCancelled = -1;
            var program = Map(x => { Interlocked.Increment(ref calls); Thread.Sleep(1); return x; }, Tokens);
            using var cts = new CancellationTokenSource();
            cts.Token.Register(() => Volatile.Write(ref callsWhenCancelled, Volatile.Read(ref calls)));
            // A dedicated thread, not CancelAfter: the timer runs on the thread pool, which parallel test classes can starve.
            var canceller = new Thread(() => { Thread.Sleep(50); cts.Cancel(); }) { IsBackground = true };
            canceller.Start();
            Assert.ThrowsAny<OperationCanceledException>(() => RaspCompiler.Compile(program, Vocab, 4, cancellationToken: cts.Token));
            canceller.Join();
            // The token reads as cancelled before its callbacks run (on the canceller thread, done once it is joined).
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref callsWhenCancelled) >= 0, 10_000), "the cancellation callback never ran");
            // At most the call running when the token fired finishes; nothing starts after it.
            Assert.InRange(calls - callsWhenCancelled, 0, 1);
            Assert.True(calls < Vocab.Length, $"the compile ran to the end ({calls} calls) instead of stopping");
        }

        [Fact]
        public void An_already_cancelled_token_compiles_nothing()
        {
            int calls = 0;
            var program = Map(x => { calls++; return x; }, Tokens);
            Assert.ThrowsAny<OperationCanceledException>(() => RaspCompiler.Compile(program, Vocab, 4, cancellationToken: new CancellationToken(true)));
            Assert.Equal(0, calls);
        }
    }
}
