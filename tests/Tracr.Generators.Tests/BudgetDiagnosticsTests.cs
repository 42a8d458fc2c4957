extern alias gen;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;
using DiagnosticInfo = gen::Tracr.Generators.Model.DiagnosticInfo;
using ProgramDeclarationReader = gen::Tracr.Generators.Parsing.ProgramDeclarationReader;

namespace Tracr.Generators.Tests
{
    /// <summary>
    /// The compile budget at build time (TRACR302, TRACR303): a program too big to build is refused with the numbers,
    /// at the DSL call that built the node, before any matrix is allocated; the limits are read from the attribute.
    /// </summary>
    public class BudgetDiagnosticsTests
    {
        private static string Program(string members, string attribute) => $$"""
            using System;
            using Tracr;
            using static Tracr.Rasp;

            namespace Demo;

            public static partial class Programs
            {
                [RaspProgram({{attribute}})]
            {{members}}
            }
            """;

        private static Diagnostic SingleError(string markup, string id)
        {
            var marked = MarkedSource.Parse(markup);
            var output = GeneratorHarness.Run(marked.Source);
            var diagnostic = Assert.Single(output.Diagnostics);
            Assert.Equal(id, diagnostic.Id);
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.Equal(marked.Spans.Single().Span, diagnostic.Location.SourceSpan);
            // The refused program keeps only its model member, which throws with the diagnostic.
            var placeholder = Assert.Single(output.Sources).Value;
            Assert.Contains("throw new global::System.InvalidOperationException(", placeholder);
            Assert.Contains(id + ":", placeholder);
            Assert.DoesNotContain("ModelData", placeholder);
            return diagnostic;
        }

        private static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

        [Fact]
        public void Reverse_at_MaxSeqLen_1000_is_TRACR302_at_the_library_call()
        {
            var d = SingleError(Program("static SOp P() => [|Library.MakeReverse(Tokens)|];", "\"a\", \"b\", \"c\", MaxSeqLen = 1000"), "TRACR302");
            Assert.Equal("Cannot compile 'opp_idx_4': its MLP would need at least 2,004,002,000 weights (16.0 GB as doubles), more than the budget of " +
                         "200,000,000 (CompilerOptions.MaxWeights): a categorical SequenceMap MLP with a hidden neuron per pair of input values " +
                         "(1,001 x 1,000 = 1,001,000 neurons) over 2,002 inputs.", Message(d));
        }

        [Fact]
        public void A_chain_deeper_than_the_compiler_accepts_is_TRACR302_at_the_call_that_crosses_it()
        {
            // Three loops under the body's loop limit build 27,000 operations: refused at the 1,000th SequenceMap
            // (depth 1,001 with tokens), before any recursive pass could overflow the compiler thread's stack.
            var d = SingleError(Program("""
                    static SOp P()
                    {
                        SOp x = Tokens;
                        for (int i = 0; i < 9_000; i++) x = [|SequenceMap((a, b) => a, x, Indices)|];
                        for (int i = 0; i < 9_000; i++) x = SequenceMap((a, b) => a, x, Indices);
                        for (int i = 0; i < 9_000; i++) x = Map(v => v + 1, x);
                        return x;
                    }
                """, "1, 2, 3, MaxSeqLen = 4"), "TRACR302");
            Assert.Contains("a chain of more than 1,000 operations (this node is 1,001 deep)", Message(d));
        }

        [Fact]
        public void A_model_over_an_attribute_budget_is_TRACR302_naming_what_costs_most()
        {
            var d = SingleError(Program("""
                static SOp P()
                    {
                        var small = Map(x => x + 1, Tokens);
                        return [|Aggregate(Select(Tokens, Tokens, Comparison.LEQ), small)|];
                    }
                """, "VocabFrom = 0, VocabTo = 299, MaxSeqLen = 4, MaxWeights = 100000"), "TRACR302");
            // The embeddings (302 tokens over a residual of 907) cost more than the head (182,412 weights), so the
            // refusal names them, at the program's output node.
            Assert.Contains("more than the budget of 100,000 (CompilerOptions.MaxWeights); the token and position embeddings account for 278,449 of them", Message(d));
            Assert.Contains("residual width 907", Message(d));
        }

