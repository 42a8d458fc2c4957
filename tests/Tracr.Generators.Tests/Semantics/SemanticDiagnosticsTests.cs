using System.Linq;
using Microsoft.CodeAnalysis;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;

namespace Tracr.Generators.Tests.Semantics
{
    /// <summary>
    /// What the build-time evaluator refuses, and where: what cannot be known at build time (state, I/O, time,
    /// randomness), values a transformer cannot represent, and the limits, each a diagnostic at the exact syntax.
    /// </summary>
    public class SemanticDiagnosticsTests
    {
        private static string Program(string members, string vocab = "1, 2, 3") => $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Tracr;
            using static Tracr.Rasp;

            namespace Demo;

            public static partial class Programs
            {
                [RaspProgram({{vocab}}, MaxSeqLen = 3)]
            {{members}}
            }
            """;

        [Theory]
        // A static readonly field set in a static constructor: never the initializer's value.
        [InlineData("TRACR102", "static SOp P() => Map(x => x + [|Offset|], Tokens);\n static readonly int Offset = 1;\n static Programs() { Offset = 5; }", "set in the static constructor")]
        // Outside world and process state.
        [InlineData("TRACR103", "static SOp P() => Map(x => [|DateTime.Now|].Second + x, Tokens);", "'System.DateTime.Now' cannot be evaluated at build time")]
        [InlineData("TRACR103", "static SOp P() => Map(x => [|((string)x).GetHashCode()|], Tokens, true);", "randomised per process")]
        [InlineData("TRACR103", "static SOp P() => Map(x => [|Counter|] + x, Tokens);\n static int Counter = 0;", "mutable or instance field")]
        [InlineData("TRACR103", "static SOp P() { int calls = 0; return Map(x => { [|calls|]++; return x; }, Tokens); }", "assigns to 'calls'")]
        [InlineData("TRACR103", "static SOp P() { var t = Tokens; return Map(x => [|t|].Name.Length + x, Tokens); }", "captures 't', a RASP expression")]
        [InlineData("TRACR103", "static SOp P() => Map(x => { int? n = [|(int)x|]; return n.Value; }, Tokens);", "nullable")]
        // Values a transformer cannot represent, at the DSL call, naming the input.
        [InlineData("TRACR210", "static SOp P() => [|Map(x => Math.Log((double)x - 1), Tokens)|];", "returns -inf on input 1")]
        [InlineData("TRACR210", "static SOp P() => [|SequenceMap((a, b) => (double)a / ((double)b - (double)b), Tokens, Indices)|];", "NaN or infinities")]
        // Limits inside a lambda: the function fails at the DSL call, naming the input and the limit.
        [InlineData("TRACR208", "static SOp P() => [|Map(x => { int n = 0; while (x > 0) n++; return n; }, Tokens)|];", "more than 1,000,000 steps")]
        [InlineData("TRACR208", "static SOp P() => [|Map(x => Deep((int)x), Tokens)|];\n static int Deep(int n) => n == 0 ? 0 : Deep(n + 1);", "deeper than 100 levels")]
        [InlineData("TRACR208", "static SOp P() => [|Map(x => new string('a', (int)x * 1000000).Length, Tokens)|];", "more than the build-time limit of 1,000,000")]
        // Body code: the same semantics, so failures are build-time errors at the expression.
        [InlineData("TRACR105", "static SOp P() { int zero = 0; return Library.ShiftBy([|1 / zero|], Tokens); }", "DivideByZeroException")]
        [InlineData("TRACR105", "static SOp P() => Library.ShiftBy(checked([|int.MaxValue + Two()|]), Tokens);\n static int Two() => 2;", "OverflowException")]
        public void Reports_diagnostic_at_the_offending_syntax(string id, string members, string messageFragment)
        {
            var marked = MarkedSource.Parse(Program(members));
            var output = GeneratorHarness.Run(marked.Source);
            var diagnostic = Assert.Single(output.Diagnostics);
            Assert.Equal(id, diagnostic.Id);
            Assert.Contains(messageFragment, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(marked.Spans.Single().Span, diagnostic.Location.SourceSpan);
        }

        [Fact]
        public void Checked_overflow_in_a_lambda_drops_the_value_as_at_run_time()
        {
            // OverflowException is an ArithmeticException: the value is dropped (Tracr's ignoring_arithmetic_errors), in both paths.
            var output = GeneratorHarness.Run(Program("public static SOp P() => Map(x => checked((int)x * int.MaxValue), Tokens);", "1, 2"));
            Assert.Empty(output.Diagnostics);
        }
    }
}
