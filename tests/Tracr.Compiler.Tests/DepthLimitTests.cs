using System;
using System.Linq;
using System.Threading;
using Tracr.Compiler;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Compiler.Tests
{
    /// <summary>
    /// Deep programs on a 1 MB stack (a source generator's thread): evaluation and Map composition are iterative,
    /// and the compiler refuses a chain deeper than <see cref="ProgramDepth.MaxDepth"/> before its recursive passes.
    /// A stack overflow here would take the test host down, which fails the run.
    /// </summary>
    public class DepthLimitTests
    {
        private static T OnSmallStack<T>(Func<T> work)
        {
            T result = default!;
            Exception? error = null;
            var thread = new Thread(() => { try { result = work(); } catch (Exception e) { error = e; } }, 1024 * 1024);
            thread.Start();
            thread.Join();
            if (error != null) throw new AggregateException(error);
            return result;
        }

        private static SOp Chain(int length)
        {
            SOp x = Tokens;
            for (int i = 0; i < length; i++) x = SequenceMap((a, b) => a, x, Indices);
            return x;
        }

        [Fact]
        public void A_chain_of_100000_operations_evaluates_on_a_1MB_stack()
        {
            var output = OnSmallStack(() => Evaluate(Chain(100_000), new Value[] { 1, 2, 3 }));
            Assert.Equal(new Value[] { 1, 2, 3 }, output);
        }

        [Fact]
        public void A_chain_of_100000_maps_is_one_function_applied_in_a_loop_with_bounded_text()
        {
            SOp x = Tokens;
            for (int i = 0; i < 100_000; i++) x = new Map(v => v + 1, x, functionText: "x + 1");
            var map = Assert.IsType<Map>(x);
            Assert.Same(Tokens, map.Inner);
            Assert.Equal(Value.FromInt(100_001), OnSmallStack(() => map.Function(1)));
            Assert.True(map.FunctionText!.Length < 250, map.FunctionText);
            Assert.EndsWith("after 99,999 more functions", map.FunctionText);
        }

        [Fact]
        public void The_deepest_accepted_chain_compiles_on_a_1MB_stack_and_one_more_is_refused_naming_the_depth()
        {
            var vocab = new Value[] { 1, 2 };
            var deepest = OnSmallStack(() => RaspCompiler.Compile(Chain(ProgramDepth.MaxDepth - 1), vocab, 2));
            Assert.Equal(ProgramDepth.MaxDepth - 1, deepest.Assembled.Layers.Count(l => l.Mlp != null));

            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(Chain(ProgramDepth.MaxDepth), vocab, 2));
            var problem = Assert.Single(e.Unsupported);
            Assert.Equal(UnsupportedKind.ModelTooLarge, problem.Kind);
            Assert.Contains("this node is 1,001 deep", problem.Reason);
            Assert.Equal(problem.Reason, Assert.Single(RaspCompiler.Validate(Chain(100_000))).Reason);
        }
    }
}
