using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;
using Tracr.Runtime;
using Tracr.Tests.Golden;
using Tracr.Transformer;
using Xunit;

namespace Tracr.Tests
{
    /// <summary>
    /// The fast forward pass against the reference forward pass: on every golden case that compiles and
    /// on a batch of random programs, in every configuration (automatic, and each precision with each
    /// weight form forced), decoded outputs identical and residuals, block outputs and attention within
    /// <see cref="ForwardComparison.Tolerance"/> (docs/performance.md, "Equivalence").
    /// </summary>
    public class EquivalenceTests
    {
        internal static readonly (ForwardPrecision Precision, FormSelection Forms)[] Configurations =
        {
            (ForwardPrecision.Auto, FormSelection.Auto),
            (ForwardPrecision.Single, FormSelection.Triplets),
            (ForwardPrecision.Single, FormSelection.Rows),
            (ForwardPrecision.Double, FormSelection.Triplets),
            (ForwardPrecision.Double, FormSelection.Rows),
        };

        public static IEnumerable<object[]> GoldenCases =>
            GoldenData.CaseNames.Where(n => !GoldenData.Load(n).ExpectsError).Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(GoldenCases))]
        public void GoldenCaseMatchesTheReference(string name)
        {
            var golden = GoldenData.Load(name);
            CompiledModel model;
            try { model = GoldenPrograms.Get(name).Compile(); }
            catch (RaspCompilationException) { return; } // refused by our compiler: nothing to run (the compiler tests cover why)
            var inputs = ForwardComparison.Inputs(model, golden.Samples.Select(s => (IReadOnlyList<Value>)s.Input), seed: name.Length);
            foreach (var (precision, forms) in Configurations)
            {
                var fast = new FastTransformer(model.Packed, precision, forms);
                var ws = fast.CreateWorkspace();
                foreach (var ids in inputs)
                    ForwardComparison.AssertEquivalent(ForwardComparison.Compare(model.Assembled, fast, ids, ws),
                        ForwardComparison.Tolerance(fast.Precision), $"{name} ({precision}, {forms}), ids [{string.Join(",", ids)}]");
            }
        }

        [Fact]
        public void MostGoldenCasesCompileAndRun()
        {
            int runnable = ForwardComparison.GoldenModels().Count();
            Assert.True(runnable >= 60, $"Only {runnable} golden cases compile.");
        }

        public static IEnumerable<object[]> RandomChunks => Enumerable.Range(0, 10).Select(c => new object[] { 1 + c * 100 });

        /// <summary>Random programs (the compiler's differential-test generator), seeds 1..1000: automatic configuration and one forced configuration each.</summary>
        [Theory]
        [MemberData(nameof(RandomChunks))]
        public void RandomProgramsMatchTheReference(int firstSeed)
        {
            int checkedPrograms = 0;
            foreach (var (gp, model) in ForwardComparison.RandomModels(firstSeed, 100))
            {
                var inputs = ForwardComparison.Inputs(model, Array.Empty<Value[]>(), gp.Seed, random: 3);
                foreach (var (precision, forms) in new[] { Configurations[0], Configurations[1 + gp.Seed % 4] })
                {
                    var fast = new FastTransformer(model.Packed, precision, forms);
                    var ws = fast.CreateWorkspace();
                    foreach (var ids in inputs)
                        ForwardComparison.AssertEquivalent(ForwardComparison.Compare(model.Assembled, fast, ids, ws),
                            ForwardComparison.Tolerance(fast.Precision), $"random seed {gp.Seed} ({precision}, {forms}), ids [{string.Join(",", ids)}]\n{gp}");
                }
                checkedPrograms++;
            }
            Assert.True(checkedPrograms >= 70, $"Only {checkedPrograms} of 100 random programs compiled.");
        }

        [Fact]
        public void DoublePrecisionIsTheReferenceArithmetic()
        {
            // Same operations in the same order as the reference: the measured difference is zero.
            foreach (var (name, model, given) in ForwardComparison.GoldenModels().Where((_, i) => i % 5 == 0))
            {
                var fast = new FastTransformer(model.Packed, ForwardPrecision.Double);
                foreach (var ids in ForwardComparison.Inputs(model, given, 3, random: 2))
                {
                    var r = ForwardComparison.Compare(model.Assembled, fast, ids);
                    Assert.True(r.DecodedEqual && r.MaxError == 0, $"{name}: max error {r.MaxError:E2}");
                }
            }
        }
    }
}
