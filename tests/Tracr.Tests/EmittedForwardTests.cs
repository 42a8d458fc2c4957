using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Tracr.Generated;
using Tracr.Runtime;
using Tracr.Transformer;
using Xunit;
using Xunit.Abstractions;

namespace Tracr.Tests
{
    /// <summary>
    /// The forward code the source generator emits per model (<see cref="ForwardCode"/>), compiled with
    /// Roslyn: on every golden case that compiles and on 300 random programs, in the precision the model's
    /// rule picks and in float64, decoded outputs identical to the reference forward pass and residuals,
    /// block outputs and attention within <see cref="ForwardComparison.Tolerance"/>; in float64 equal to
    /// the reference exactly. (The generator's own output is covered end to end by Tracr.Integration.Tests.)
    /// </summary>
    public class EmittedForwardTests : IClassFixture<EmittedForwardTests.Programs>
    {
        private readonly Programs _programs;
        private readonly ITestOutputHelper _output;

        public EmittedForwardTests(Programs programs, ITestOutputHelper output)
        {
            _programs = programs;
            _output = output;
        }

        /// <summary>Every model, emitted twice (automatic precision, forced float64), compiled once for the class.</summary>
        public sealed class Programs
        {
            public Programs()
            {
                Cases = ForwardComparison.GoldenModels().Select(g => (g.Name, g.Model, g.Inputs, 0))
                    .Concat(ForwardComparison.RandomModels(1, 300).Select(r => ($"random seed {r.Program.Seed}\n{r.Program}", r.Model, new List<IReadOnlyList<Value>>(), r.Program.Seed)))
                    .ToList();
                var emitted = ForwardCodeCompiler.Compile(Cases.SelectMany(c => new[] { (c.Model.Packed, (bool?)null), (c.Model.Packed, (bool?)true) }).ToList());
                Auto = Cases.Select((_, i) => emitted[2 * i]).ToList();
                Double = Cases.Select((_, i) => emitted[2 * i + 1]).ToList();
            }

            public List<(string Name, CompiledModel Model, List<IReadOnlyList<Value>> Inputs, int Seed)> Cases { get; }
            public List<Func<FastTransformer>> Auto { get; }
            public List<Func<FastTransformer>> Double { get; }
        }

        [Fact]
        public void EveryModelMatchesTheReferenceInItsPrecision()
        {
            int goldens = 0, randoms = 0;
            for (int i = 0; i < _programs.Cases.Count; i++)
            {
                var (name, model, given, seed) = _programs.Cases[i];
                var fast = _programs.Auto[i]();
                Assert.Equal(FastTransformer.ChoosePrecision(model.Packed), fast.Precision);
                var ws = fast.CreateWorkspace();
                foreach (var ids in ForwardComparison.Inputs(model, given, seed + name.Length, random: seed == 0 ? 6 : 3))
                    ForwardComparison.AssertEquivalent(ForwardComparison.Compare(model.Assembled, fast, ids, ws),
                        ForwardComparison.Tolerance(fast.Precision), $"{name} (emitted, {fast.Precision}), ids [{string.Join(",", ids)}]");
                if (seed == 0) goldens++; else randoms++;
            }
            _output.WriteLine($"{goldens} golden and {randoms} random models");
            Assert.True(goldens >= 60 && randoms >= 200, $"Only {goldens} golden and {randoms} random models compiled.");
        }

        [Fact]
        public void InFloat64TheEmittedCodeIsTheReferenceArithmetic()
        {
            for (int i = 0; i < _programs.Cases.Count; i++)
            {
                var (name, model, given, seed) = _programs.Cases[i];
                var fast = _programs.Double[i]();
                Assert.Equal(ForwardPrecision.Double, fast.Precision);
                var ws = fast.CreateWorkspace();
                foreach (var ids in ForwardComparison.Inputs(model, given, seed + 7, random: 2))
                {
                    var r = ForwardComparison.Compare(model.Assembled, fast, ids, ws);
                    // The same operations in the same order, except exp: the SIMD exp (Vector256/512.Exp) differs from the
                    // reference's Math.Exp by up to 1.5 ulp on some inputs (measured: 421 of 1,001 points of [-100, 0]),
                    // e.g. random seed 271's BOS weight e^-50/8 by 5.9e-39. Anything but exp would show far above this bound.
                    Assert.True(r.DecodedEqual && r.MaxError <= 1e-14, $"{name}, ids [{string.Join(",", ids)}]: {r.DecodedMismatch} max error {r.MaxError:E2}");
                }
            }
        }

