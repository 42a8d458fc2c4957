extern alias gen;
using System;
using System.Linq;
using System.Threading;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;
using CompileInput = gen::Tracr.Generators.Model.CompileInput;
using ProgramCompiler = gen::Tracr.Generators.Compiling.ProgramCompiler;
using TrackingNames = gen::Tracr.Generators.RaspProgramGenerator.TrackingNames;

namespace Tracr.Generators.Tests
{
    /// <summary>The generator's compile step hands its cancellation token to the compiler's passes.</summary>
    public class CompileCancellationTests
    {
        /// <summary>The compile step's input for sort over 0..63, read from a run at a length that compiles quickly.</summary>
        private static CompileInput SortInput(int maxSeqLen)
        {
            var compilation = GeneratorHarness.Compilation("""
                using Tracr;
                using static Tracr.Rasp;
                public static partial class P
                {
                    [RaspProgram(VocabFrom = 0, VocabTo = 63, MaxSeqLen = 2)]
                    static SOp Sort() => Library.MakeSort(Tokens, Tokens, maxSeqLen: 64, minKey: 1);
                }
                """);
            var result = GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult();
            var input = (CompileInput)result.Results[0].TrackedSteps[TrackingNames.CompileInput].SelectMany(s => s.Outputs).Single().Value;
            return input with { Options = input.Options with { MaxSeqLen = maxSeqLen } };
        }

        [Fact]
        public void A_cancelled_build_stops_inside_the_compilers_passes()
        {
            // sort 64/64 takes seconds to compile; the token fires after 100 ms, in the middle of the passes.
            var input = SortInput(64);
            using var cts = new CancellationTokenSource();
            // A dedicated thread, not CancelAfter: the timer runs on the thread pool, which the other test classes can
            // keep busy for seconds on 2 cores (CI once saw the whole 5 s compile finish before the timer fired).
            var canceller = new Thread(() => { Thread.Sleep(100); cts.Cancel(); }) { IsBackground = true };
            canceller.Start();
            var e = Assert.ThrowsAny<OperationCanceledException>(() => ProgramCompiler.Compile(input, cts.Token));
            canceller.Join();
            // Thrown by a pass of RaspCompiler.Compile, not by the compile step's own check after it returned.
            Assert.Contains("RaspCompiler.Compile", e.StackTrace);
        }

        [Fact]
        public void An_uncancelled_compile_step_still_produces_the_model()
        {
            var result = ProgramCompiler.Compile(SortInput(3), CancellationToken.None);
            Assert.NotNull(result.Source);
            Assert.Empty(result.Diagnostics);
        }
    }
}
