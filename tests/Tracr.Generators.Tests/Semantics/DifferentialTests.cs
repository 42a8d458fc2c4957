extern alias gen;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using BodyInterpreter = gen::Tracr.Generators.Parsing.BodyInterpreter;
using EvaluationError = gen::Tracr.Generators.Parsing.EvaluationError;
using LambdaFunction = gen::Tracr.Lambdas.LambdaFunction;
using LambdaTranslator = gen::Tracr.Generators.Parsing.LambdaTranslator;

namespace Tracr.Generators.Tests.Semantics
{
    /// <summary>
    /// The differential test of build-time evaluation: random C# programs (<see cref="RandomCSharp"/>) compiled by
    /// Roslyn and run by the runtime, against the same programs translated by the generator into lambda trees and
    /// evaluated, on many inputs each. Values must be identical (doubles bit for bit, NaN included) and failures must
    /// throw the same exception type. Size: TRACR_DIFF_PROGRAMS (default 600) programs x TRACR_DIFF_INPUTS (default 10)
    /// inputs, seed TRACR_DIFF_SEED (default 9); docs/build-time.md shows how to run millions.
    /// </summary>
    public class DifferentialTests
    {
        private readonly ITestOutputHelper _output;

        public DifferentialTests(ITestOutputHelper output) { _output = output; }

        private static int Setting(string name, int fallback) =>
            int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : fallback;

        private static readonly int[] Ints = { 0, 1, -1, 2, 7, 31, 100, 255, 256, -129, 46341, int.MaxValue, int.MinValue, 65535 };
        private static readonly long[] Longs = { 0, 1, -1, 3, long.MaxValue, long.MinValue, 10_000_000_000L, -4_294_967_296L, 4_294_967_295L };
        private static readonly double[] Doubles = { 0.0, -0.0, 1.0, -1.5, 0.5, 2.5, 3.14159, 1e10, -1e-10, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e308, 4.9e-324, 2147483647.5, -2147483649.0 };
        private static readonly char[] Chars = { 'a', 'Z', '0', ' ', '\u00e9', 'z', '9', '\u0130', '\uffff' };
        private static readonly string[] Strings = { "", "a", "abc", "Hello World", "x-y-z", "42", "  pad ", "\u00df\u00e9", "ABCdef123" };

        [Fact]
        public void Random_CSharp_means_the_same_at_build_time_as_when_it_runs()
        {
            int programs = Setting("TRACR_DIFF_PROGRAMS", 600);
            int inputsPerProgram = Setting("TRACR_DIFF_INPUTS", 10);
            int seed = Setting("TRACR_DIFF_SEED", 9);
            var previous = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // build time formats with the invariant culture (docs/build-time.md)
            try
            {
                var clock = Stopwatch.StartNew();
                int compared = 0;
                var differences = new List<string>();
                var unsupported = new List<string>();
                const int Batch = 300;
                for (int start = 0; start < programs; start += Batch)
                {
                    var generator = new RandomCSharp(seed * 1_000_003 + start);
                    var bodies = Enumerable.Range(0, Math.Min(Batch, programs - start)).Select(_ => generator.Program()).ToList();
                    compared += RunBatch(bodies, new Random(seed + start), inputsPerProgram, differences, unsupported);
                }
                _output.WriteLine($"{programs} random programs x {inputsPerProgram} inputs: {compared} comparisons, {differences.Count} differences, {unsupported.Count} not translated, {clock.ElapsedMilliseconds} ms (seed {seed}).");
                foreach (var d in differences.Concat(unsupported).Take(20)) _output.WriteLine(d);
                Assert.True(unsupported.Count == 0, "Not translated:\n" + string.Join("\n", unsupported.Take(10)));
                Assert.True(differences.Count == 0, "Differences:\n" + string.Join("\n", differences.Take(10)));
            }
            finally
            {
                CultureInfo.CurrentCulture = previous;
            }
        }