        [Fact]
        public void MostBlocksAreSpecialised()
        {
            int heads = 0, mlps = 0, unrolledHeads = 0, unrolledMlps = 0;
            for (int i = 0; i < _programs.Cases.Count; i++)
            {
                var fast = _programs.Auto[i]();
                Assert.Equal(ForwardCode.SpecialisedBlocks(fast.Packed), fast.SpecialisedBlocks);
                heads += fast.Packed.Blocks.OfType<PackedAttention>().Sum(a => a.Heads.Length);
                mlps += fast.Packed.Blocks.OfType<PackedMlp>().Count();
                unrolledHeads += fast.SpecialisedBlocks.Count(s => s.Contains(" head "));
                unrolledMlps += fast.SpecialisedBlocks.Count(s => s.EndsWith(" mlp", StringComparison.Ordinal));
            }
            _output.WriteLine($"unrolled: {unrolledHeads} of {heads} heads, {unrolledMlps} of {mlps} MLPs");
            Assert.True(unrolledHeads * 10 >= heads * 9 && unrolledMlps * 10 >= mlps * 9, $"unrolled only {unrolledHeads} of {heads} heads and {unrolledMlps} of {mlps} MLPs");
        }

        [Fact]
        public void TheEmittedFastPathAllocatesNothing()
        {
            var (_, model, _, _) = _programs.Cases.First(c => c.Name == "lib_make_sort");
            var fast = _programs.Auto[_programs.Cases.FindIndex(c => c.Name == "lib_make_sort")]();
            var ws = fast.CreateWorkspace();
            var rng = new Random(2);
            var inputs = Enumerable.Range(0, 8).Select(i => ForwardComparison.RandomIds(model, rng, 1 + i % model.MaxSeqLen)).ToArray();
            var outputs = new int[model.MaxSeqLen];
            void RunAll() { foreach (var ids in inputs) fast.PredictCategorical(ids, outputs, ws); }
            FastPathTests.AssertSteadyStateAllocatesNothing(RunAll);
        }

        [Fact]
        public void CodeForAnotherModelIsRefused()
        {
            int sort = _programs.Cases.FindIndex(c => c.Name == "lib_make_sort");
            int hist = _programs.Cases.FindIndex(c => c.Name == "lib_make_hist");
            var type = _programs.Auto[sort]().Program.GetType();
            // The generic code class (Forward<R, V>) takes the plan; its factory picks the register width.
            var plan = new ModelPlan<float>(_programs.Cases[hist].Model.Packed);
            var e = Assert.Throws<TargetInvocationException>(() => Activator.CreateInstance(type, plan));
            Assert.IsType<InvalidOperationException>(e.InnerException);
            Assert.Contains("was generated for another model", e.InnerException!.Message);
        }

        [Fact]
        public void BadBuffersAreRefusedBeforeAnyUncheckedAccess()
        {
            var fast = _programs.Auto[_programs.Cases.FindIndex(c => c.Name == "lib_make_sort")]();
            var program = (ForwardProgram<float>)fast.Program;
            var scratch = new KernelScratch<float>(program.Plan.Sizes);
            int stride = Simd.Pad<float>(3);
            var x = new float[program.Plan.Width * stride];
            Assert.Throws<ArgumentException>(() => program.RunBlocks(x.AsSpan(0, x.Length - 1), stride, 3, scratch));
            Assert.Throws<ArgumentOutOfRangeException>(() => program.RunBlocks(x, stride, program.Plan.MaxPositions + 1, scratch));
            Assert.Throws<ArgumentOutOfRangeException>(() => program.RunBlocks(x, stride - 1, 3, scratch));
            var other = new KernelScratch<float>(program.Plan.Sizes with { Width = program.Plan.Sizes.Width + 1 });
            Assert.Throws<ArgumentException>(() => program.RunBlocks(x, stride, 3, other));
            var logits = new float[2 * stride];
            Assert.Throws<ArgumentException>(() => program.RunHead(0, 0, x, x, stride, 3, scratch, logits, logits));
        }
    }
}
