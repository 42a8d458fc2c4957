using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>Large models: sort over 64 tokens at length 64, shuffle_dyck at length 32 (figures in docs/scale.md).</summary>
    public class ScaleTests
    {
        private readonly ITestOutputHelper _output;

        public ScaleTests(ITestOutputHelper output) { _output = output; }

        [Fact]
        public void Sort_with_vocab_64_at_length_64_is_exact()
        {
            var vocab = Enumerable.Range(0, 64).Select(i => (Value)i).ToArray();
            var sort = Library.MakeSort(Tokens, Tokens, 64, 1);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var model = RaspCompiler.Compile(sort, vocab, 64);
            _output.WriteLine($"sort 64/64: compiled in {watch.ElapsedMilliseconds} ms; {model}; {model.Assembled.NonZeroParameterCount} non-zero");

            var rng = new Random(64);
            var inputs = new List<Value[]>
            {
                Enumerable.Range(0, 64).Reverse().Select(i => (Value)i).ToArray(),
                Enumerable.Repeat((Value)5, 64).ToArray(),
            };
            for (int t = 0; t < 3; t++)
                inputs.Add(Enumerable.Range(0, rng.Next(1, 65)).Select(_ => (Value)rng.Next(64)).ToArray());
            foreach (var input in inputs)
            {
                var expected = input.OrderBy(v => v.AsDouble).ToArray();
                Assert.Equal(expected, Rasp.Evaluate(sort, input));
                Assert.Equal(expected, model.Apply(input).Outputs);
            }
        }

        [Fact]
        public void Shuffle_dyck_at_length_32_is_exact()
        {
            var dyck = Library.MakeShuffleDyck(new[] { "()", "{}" });
            var vocab = new Value[] { "(", ")", "{", "}" };
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var model = RaspCompiler.Compile(dyck, vocab, 32);
            long neurons = model.Assembled.Layers.Sum(l => (long)(l.Mlp?.HiddenSize ?? 0));
            _output.WriteLine($"shuffle_dyck 32: compiled in {watch.ElapsedMilliseconds} ms; {model}; {neurons} MLP neurons; {model.Assembled.NonZeroParameterCount} non-zero");
            // Means over one selector share their denominator (SharedDenominators.cs): 5,961 neurons, where the
            // independent product of value sets gave 339,961 (issue 13 asks for at most a tenth).
            Assert.True(neurons <= 33_996, $"{neurons} MLP neurons");
            var balance = model.Graph.Nodes.Single(n => n.Expr.Name == "balance_()");
            Assert.True(balance.ValueSet!.Count < 2_000, $"balance_() has {balance.ValueSet.Count} values");

            var rng = new Random(32);
            var inputs = new List<string> { "({)}" + new string('(', 14) + new string(')', 14), "(){}" , ")(", "((((((((((((((((}}}}}}}}}}}}}}}}" };
            for (int t = 0; t < 4; t++) inputs.Add(RandomBalanced(rng, 16));
            for (int t = 0; t < 2; t++) inputs.Add(new string(Enumerable.Range(0, 32).Select(_ => "(){}"[rng.Next(4)]).ToArray()));
            foreach (var text in inputs)
            {
                var input = text.Select(c => (Value)c).ToArray();
                var expected = Rasp.Evaluate(dyck, input);
                var actual = model.Apply(input).Outputs;
                for (int i = 0; i < input.Length; i++)
                    Assert.True(expected[i].Equals(actual[i]), $"{text} position {i}: expected {expected[i].Repr()}, got {actual[i].Repr()}");
            }
        }

        private static string RandomBalanced(Random rng, int pairs)
        {
            // Interleave two independently balanced bracket sequences (a shuffle of Dyck words).
            string Dyck(char open, char close, int n)
            {
                var s = new List<char>();
                int depth = 0, opened = 0;
                while (s.Count < 2 * n)
                {
                    if (opened < n && (depth == 0 || rng.Next(2) == 0)) { s.Add(open); opened++; depth++; }
                    else { s.Add(close); depth--; }
                }
                return new string(s.ToArray());
            }
            int a = rng.Next(0, pairs + 1);
            var x = Dyck('(', ')', a);
            var y = Dyck('{', '}', pairs - a);
            var result = new List<char>();
            int i = 0, j = 0;
            while (i < x.Length || j < y.Length)
                result.Add(j >= y.Length || (i < x.Length && rng.Next(2) == 0) ? x[i++] : y[j++]);
            return new string(result.ToArray());
        }
    }
}
