extern alias gen;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Tracr.Generators.Tests.Semantics
{
    /// <summary>
    /// The natural programs (<see cref="NaturalPrograms"/>) built by the generator, each model compared with the same
    /// method run as C# (its S-op evaluated by <see cref="Rasp.Evaluate(SOp, System.Collections.Generic.IEnumerable{Value}, bool)"/>) on every input up to the program's
    /// MaxSeqLen: the build-time evaluator must give every lambda the meaning C# gives it.
    /// </summary>
    public class NaturalProgramTests
    {
        private readonly ITestOutputHelper _output;

        public NaturalProgramTests(ITestOutputHelper output) { _output = output; }

        private static readonly Lazy<GeneratorOutput> Generated = new Lazy<GeneratorOutput>(() => GeneratorHarness.Run(NaturalPrograms.Source));
        private static readonly Lazy<Assembly> Built = new Lazy<Assembly>(() => Generated.Value.Load());

        public static IEnumerable<object[]> Programs =>
            Regex.Matches(NaturalPrograms.Source, @"\[RaspProgram\(([^\]]*)\)\]\s*public static SOp (\w+)\(\)")
                .Cast<Match>().Select(m => new object[] { m.Groups[2].Value });

        [Theory]
        [MemberData(nameof(Programs))]
        public void Program_builds_and_its_model_agrees_with_the_CSharp_on_every_input(string name)
        {
            var problems = Compare(name);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void At_least_forty_programs_cover_the_categories()
        {
            int total = Programs.Count();
            int agree = Programs.Count(p => Compare((string)p[0]).Count == 0);
            _output.WriteLine($"{agree} of {total} natural programs build at build time and agree with the run-time C# on all inputs.");
            Assert.True(total >= 40, $"only {total} programs");
            Assert.Equal(total, agree);
        }

        /// <summary>Every difference between the model and the run-time C#, or the diagnostics that kept the program from building.</summary>
        internal static List<string> Compare(string name)
        {
            var problems = new List<string>();
            var output = Generated.Value;
            var diagnostics = output.Diagnostics.Where(d => IsIn(d, name)).ToList();
            if (diagnostics.Count > 0)
            {
                problems.AddRange(diagnostics.Select(d => d.ToString()));
                return problems;
            }

            var type = Built.Value.GetType("Natural.P")!;
            var modelProperty = type.GetProperty(name + "Model", BindingFlags.Public | BindingFlags.Static);
            if (modelProperty is null) return new List<string> { $"{name}: no model was generated" };
            var model = (ICompiledTransformer)modelProperty.GetValue(null)!;
            var program = (SOp)type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
            var vocab = model.Packed.Tokens.Take(model.Packed.Tokens.Length - 2).ToArray();
            int maxSeqLen = int.Parse(Regex.Match(NaturalPrograms.Source, @"MaxSeqLen = (\d+)\)\]\s*public static SOp " + name + @"\(\)").Groups[1].Value);

            foreach (var input in Inputs(vocab, maxSeqLen))
            {
                IReadOnlyList<Value> expected;
                try
                {
                    expected = Rasp.Evaluate(program, input);
                }
                catch (Exception e)
                {
                    problems.Add($"{name}: the run-time C# fails on [{string.Join(", ", input.Select(v => v.Repr()))}]: {e.Message}");
                    break;
                }
                var actual = model.PredictValues(input);
                for (int i = 0; i < input.Length; i++)
                {
                    if (Same(expected[i], actual[i])) continue;
                    problems.Add($"{name}: on [{string.Join(", ", input.Select(v => v.Repr()))}] position {i}: C# gives {expected[i].Repr()}, the model {actual[i].Repr()}");
                    break;
                }
                if (problems.Count > 3) break;
            }
            return problems;
        }

        /// <summary>True when the diagnostic is in <paramref name="name"/>'s method or the helpers written after it (by line: generator locations carry no tree).</summary>
        private static bool IsIn(Microsoft.CodeAnalysis.Diagnostic d, string name)
        {
            int line = d.Location.GetLineSpan().StartLinePosition.Line;
            var lines = NaturalPrograms.Source.Split('\n');
            for (int i = Math.Min(line, lines.Length - 1); i >= 0; i--)
            {
                var m = Regex.Match(lines[i], @"public static SOp (\w+)\(\)");
                if (m.Success) return m.Groups[1].Value == name;
            }
            return false;
        }

        private static bool Same(Value expected, Value actual)
        {
            if (expected.Kind == ValueKind.Float || actual.Kind == ValueKind.Float)
                return expected.IsNumeric && actual.IsNumeric && Math.Abs(expected.AsDouble - actual.AsDouble) < 1e-6;
            return expected == actual;
        }

        internal static IEnumerable<Value[]> Inputs(Value[] vocab, int maxSeqLen)
        {
            for (int length = 1; length <= maxSeqLen; length++)
            {
                var index = new int[length];
                while (true)
                {
                    yield return index.Select(i => vocab[i]).ToArray();
                    int k = length - 1;
                    while (k >= 0 && ++index[k] == vocab.Length) index[k--] = 0;
                    if (k < 0) break;
                }
            }
        }
    }
}
