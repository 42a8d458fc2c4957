using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>
    /// Composite selectors (&amp;, |, ~ over different keys and queries) and numerical means of any values, compiled
    /// and checked exhaustively (every input over vocab {1, 2, 3} up to length 4) against the evaluator, under both
    /// constructions, causal and not.
    /// </summary>
    public class CompositeSelectorTests
    {
        private static readonly Value[] Vocab = { 1, 2, 3 };
        private const int MaxSeqLen = 4;
        private readonly ITestOutputHelper _output;

        public CompositeSelectorTests(ITestOutputHelper output) { _output = output; }

        private static Select S(SOp keys, SOp queries, Comparison c) => new Select(keys, queries, Predicate.FromComparison(c));

        /// <summary>Selectors by name; "summed" ones are conjunctions of per-pair conditions, the others need tuple keys.</summary>
        public static readonly IReadOnlyDictionary<string, Func<Selector>> Selectors = new Dictionary<string, Func<Selector>>
        {
            // Tracr's rasp_test has_prev: the same token, earlier.
            ["same_token_earlier"] = () => SelectorAnd(S(Tokens, Tokens, Comparison.EQ), S(Indices, Indices, Comparison.LT)),
            ["leq_token_not_here"] = () => S(Tokens, Tokens, Comparison.LEQ) & ~S(Indices, Indices, Comparison.EQ),
            ["three_parts"] = () => (S(Tokens, Indices, Comparison.GEQ) & ~S(Indices, Tokens, Comparison.EQ)) &
                                    SelectorOr(S(Indices, Indices, Comparison.LT), S(Indices, Indices, Comparison.GT), simplify: false),
            ["same_token_or_earlier"] = () => S(Tokens, Tokens, Comparison.EQ) | S(Indices, Indices, Comparison.LT),
            ["not_and"] = () => ~(S(Tokens, Indices, Comparison.LT) & S(Indices, Indices, Comparison.GEQ)),
            ["nested_or_and"] = () => (S(Tokens, Tokens, Comparison.GT) & S(Indices, Indices, Comparison.LEQ)) | ~S(Tokens, Indices, Comparison.NEQ),
        };

        public static TheoryData<string, bool, bool> Cases()
        {
            var data = new TheoryData<string, bool, bool>();
            foreach (var name in Selectors.Keys)
                foreach (bool tuple in new[] { false, true })
                    foreach (bool causal in new[] { false, true })
                        data.Add(name, tuple, causal);
            return data;
        }

        /// <summary>Programs over one selector: a numerical mean of 0/1, a mean of other values, widths, a categorical move.</summary>
        private static IEnumerable<(string Name, SOp Program)> Programs(Func<Selector> selector)
        {
            yield return ("mean_01", Numerical(Aggregate(selector(), Numerical(Map(x => x == 2 ? 1 : 0, Tokens)), 0)));
            yield return ("mean_2.5x", Numerical(Aggregate(selector(), Numerical(Map(x => 2.5 * x.AsDouble - 3, Tokens)), 0)));
            yield return ("width", SelectorWidth(selector()));
            yield return ("width_numerical", Numerical(SelectorWidth(selector())));
            // Moving tokens categorically is only defined where every selected key holds the same token: AND with "same token".
            yield return ("move", Aggregate(selector() & S(Tokens, Tokens, Comparison.EQ), Tokens));
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public void Compiled_composites_agree_with_the_evaluator_on_every_input(string selectorName, bool tupleKeys, bool causal)
        {
            var options = new CompilerOptions
            {
                Causal = causal,
                CompositeSelectors = tupleKeys ? CompositeSelectorConstruction.TupleKeys : CompositeSelectorConstruction.Auto,
            };
            int checkedOutputs = 0;
            foreach (var (name, program) in Programs(Selectors[selectorName]))
            {
                var model = RaspCompiler.Compile(program, Vocab, MaxSeqLen, options);
                foreach (var input in AllInputs())
                {
                    var expected = Rasp.Evaluate(program, input, causal);
                    var actual = model.Apply(input).Outputs;
                    for (int i = 0; i < input.Length; i++, checkedOutputs++)
                        Assert.True(Agree(expected[i], actual[i], program.IsNumerical),
                            $"{selectorName}/{name} ({(tupleKeys ? "tuple keys" : "auto")}, causal {causal}) on [{string.Join(", ", input.Select(v => v.Repr()))}] " +
                            $"position {i}: model {actual[i].Repr()}, evaluator {expected[i].Repr()}");
                }
            }
            Assert.Equal(5 * AllInputs().Sum(x => x.Length), checkedOutputs);
        }

        [Fact]
        public void Auto_sums_scores_for_conjunctions_and_lowers_the_rest_to_tuple_keys()
        {
            SOp Width(string name) => SelectorWidth(Selectors[name]());
            // A conjunction stays one head over the parts' spaces: no SequenceMap, as many layers as a plain Select.
            var summed = RaspCompiler.Compile(Width("same_token_earlier"), Vocab, MaxSeqLen);
            Assert.DoesNotContain(summed.Graph.Nodes, n => n.Expr is SequenceMap);
            Assert.Contains(summed.Graph.Nodes, n => n.Expr is SelectorAnd);
            Assert.Equal(RaspCompiler.Compile(SelectorWidth(S(Tokens, Tokens, Comparison.EQ)), Vocab, MaxSeqLen).Assembled.Layers.Count,
                summed.Assembled.Layers.Count);
            // A disjunction over different pairs needs tuple keys: one Select over SequenceMap tuples, shared by keys and queries.
            var tuple = RaspCompiler.Compile(Width("same_token_or_earlier"), Vocab, MaxSeqLen);
            Assert.DoesNotContain(tuple.Graph.Nodes, n => n.Expr is SelectorOr);
            var select = (Select)tuple.Graph.Nodes.Single(n => n.Expr is Select).Expr;
            Assert.Same(select.Keys, select.Queries);
            Assert.IsType<SequenceMap>(select.Keys);
        }

        [Fact]
        public void Summed_scores_are_never_larger_than_tuple_keys_and_sizes_are_reported()
        {
            foreach (var name in Selectors.Keys)
            {
                var program = Numerical(Aggregate(Selectors[name](), Numerical(Map(x => x == 2 ? 1 : 0, Tokens)), 0));
                var auto = RaspCompiler.Compile(program, Vocab, MaxSeqLen);
                var tuple = RaspCompiler.Compile(program, Vocab, MaxSeqLen, new CompilerOptions { CompositeSelectors = CompositeSelectorConstruction.TupleKeys });
                _output.WriteLine($"{name}: auto {Size(auto)}; tuple keys {Size(tuple)}");
                Assert.True(auto.Assembled.ParameterCount <= tuple.Assembled.ParameterCount, name);
                bool summable = !auto.Graph.Nodes.Any(n => n.Expr is SequenceMap);
                if (summable) Assert.True(auto.Assembled.ParameterCount < tuple.Assembled.ParameterCount, name);
            }
        }

        [Fact]
        public void Constant_selectors_inside_a_composite_are_still_refused()
        {
            var constant = new ConstantSelector(new[] { new[] { true } });
            var program = SelectorWidth(S(Tokens, Tokens, Comparison.EQ) & constant).Named("w");
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(program, Vocab, MaxSeqLen));
            Assert.Equal(UnsupportedKind.UncompilableSelector, Assert.Single(e.Unsupported).Kind);
            Assert.Contains("constant selector", e.Message);
            // The run-time form docs/diagnostics/TRACR204.md shows.
            var plain = SelectorWidth(new ConstantSelector(new[] { new[] { true, false }, new[] { true, true } }));
            var refused = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(plain, Vocab, 2));
            Assert.Contains("selector_width_1: SelectorWidth uses the constant selector 'constant_selector', which has no transformer construction.", refused.Message);
        }

        [Fact]
        public void A_leaf_over_a_numerical_sop_is_named_by_validation()
        {
            var numerical = Numerical(Map(x => x, Tokens)).Named("num");
            var program = SelectorWidth(S(numerical, Tokens, Comparison.EQ) | S(Indices, Indices, Comparison.LT));
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(program, Vocab, MaxSeqLen));
            Assert.Contains(e.Unsupported, u => u.Kind == UnsupportedKind.NumericalSelectorInput && u.Reason.Contains("num"));
        }

        internal static string Size(CompiledModel m)
        {
            var t = m.Assembled;
            long neurons = t.Layers.Sum(l => (long)(l.Mlp?.HiddenSize ?? 0));
            return $"{t.Layers.Count} layers, {t.HeadCount} heads, width {t.Width}, {neurons} MLP neurons, {t.ParameterCount} params";
        }

        private static bool Agree(Value expected, Value actual, bool numerical) =>
            numerical
                ? expected.IsNumeric && actual.IsNumeric && Math.Abs(expected.AsDouble - actual.AsDouble) <= 1e-3
                : expected.Equals(actual);

        private static List<Value[]> AllInputs()
        {
            var result = new List<Value[]>();
            var current = new List<Value[]> { Array.Empty<Value>() };
            for (int n = 1; n <= MaxSeqLen; n++)
            {
                current = current.SelectMany(prefix => Vocab.Select(v => prefix.Append(v).ToArray())).ToList();
                result.AddRange(current);
            }
            return result;
        }
    }
}