        private static int RunBatch(List<string> bodies, Random random, int inputsPerProgram, List<string> differences, List<string> unsupported)
        {
            var source = "using System;\nusing System.Linq;\npublic static class D\n{\n    public static readonly Func<int, long, double, char, string, bool, object>[] F =\n    {\n" +
                         string.Join(",\n", bodies.Select(b => "        (i, l, d, c, s, b) => " + b)) + "\n    };\n}\n";
            var compilation = TestCompilation.Create(source);
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, "The random programs do not compile (a bug of RandomCSharp):\n" + string.Join("\n", errors.Take(5).Select(e => e + "  in: " + e.Location.SourceTree!.GetText().GetSubText(e.Location.SourceSpan))));

            using var stream = new MemoryStream();
            Assert.True(compilation.Emit(stream).Success);
            var compiled = (Func<int, long, double, char, string, bool, object>[])System.Reflection.Assembly.Load(stream.ToArray()).GetType("D")!.GetField("F")!.GetValue(null)!;

            var tree = compilation.SyntaxTrees[0];
            var model = compilation.GetSemanticModel(tree);
            var lambdas = tree.GetRoot().DescendantNodes().OfType<ParenthesizedLambdaExpressionSyntax>()
                .Where(l => l.Parent is InitializerExpressionSyntax).ToList();
            var interpreter = BodyInterpreter.ForCompilation(compilation, default);
            var nothingCaptured = new Dictionary<ISymbol, BodyInterpreter.Cell>(SymbolEqualityComparer.Default);

            int compared = 0;
            for (int k = 0; k < lambdas.Count; k++)
            {
                LambdaFunction translated;
                try
                {
                    translated = LambdaTranslator.Lambda(model.GetOperation(lambdas[k])!, interpreter, nothingCaptured);
                }
                catch (EvaluationError e)
                {
                    unsupported.Add($"{bodies[k]}\n    -> {e.Message}");
                    continue;
                }
                for (int n = 0; n < inputsPerProgram; n++)
                {
                    var args = new object[] { Ints[random.Next(Ints.Length)], Longs[random.Next(Longs.Length)], Doubles[random.Next(Doubles.Length)], Chars[random.Next(Chars.Length)], Strings[random.Next(Strings.Length)], random.Next(2) == 0 };
                    var expected = Outcome(() => compiled[k]((int)args[0], (long)args[1], (double)args[2], (char)args[3], (string)args[4], (bool)args[5]));
                    var actual = Outcome(() => translated.Invoke(args));
                    compared++;
                    if (!Same(expected, actual))
                    {
                        differences.Add($"{bodies[k]}\n    on (i={args[0]}, l={args[1]}, d={((double)args[2]).ToString("R", CultureInfo.InvariantCulture)}, c=U+{(int)(char)args[3]:X4}, s=\"{args[4]}\", b={args[5]}): C# {Show(expected)}, build time {Show(actual)}");
                        break;
                    }
                }
            }
            return compared;
        }

        private static object? Outcome(Func<object?> run)
        {
            try
            {
                return run();
            }
            catch (Exception e)
            {
                return e;
            }
        }

        private static bool Same(object? a, object? b)
        {
            if (a is Exception ea || b is Exception) return a is Exception x && b is Exception y && x.GetType() == y.GetType();
            if (a is double da && b is double db) return BitConverter.DoubleToInt64Bits(da) == BitConverter.DoubleToInt64Bits(db) || (double.IsNaN(da) && double.IsNaN(db));
            if (a is float fa && b is float fb) return BitConverter.SingleToInt32Bits(fa) == BitConverter.SingleToInt32Bits(fb) || (float.IsNaN(fa) && float.IsNaN(fb));
            return a?.GetType() == b?.GetType() && Equals(a, b);
        }

        private static string Show(object? o) => o switch
        {
            null => "null",
            Exception e => e.GetType().Name + " (" + e.Message + ")",
            double d => "double " + d.ToString("R", CultureInfo.InvariantCulture),
            string s => "\"" + s + "\"",
            _ => o.GetType().Name + " " + Convert.ToString(o, CultureInfo.InvariantCulture),
        };
    }
}