        [Fact]
        public void The_same_program_compiles_once_the_budget_is_raised()
        {
            var output = GeneratorHarness.Run(Program("static SOp P() => Aggregate(Select(Tokens, Tokens, Comparison.LEQ), Map(x => x + 1, Tokens));",
                "VocabFrom = 0, VocabTo = 299, MaxSeqLen = 4, MaxWeights = 10000000"));
            Assert.Empty(output.Diagnostics);
            Assert.Empty(output.CompileErrors);
            Assert.Single(output.Sources);
        }

        [Fact]
        public void A_sequence_map_over_too_many_pairs_is_TRACR303_at_its_call()
        {
            var d = SingleError(Program("static SOp P() => [|SequenceMap((x, y) => x - y, Tokens, Map(x => x + 1, Tokens))|];",
                "VocabFrom = 0, VocabTo = 2999, MaxSeqLen = 4"), "TRACR303");
            Assert.Contains("every pair of its inputs' values (3000 x 3000) = 9,000,000 combinations, more than the limit of 4,000,000 " +
                            "(CompilerOptions.MaxValueSetProduct)", Message(d));
        }

        [Fact]
        public void A_lower_product_limit_from_the_attribute_is_honoured()
        {
            var d = SingleError(Program("static SOp P() => [|SequenceMap((x, y) => x - y, Tokens, Map(x => x + 1, Tokens))|];",
                "VocabFrom = 0, VocabTo = 9, MaxSeqLen = 4, MaxValueSetProduct = 50"), "TRACR303");
            Assert.Contains("(10 x 10) = 100 combinations, more than the limit of 50", Message(d));
        }

        [Fact]
        public void Budget_defaults_are_the_attributes_and_the_runtime_compilers_and_explicit_values_are_read()
        {
            var attribute = new Tracr.RaspProgramAttribute();
            var runtime = new Tracr.CompilerOptions();
            var defaults = Read("[RaspProgram(\"a\", MaxSeqLen = 5)] static SOp Program() => Tokens;").Options;
            Assert.Equal(runtime.MaxWeights, defaults.MaxWeights);
            Assert.Equal(attribute.MaxWeights, defaults.MaxWeights);
            Assert.Equal(runtime.MaxValueSetProduct, defaults.MaxValueSetProduct);
            Assert.Equal(attribute.MaxValueSetProduct, defaults.MaxValueSetProduct);

            var set = Read("[RaspProgram(\"a\", MaxSeqLen = 5, MaxWeights = 5_000_000_000, MaxValueSetProduct = 12)] static SOp Program() => Tokens;")
                .Options.ToCompilerOptions();
            Assert.Equal(5_000_000_000, set.MaxWeights);
            Assert.Equal(12, set.MaxValueSetProduct);
        }

        [Theory]
        [InlineData("MaxWeights = 0", "MaxWeights")]
        [InlineData("MaxValueSetProduct = -4", "MaxValueSetProduct")]
        public void A_limit_below_1_is_TRACR010(string setting, string name)
        {
            var problems = new List<DiagnosticInfo>();
            var declaration = ReadDeclaration($"[RaspProgram(\"a\", MaxSeqLen = 5, {setting})] static SOp Program() => Tokens;", problems);
            Assert.Null(declaration);
            var problem = Assert.Single(problems);
            Assert.Equal("TRACR010", problem.Id);
            Assert.Contains(name, string.Join(" ", problem.Arguments));
        }

        private static gen::Tracr.Generators.Parsing.ProgramDeclaration Read(string members)
        {
            var problems = new List<DiagnosticInfo>();
            var declaration = ReadDeclaration(members, problems);
            Assert.Empty(problems.Select(p => p.Id));
            return declaration!;
        }

        private static gen::Tracr.Generators.Parsing.ProgramDeclaration? ReadDeclaration(string members, List<DiagnosticInfo> problems)
        {
            var compilation = TestCompilation.Create("using Tracr;\nusing static Tracr.Rasp;\n\npublic static partial class P\n{\n" + members + "\n}\n");
            Assert.Empty(TestCompilation.CompilerErrors(compilation));
            var symbol = compilation.GetTypeByMetadataName("P")!.GetMembers("Program").OfType<IMethodSymbol>().Single();
            var attribute = symbol.GetAttributes().Single(a => ProgramDeclarationReader.IsRaspProgramAttribute(a.AttributeClass));
            return ProgramDeclarationReader.Read(symbol, attribute, problems, CancellationToken.None);
        }
    }
}
