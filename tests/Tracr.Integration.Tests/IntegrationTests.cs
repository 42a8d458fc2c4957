using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Tracr.Generated;
using Tracr.Tests.Golden;
using Xunit;
using Xunit.Abstractions;

namespace Tracr.Integration.Tests
{
    /// <summary>Which cases are generated, and with which settings.</summary>
    public class CoverageTests
    {
        public static IEnumerable<object[]> GoldenCases => ModelCase.Cases.Values.Where(c => c.Golden != null).Select(c => new object[] { c.Name });

        [Fact]
        public void Every_compilable_golden_case_has_a_generated_model()
        {
            var expected = ModelCase.CompilableGoldenCases.Except(ModelCase.ExcludedGoldenCases.Keys).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var generated = ModelCase.Cases.Values.Where(c => c.Golden != null).Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(expected, generated);
            Assert.Equal(80, expected.Count + ModelCase.ExcludedGoldenCases.Count);
        }

        [Fact]
        public void Larger_cases_are_library_programs_beyond_the_golden_settings()
        {
            var larger = ModelCase.Cases.Values.Where(c => c.Golden == null).ToList();
            Assert.NotEmpty(larger);
            Assert.Contains(larger, c => c.MaxSeqLen >= 16);
        }

        /// <summary>The attribute carries the golden file's vocab, max_seq_len, causal flag, BOS/PAD and mlp_exactness.</summary>
        [Theory]
        [MemberData(nameof(GoldenCases))]
        public void Attribute_settings_are_the_golden_case_settings(string name)
        {
            var c = ModelCase.Get(name);
            var g = c.Golden!;
            var a = c.Attribute;
            Assert.Equal(g.Vocab.Select(v => v.Repr()), ModelCase.AttributeVocab(a).Select(v => v.Repr()));
            Assert.Equal(g.MaxSeqLen, a.MaxSeqLen);
            Assert.Equal(g.Causal, a.Causal);
            Assert.Equal(g.Bos, a.CompilerBos);
            Assert.Equal(g.Pad, a.CompilerPad);
            Assert.Equal(g.MlpExactness, a.MlpExactness);
            Assert.Null(a.ModelName);
            Assert.Equal(name, c.Generated.ProgramName);
        }
    }

    /// <summary>The transformer the generator built at build time is the one the compiler builds at run time.</summary>
    public class GeneratedWeightsTests
    {
        public static IEnumerable<object[]> AllCases => ModelCase.Cases.Keys.Select(n => new object[] { n });

        /// <summary>
        /// Residual labels, tokens, BOS/PAD, embeddings, every block's dims and every RunMatrix's arrays of the
        /// generated model equal the run-time compilation of the same program with the same settings, exactly.
        /// </summary>
        [Theory]
        [MemberData(nameof(AllCases))]
        public void Generated_weights_equal_runtime_compiled_weights(string name)
        {
            var c = ModelCase.Get(name);
            var differences = Engines.WeightDifferences(c.Generated.Packed, c.Runtime.Packed);
            Assert.True(differences.Count == 0,
                $"{name}: the generated weights differ from the run-time compilation:\n  - " + string.Join("\n  - ", differences.Take(20)));
            // And the residual labels are the compiled graph's labels (so golden labels, for golden cases).
            Assert.Equal(c.Runtime.ResidualLabels, c.Generated.Packed.ResidualLabels);
        }

