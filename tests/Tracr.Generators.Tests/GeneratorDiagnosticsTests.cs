using System.Linq;
using Microsoft.CodeAnalysis;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;

namespace Tracr.Generators.Tests
{
    /// <summary>
    /// Every diagnostic the generator reports (TRACR1xx: C# it cannot evaluate at build time; TRACR2xx/3xx:
    /// programs the compiler refuses), each with its ID, message and exact location (the marked span).
    /// </summary>
    public class GeneratorDiagnosticsTests
    {
        private static string Program(string members, string vocab = "1, 2, 3", int maxSeqLen = 4) => $$"""
            using System;
            using System.Collections.Generic;
            using Tracr;
            using static Tracr.Rasp;

            namespace Demo;

            public static partial class Programs
            {
                [RaspProgram({{vocab}}, MaxSeqLen = {{maxSeqLen}})]
            {{members}}
            }
            """;

        [Theory]
        // TRACR101: a construct the evaluator does not run.
        [InlineData("TRACR101", "static SOp P() { var r = [|new Random()|]; return Tokens; }", "Creating a 'Random'")]
        // TRACR102: a value that only exists at run time.
        [InlineData("TRACR102", "static SOp P() => Library.ShiftBy([|Offset|], Tokens);\n static int Offset = 1;", "'Offset' cannot be evaluated at build time")]
        [InlineData("TRACR102", "static SOp P() => Library.ShiftBy([|Environment.ProcessorCount|], Tokens);", "cannot be evaluated at build time")]
        // TRACR103: a lambda that cannot become data.
        [InlineData("TRACR103", "static SOp P() => Map(x => x + [|Environment.TickCount|], Tokens);", "This lambda cannot become part of the model")]
        // TRACR104: limits of build-time evaluation.
        [InlineData("TRACR104", "static SOp P() { int i = 0; [|while (true) i++;|] }", "more than 10,000 times")]
        [InlineData("TRACR104", "static SOp P() => Loop(0);\n static SOp Loop(int n) => [|Loop(n + 1)|];", "deeper than 64 levels")]
        // TRACR105: evaluation that fails.
        [InlineData("TRACR105", "static SOp P() { var a = new[] { 1 }; return Library.ShiftBy([|a[3]|], Tokens); }", "Index 3 was outside")]
        // TRACR106: no program returned.
        [InlineData("TRACR106", "static SOp [|P|]() => null!;", "returns null")]
        // TRACR2xx: programs Tracr's compiler refuses, located at the DSL call that built the offending expression
        // (with its annotation: Numerical(...) and Categorical(...) make the expression the compiler sees).
        [InlineData("TRACR201", "static SOp P() => SelectorWidth([|Select(Numerical(Map(x => x, Tokens)), Tokens, Comparison.LT)|]);", "Select keys must be categorical")]
        [InlineData("TRACR202", "static SOp P() => [|Aggregate(Select(Indices, Indices, Comparison.EQ), Tokens, 1)|];", "only supports None as default")]
        [InlineData("TRACR203", "static SOp P() => [|Numerical(Aggregate(Select(Indices, Indices, Comparison.EQ), Tokens))|];", "output encoding must match")]
        [InlineData("TRACR205", "static SOp P() => [|Categorical(LinearSequenceMap(Categorical(Indices), Categorical(Tokens), 1, 1))|];", "LinearSequenceMap only supports numerical")]
        [InlineData("TRACR207", "static SOp P() => [|Numerical(Map(x => \"a\", Tokens))|];", "numerical S-ops must hold numbers")]
        [InlineData("TRACR208", "static SOp P() => [|Map(x => x.AsTuple.Count, Tokens)|];", "function failed")]
        [InlineData("TRACR209", "static SOp P() => [|Numerical(Tokens)|];", "tokens should always be categorical")]
        [InlineData("TRACR301", "static SOp P() => [|SequenceMap((x, y) => x * 1000 + y, Map(x => x * 100, Indices), Indices)|];", "more than the limit")]
        public void Reports_diagnostic_at_the_offending_syntax(string id, string members, string messageFragment)
        {
            string markup = Program(members, maxSeqLen: id == "TRACR301" ? 160 : 4);
            var marked = MarkedSource.Parse(markup);
            var output = GeneratorHarness.Run(marked.Source);

            var diagnostic = Assert.Single(output.Diagnostics);
            Assert.Equal(id, diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Contains(messageFragment, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(marked.Spans.Single().Span, diagnostic.Location.SourceSpan);
            // The failed program keeps its model member (it throws with the diagnostic), and nothing else.
            var placeholder = Assert.Single(output.Sources).Value;
            Assert.Contains($"throw new global::System.InvalidOperationException(", placeholder);
            Assert.Contains(id + ":", placeholder);
            Assert.DoesNotContain("ModelData", placeholder);
            Assert.Empty(output.CompileErrors);
        }

        // What TRACR204 and TRACR206 reported before issue 13 compiles now: a composite selector over different S-ops and a mean of any numbers.
        [Theory]
        [InlineData("static SOp P() => Aggregate(Select(Indices, Tokens, Comparison.EQ) & Select(Tokens, Indices, Comparison.LT), Tokens);")]
        [InlineData("static SOp P() => Numerical(Aggregate(Select(Tokens, Tokens, Comparison.TRUE), Numerical(Map(x => x, Tokens)), 0));")]
        public void Programs_Tracr_refuses_compile_without_diagnostics(string members)
        {
            var output = GeneratorHarness.Run(MarkedSource.Parse(Program(members, maxSeqLen: 4)).Source);
            Assert.Empty(output.Diagnostics);
            Assert.NotEmpty(output.Sources);
        }

        [Fact]
        public void A_clean_program_reports_nothing_and_its_generated_code_compiles()
        {
            var output = GeneratorHarness.Run(Program("static SOp P() => Library.MakeReverse(Tokens);"));
            Assert.Empty(output.Diagnostics);
            Assert.Empty(output.CompileErrors);
            Assert.Equal(new[] { "Demo.Programs.P.g.cs" }, output.Sources.Keys.ToArray());
        }

        [Fact]
        public void Code_the_csharp_compiler_rejects_gets_no_generator_diagnostic()
        {
            // The C# error (CS0103) is the useful one; the generator adds neither noise nor a model.
            var output = GeneratorHarness.Run(Program("static SOp P() => Map(x => x + 1, Tokenz);"));
            Assert.Empty(output.Diagnostics);
            Assert.Empty(output.Sources);
            Assert.Contains(output.CompileErrors, d => d.Id == "CS0103");
        }

        [Fact]
        public void Several_programs_report_independently()
        {
            var output = GeneratorHarness.Run(Program("""
                static SOp Good() => Library.MakeHist();
                    [RaspProgram(1, 2, MaxSeqLen = 3)]
                    static SOp Bad() => Numerical(Tokens);
                """));
            Assert.Equal("TRACR209", Assert.Single(output.Diagnostics).Id);
            Assert.Equal(new[] { "Demo.Programs.Bad.g.cs", "Demo.Programs.Good.g.cs" }, output.Sources.Keys.OrderBy(k => k, System.StringComparer.Ordinal).ToArray());
            Assert.Contains("ModelData", output.Sources["Demo.Programs.Good.g.cs"]);
            Assert.Contains("TRACR209:", output.Sources["Demo.Programs.Bad.g.cs"]);
        }
    }
}
