using System.Linq;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>
    /// The evaluator's Aggregate is Tracr's <c>_mean</c> at the pinned commit: nothing selected gives the default, a
    /// single selected value is returned as it is, several numbers are averaged. Cases from Tracr's rasp_test.py.
    /// </summary>
    public class EvaluatorAggregateTests
    {
        private static ConstantSelector Sel(params bool[][] rows) => new ConstantSelector(rows);
        private static bool[] R(params bool[] row) => row;

        public static TheoryData<bool[][], Value[], Value, Value[]> RaspTestCases() => new TheoryData<bool[][], Value[], Value, Value[]>
        {
            { new[] { R(true, false), R(false, true) }, new Value[] { "h", "e" }, Value.None, new Value[] { "h", "e" } },
            { new[] { R(false, true), R(false, false) }, new Value[] { "h", "e" }, Value.None, new Value[] { "e", Value.None } },
            { new[] { R(true, false), R(false, false) }, new Value[] { "h", "e" }, Value.None, new Value[] { "h", Value.None } },
            { new[] { R(true, true), R(false, true) }, new Value[] { 0, 1 }, 0, new Value[] { 0.5, 1 } },
            { new[] { R(false, false), R(true, true) }, new Value[] { 0, 1 }, 0, new Value[] { 0, 0.5 } },
            { new[] { R(false, false), R(true, true) }, new Value[] { 0, 1 }, Value.None, new Value[] { Value.None, 0.5 } },
        };

        [Theory]
        [MemberData(nameof(RaspTestCases))]
        public void Aggregate_on_size_2_inputs_matches_rasp_test(bool[][] selector, Value[] values, Value @default, Value[] expected)
        {
            var program = new Aggregate(Sel(selector), new ConstantSOp(values), @default);
            var actual = Rasp.Evaluate(program, new Value[] { 0, 0 });
            Assert.Equal(expected, actual);
            // A query selecting one value gets that value, with its type (Tracr: [0.5, 1], not [0.5, 1.0]).
            for (int q = 0; q < selector.Length; q++)
                if (selector[q].Count(x => x) == 1) Assert.Equal(values[System.Array.IndexOf(selector[q], true)].Kind, actual[q].Kind);
        }

        [Fact]
        public void A_single_selected_value_is_returned_as_it_is()
        {
            var reverse = Library.MakeReverse(Tokens);
            var output = Rasp.Evaluate(reverse, new Value[] { 1, 2, 3 });
            Assert.Equal(new Value[] { 3, 2, 1 }, output);
            Assert.All(output, v => Assert.Equal(ValueKind.Int, v.Kind));
        }

        [Fact]
        public void Several_numbers_are_averaged_floats_included()
        {
            var all = new ConstantSelector(new[] { R(true, true), R(true, true) });
            Assert.Equal(new Value[] { 0.5, 0.5 }, Rasp.Evaluate(new Aggregate(all, new ConstantSOp(new Value[] { 1.0, 0.0 }), 0), new Value[] { 0, 0 }));
            Assert.Equal(new Value[] { 1.75, 1.75 }, Rasp.Evaluate(new Aggregate(all, new ConstantSOp(new Value[] { 2.5, 1 }), 0), new Value[] { 0, 0 }));
            var mixed = Assert.Throws<System.InvalidOperationException>(() =>
                Rasp.Evaluate(new Aggregate(all, new ConstantSOp(new Value[] { "a", "b" })), new Value[] { 0, 0 }));
            Assert.Contains("position 0", mixed.Message);
        }

        [Fact]
        public void Has_prev_from_rasp_test()
        {
            SOp HasPrev(SOp seq)
            {
                var prevCopy = SelectorAnd(Select(seq, seq, Comparison.EQ), Select(Indices, Indices, Comparison.LT));
                return Map(x => x.AsDouble > 0 ? 1 : 0, Numerical(Aggregate(prevCopy, Full(1), 0)));
            }
            Value[] Ints(params int[] xs) => xs.Select(x => (Value)x).ToArray();
            Assert.Equal(Ints(0, 0, 0, 1, 0), Rasp.Evaluate(HasPrev(Tokens), "hello".Select(c => (Value)c.ToString()).ToArray()));
            Assert.Equal(Ints(0, 0, 0, 1, 1, 0), Rasp.Evaluate(HasPrev(Tokens), "helllo".Select(c => (Value)c.ToString()).ToArray()));
            Assert.Equal(Ints(0, 0, 0, 1, 0, 1, 1), Rasp.Evaluate(HasPrev(Tokens), Ints(0, 2, 3, 2, 1, 0, 2)));
        }

        /// <summary>Rasp.Evaluate is the one evaluator door: S-ops and selectors, plain or causal, with argument checks.</summary>
        [Fact]
        public void Rasp_Evaluate_masks_selectors_and_length_when_causal()
        {
            var input = new Value[] { "a", "b", "c" };
            var all = Select(Tokens, Tokens, Comparison.TRUE);
            Assert.True(Rasp.Evaluate(all, input).All(row => row.All(b => b)));
            var masked = Rasp.Evaluate(all, input, causal: true);
            for (int q = 0; q < 3; q++)
                for (int k = 0; k < 3; k++)
                    Assert.Equal(k <= q, masked[q][k]);
            Assert.Equal(new Value[] { 3, 3, 3 }, Rasp.Evaluate(Length, input));
            Assert.Equal(new Value[] { 1, 2, 3 }, Rasp.Evaluate(Length, input, causal: true));
            Assert.Equal(new Value[] { 1, 2, 3 }, Rasp.Evaluate(SelectorWidth(all), input, causal: true));
            Assert.Throws<System.ArgumentNullException>(() => Rasp.Evaluate((SOp)null!, input));
            Assert.Throws<System.ArgumentNullException>(() => Rasp.Evaluate(Tokens, null!));
        }
    }
}