        /// <summary>
        /// The generated model runs the forward code emitted for it (not the generic kernels), in the
        /// precision the model's rule picks, with every block ForwardCode unrolls specialised.
        /// </summary>
        [Theory]
        [MemberData(nameof(AllCases))]
        public void Generated_models_run_their_emitted_forward_code(string name)
        {
            var engine = ModelCase.Get(name).Generated.Engine;
            Assert.IsNotType<Tracr.Generated.PlannedForward<float>>(engine.Program);
            Assert.IsNotType<Tracr.Generated.PlannedForward<double>>(engine.Program);
            Assert.Equal(Tracr.Generated.FastTransformer.ChoosePrecision(engine.Packed), engine.Precision);
            var expected = Transformer.ForwardCode.SpecialisedBlocks(engine.Packed);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, engine.SpecialisedBlocks);
        }
    }

    /// <summary>
    /// Five engines on the same inputs: the generated model (untyped <c>PredictValues</c> and typed <c>Predict</c> /
    /// <c>Apply</c>), the run-time compiled model on the fast forward pass and on the reference forward pass, the RASP
    /// evaluator, and the golden file's expected outputs.
    /// </summary>
    public class EngineAgreementTests
    {
        public const int RandomInputsPerCase = 30;

        // Tolerances: the generated and the run-time model share the fast forward pass and are compared exactly
        // (bit for bit). The fast pass runs in float32 for most models (FastTransformer.ChoosePrecision) while the
        // reference pass runs in float64, so outputs against the reference and against the evaluator get the golden
        // suite's tolerance (summary.agree_tolerance_numerical) and residuals a relative one (float32 rounding of
        // pre-activations up to PackedModel.SinglePrecisionScaleLimit; wrong weights are off by far more).
        private const double ReferenceTolerance = 1e-3;
        private const double ResidualTolerance = 1e-3;
        private const double ModelTolerance = 1e-3;
        private const double EvaluatorTolerance = 1e-6;
        private const int MaxReported = 8;

        private readonly ITestOutputHelper _output;

        public EngineAgreementTests(ITestOutputHelper output) { _output = output; }

        public static IEnumerable<object[]> AllCases => ModelCase.Cases.Keys.Select(n => new object[] { n });

        [Theory]
        [MemberData(nameof(AllCases))]
        public void Generated_runtime_reference_and_evaluator_agree(string name)
        {
            var c = ModelCase.Get(name);
            var failures = new List<string>();
            void Fail(string message)
            {
                if (failures.Count < MaxReported) failures.Add(message);
                else if (failures.Count == MaxReported) failures.Add("...");
            }

            int evaluatorChecked = 0;
            var samples = c.Golden?.Samples ?? Array.Empty<GoldenSample>();
            foreach (var s in samples)
            {
                var generated = CheckEngines(c, s.Input, Fail, compareResiduals: true);
                if (generated == null) continue;
                if (!Engines.Close(generated, s.Rasp, ModelTolerance))
                    Fail($"golden sample {Engines.Show(s.Input)}: expected (golden) {Engines.Show(s.Rasp)}, generated model gave {Engines.Show(generated)}");
                var evaluated = Rasp.Evaluate(c.Program, s.Input, c.EvaluateCausally);
                if (!Engines.Close(evaluated, s.Rasp, EvaluatorTolerance))
                    Fail($"golden sample {Engines.Show(s.Input)}: expected (golden) {Engines.Show(s.Rasp)}, evaluator gave {Engines.Show(evaluated)}");
                evaluatorChecked++;
            }

            int randomChecked = 0;
            foreach (var input in Engines.RandomInputs(name, c.Vocab, c.MaxSeqLen, RandomInputsPerCase))
            {
                var generated = CheckEngines(c, input, Fail, compareResiduals: false);
                if (generated == null) continue;

                // The evaluator is the truth where it is defined and the program is valid on the input
                // (Tracr's dynamic validation: e.g. a categorical aggregate that would average different values).
                IReadOnlyList<Value> evaluated;
                try
                {
                    evaluated = Rasp.Evaluate(c.Program, input, c.EvaluateCausally);
                }
                catch (Exception)
                {
                    continue;
                }
                if (RaspCompiler.Validate(c.Program, input, c.EvaluateCausally).Count > 0) continue;
                randomChecked++;
                if (!Engines.Close(generated, evaluated, ModelTolerance))
                    Fail($"random input {Engines.Show(input)}: evaluator gave {Engines.Show(evaluated)}, generated model {Engines.Show(generated)}");
            }

            _output.WriteLine($"{name}: {samples.Count} golden samples, {RandomInputsPerCase} random inputs ({randomChecked} valid for the evaluator); {c.Generated.Summary}");
            Assert.True(failures.Count == 0, $"{name}: engines disagree:\n  - " + string.Join("\n  - ", failures));
            Assert.Equal(samples.Count, evaluatorChecked);
            // Not vacuous: most random inputs are valid for the evaluator comparison.
            Assert.True(randomChecked >= RandomInputsPerCase / 3, $"{name}: only {randomChecked} of {RandomInputsPerCase} random inputs could be checked against the evaluator.");
        }

        /// <summary>
        /// Runs the generated model (untyped and typed), the run-time model on the fast and the reference forward
        /// pass, and reports every disagreement. Returns the generated model's outputs (null if an engine threw).
        /// </summary>
        private static Value[]? CheckEngines(ModelCase c, Value[] input, Action<string> fail, bool compareResiduals)
        {
            string shown = Engines.Show(input);
            Value[] generated, runtimeFast;
            TypedRun typed;
            ModelRun<Value> reference;
            try
            {
                generated = c.Generated.PredictValues(input);
                typed = Engines.RunTyped(c.Generated, input);
                runtimeFast = c.RuntimeFast.PredictValues(input);
                reference = c.Runtime.Apply(input);
            }
            catch (Exception e)
            {
                fail($"{shown}: {e.GetType().Name}: {e.Message}");
                return null;
            }

            if (!Engines.Identical(generated, runtimeFast))
                fail($"{shown}: generated model gave {Engines.Show(generated)}, run-time compiled model {Engines.Show(runtimeFast)}");
            if (!Engines.Close(typed.Predicted, generated, 0) || !Engines.Close(typed.Applied, generated, 0))
                fail($"{shown}: typed Predict gave {Engines.Show(typed.Predicted)}, typed Apply {Engines.Show(typed.Applied)}, PredictValues {Engines.Show(generated)}");
            if (!Engines.Close(reference.Outputs, generated, ReferenceTolerance))
                fail($"{shown}: reference forward pass gave {Engines.Show(reference.Outputs)}, generated model {Engines.Show(generated)}");
            if (compareResiduals)
            {
                double deviation = Engines.MaxResidualDeviation(typed.Residuals, reference.Residuals);
                if (!(deviation <= ResidualTolerance))
                    fail($"{shown}: generated residual stream deviates from the reference forward pass by {deviation:G3}");
            }
            return generated;
        }
    }
}
