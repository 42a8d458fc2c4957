using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Integration.Tests
{
    /// <summary>
    /// Programs Tracr refuses or crashes on that compile here (issue 13), source-generated in this project's build:
    /// composite selectors over different keys and queries (summed scores and tuple keys), and numerical means of
    /// values other than 0 and 1. They run through every engine check of <see cref="EngineAgreementTests"/> and, in
    /// <see cref="BeyondTracrTests"/>, against the evaluator on every input.
    /// </summary>
    internal static partial class BeyondTracrModels
    {
        // Tracr's rasp_test has_prev: is there an earlier position with the same token? (summed scores: two parts)
        [RaspProgram(1, 2, 3, MaxSeqLen = 4)]
        internal static SOp has_prev() =>
            Map(x => x > 0 ? 1 : 0, Numerical(Aggregate(SelectorAnd(Select(Tokens, Tokens, Comparison.EQ), Select(Indices, Indices, Comparison.LT)), Numerical(Full(1)), 0)));

        // A disjunction over different pairs: tuple keys.
        [RaspProgram(1, 2, 3, MaxSeqLen = 4)]
        internal static SOp same_token_or_earlier_width() =>
            SelectorWidth(Select(Tokens, Tokens, Comparison.EQ) | Select(Indices, Indices, Comparison.LT));

        // Negated conjunction, causal: tuple keys under a causal mask.
        [RaspProgram(1, 2, 3, MaxSeqLen = 4, Causal = true)]
        internal static SOp not_and_width_causal() =>
            Numerical(SelectorWidth(~(Select(Tokens, Indices, Comparison.LT) & Select(Indices, Indices, Comparison.GEQ))));

        // Three parts, one negated, numerical mean of 0/1 (summed scores).
        [RaspProgram(1, 2, 3, MaxSeqLen = 4)]
        internal static SOp three_part_mean() =>
            Numerical(Aggregate((Select(Tokens, Indices, Comparison.GEQ) & ~Select(Indices, Tokens, Comparison.EQ)) & Select(Indices, Indices, Comparison.LT),
                Numerical(Map(x => x == 2 ? 1 : 0, Tokens)), 0));

        // Moving the token of an earlier equal token (categorical; every selected value is equal).
        [RaspProgram(1, 2, 3, MaxSeqLen = 4, Causal = true)]
        internal static SOp earlier_same_token_causal() =>
            Aggregate(Select(Tokens, Tokens, Comparison.EQ) & Select(Indices, Indices, Comparison.LT), Tokens);

        // The running mean of 2.5 * token - 3 (Tracr: "can only average binary variables").
        [RaspProgram(1, 2, 3, MaxSeqLen = 4)]
        internal static SOp running_mean_of_any_values() =>
            Numerical(Aggregate(Select(Indices, Indices, Comparison.LEQ), Numerical(Map(x => 2.5 * x - 3, Tokens)), 0));

        // A mean of any values read by a discretising MLP: is the running mean above 1?
        [RaspProgram(1, 2, 3, MaxSeqLen = 4)]
        internal static SOp running_mean_above_one() =>
            Map(x => x > 1 ? 1 : 0, Numerical(Aggregate(Select(Indices, Indices, Comparison.LEQ), Numerical(Map(x => 2.5 * x - 3, Tokens)), 0)));
    }

    public class BeyondTracrTests
    {
        public static IEnumerable<object[]> Cases => ModelCase.Cases.Values.Where(c => c.Method.DeclaringType == typeof(BeyondTracrModels)).Select(c => new object[] { c.Name });

        [Fact]
        public void Every_case_is_discovered()
        {
            var methods = typeof(BeyondTracrModels).GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)
                .Where(m => m.GetCustomAttributes(typeof(RaspProgramAttribute), false).Length > 0).Select(m => m.Name).OrderBy(n => n);
            Assert.Equal(methods, Cases.Select(c => (string)c[0]).OrderBy(n => n));
            Assert.Equal(7, Cases.Count());
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void The_generated_model_agrees_with_the_evaluator_on_every_input(string name)
        {
            var c = ModelCase.Get(name);
            int compared = 0;
            var inputs = new List<Value[]> { Array.Empty<Value>() };
            for (int n = 1; n <= c.MaxSeqLen; n++)
            {
                inputs = inputs.SelectMany(prefix => c.Vocab.Select(v => prefix.Append(v).ToArray())).ToList();
                foreach (var input in inputs)
                {
                    var expected = Rasp.Evaluate(c.Program, input, c.EvaluateCausally);
                    var generated = Engines.RunTyped(c.Generated, input).Predicted;
                    Assert.True(Engines.Close(generated, expected, 1e-3),
                        $"{name} on {Engines.Show(input)}: generated model {Engines.Show(generated)}, evaluator {Engines.Show(expected)}");
                    compared++;
                }
            }
            Assert.Equal(Enumerable.Range(1, c.MaxSeqLen).Sum(n => (int)Math.Pow(c.Vocab.Count, n)), compared);
        }
    }
}
