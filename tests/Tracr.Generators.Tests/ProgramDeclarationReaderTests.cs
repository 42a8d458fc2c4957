extern alias gen;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;
using DiagnosticInfo = gen::Tracr.Generators.Model.DiagnosticInfo;
using ProgramDeclaration = gen::Tracr.Generators.Parsing.ProgramDeclaration;
using ProgramDeclarationReader = gen::Tracr.Generators.Parsing.ProgramDeclarationReader;
using TokenType = gen::Tracr.Generators.Parsing.TokenType;

namespace Tracr.Generators.Tests
{
    /// <summary>What <see cref="ProgramDeclarationReader"/> reads from a correct declaration (the analyzer tests cover the problems).</summary>
    public class ProgramDeclarationReaderTests
    {
        private static (ProgramDeclaration? Declaration, List<DiagnosticInfo> Problems) Read(string members, string method = "Program")
        {
            var compilation = TestCompilation.Create("using Tracr;\nusing static Tracr.Rasp;\n\npublic static partial class P\n{\n" + members + "\n}\n");
            Assert.Empty(TestCompilation.CompilerErrors(compilation));
            var symbol = compilation.GetTypeByMetadataName("P")!.GetMembers(method).OfType<IMethodSymbol>().Single();
            var attribute = symbol.GetAttributes().Single(a => ProgramDeclarationReader.IsRaspProgramAttribute(a.AttributeClass));
            var problems = new List<DiagnosticInfo>();
            var declaration = ProgramDeclarationReader.Read(symbol, attribute, problems, CancellationToken.None);
            Assert.Equal(declaration is null, problems.Count > 0);
            return (declaration, problems);
        }

        private static ProgramDeclaration ReadOk(string members, string method = "Program")
        {
            var (declaration, problems) = Read(members, method);
            Assert.Empty(problems.Select(p => p.Id));
            return declaration!;
        }

        [Theory]
        [InlineData("Program", "Model")]
        [InlineData("Reverse", "ReverseModel")]
        [InlineData("program", "programModel")]
        public void DefaultModelName(string method, string model) => Assert.Equal(model, ProgramDeclarationReader.DefaultModelName(method));

        [Fact]
        public void The_attribute_metadata_name_is_the_attribute_type()
        {
            Assert.Equal(ProgramDeclarationReader.AttributeMetadataName, typeof(Tracr.RaspProgramAttribute).FullName);
        }

        [Fact]
        public void Defaults_are_the_attributes_and_the_runtime_compilers()
        {
            var declaration = ReadOk("[RaspProgram(\"a\", \"b\", MaxSeqLen = 5)] static SOp Program() => Tokens;");
            var options = declaration.Options;
            var attribute = new Tracr.RaspProgramAttribute();
            var runtime = new Tracr.CompilerOptions();
            Assert.Equal("Model", declaration.ModelName);
            Assert.Equal(5, options.MaxSeqLen);
            Assert.Equal(TokenType.String, options.TokenType);
            Assert.Equal(new[] { "'a'", "'b'" }, options.Vocab.Select(v => v.ToString()));
            Assert.Equal(runtime.Causal, options.Causal);
            Assert.Equal(attribute.Causal, options.Causal);
            Assert.Equal(runtime.CompilerBos, options.CompilerBos);
            Assert.Equal(attribute.CompilerBos, options.CompilerBos);
            Assert.Equal(runtime.CompilerPad, options.CompilerPad);
            Assert.Equal(attribute.CompilerPad, options.CompilerPad);
            Assert.Equal(runtime.MlpExactness, options.MlpExactness);
            Assert.Equal(attribute.MlpExactness, options.MlpExactness);
            Assert.Equal(runtime.SoftmaxColdness, options.SoftmaxColdness);
            Assert.Equal(attribute.SoftmaxColdness, options.SoftmaxColdness);
            Assert.Equal(runtime.MaxValueSetSize, options.MaxValueSetSize);
            Assert.Equal(attribute.MaxValueSetSize, options.MaxValueSetSize);
            Assert.Equal(runtime.MaxNumericalValueSetSize, options.MaxNumericalValueSetSize);
            Assert.Equal(attribute.MaxNumericalValueSetSize, options.MaxNumericalValueSetSize);
        }

        [Fact]
        public void Every_option_is_read_and_passed_to_the_compiler()
        {
            var declaration = ReadOk("[RaspProgram(1, 2, MaxSeqLen = 7, Causal = true, CompilerBos = \"B\", CompilerPad = \"P\", MlpExactness = 12.5, " +
                                     "SoftmaxColdness = 300, MaxValueSetSize = 77, MaxNumericalValueSetSize = 88, ModelName = \"Custom\")] static SOp Program() => Tokens;");
            Assert.Equal("Custom", declaration.ModelName);
            var options = declaration.Options.ToCompilerOptions();
            Assert.Equal(7, declaration.Options.MaxSeqLen);
            Assert.True(options.Causal);
            Assert.Equal("B", options.CompilerBos);
            Assert.Equal("P", options.CompilerPad);
            Assert.Equal(12.5, options.MlpExactness);
            Assert.Equal(300, options.SoftmaxColdness);
            Assert.Equal(77, options.MaxValueSetSize);
            Assert.Equal(88, options.MaxNumericalValueSetSize);
        }

        [Theory]
        [InlineData("1, 2, 3", "Int", "1,2,3")]
        [InlineData("\"x\", \"y\"", "String", "'x','y'")]
        [InlineData("'x', 'y'", "Char", "'x','y'")]
        [InlineData("true, false", "Bool", "True,False")]
        [InlineData("0.5, 1.5", "Double", "0.5,1.5")]
        [InlineData("1, \"a\"", "Value", "1,'a'")]
        [InlineData("1, 2.5", "Value", "1,2.5")]
        [InlineData("'a', \"b\"", "Value", "'a','b'")]
        [InlineData("new object[] { 3, 1, 2 }", "Int", "3,1,2")]
        [InlineData("[\"q\", \"r\"]", "String", "'q','r'")]
        [InlineData("VocabFrom = -1, VocabTo = 2", "Int", "-1,0,1,2")]
        [InlineData("VocabFrom = 4, VocabTo = 4", "Int", "4")]
        public void Vocabulary_and_token_type(string vocab, string type, string values)
        {
            var declaration = ReadOk($"[RaspProgram({vocab}, MaxSeqLen = 3)] static SOp Program() => Tokens;");
            Assert.Equal(type, declaration.Options.TokenType.ToString());
            Assert.Equal(values, string.Join(",", declaration.Options.Vocab.Select(v => v.ToString())));
        }

        [Fact]
        public void Char_tokens_are_one_character_string_values()
        {
            var vocab = ReadOk("[RaspProgram('z', MaxSeqLen = 3)] static SOp Program() => Tokens;").Options.Vocab;
            Assert.Equal(gen::Tracr.ValueKind.String, vocab.Single().Value.Kind);
            Assert.Equal("z", vocab.Single().Value.AsString);
        }

        [Fact]
        public void The_largest_range_is_accepted()
        {
            var declaration = ReadOk("[RaspProgram(VocabFrom = 1, VocabTo = 100000, MaxSeqLen = 3)] static SOp Program() => Tokens;");
            Assert.Equal(100_000, declaration.Options.Vocab.Count);
        }

        [Fact]
        public void Reading_twice_gives_equal_declarations()
        {
            const string source = "[RaspProgram(\"a\", 1, 'c', 2.5, MaxSeqLen = 5, Causal = true)] static SOp Program() => Tokens;";
            var first = ReadOk(source);
            var second = ReadOk(source);
            Assert.NotSame(first, second);
            Assert.Equal(first, second);
            Assert.Equal(first.GetHashCode(), second.GetHashCode());
            Assert.NotEqual(first, ReadOk(source.Replace("2.5", "3.5")));
        }

        [Fact]
        public void Problems_are_located_in_the_source_file()
        {
            var (declaration, problems) = Read("[RaspProgram(\"a\", MaxSeqLen = 0)] static SOp Program() => Tokens;");
            Assert.Null(declaration);
            var problem = Assert.Single(problems);
            Assert.Equal("TRACR007", problem.Id);
            Assert.Equal("/src/Program.cs", problem.Location!.FilePath);
            Assert.Equal(new[] { "P.Program", "0" }, problem.Arguments);
        }

        [Fact]
        public void Declarations_hold_no_symbols_or_syntax()
        {
            // The generator caches on these records: they must be plain data.
            foreach (var type in new[] { typeof(ProgramDeclaration), typeof(gen::Tracr.Generators.Parsing.ProgramOptions) })
                foreach (var property in type.GetProperties())
                {
                    Assert.False(typeof(ISymbol).IsAssignableFrom(property.PropertyType), $"{type.Name}.{property.Name}");
                    Assert.False(typeof(SyntaxNode).IsAssignableFrom(property.PropertyType), $"{type.Name}.{property.Name}");
                    Assert.False(typeof(Compilation).IsAssignableFrom(property.PropertyType), $"{type.Name}.{property.Name}");
                    Assert.False(typeof(SemanticModel).IsAssignableFrom(property.PropertyType), $"{type.Name}.{property.Name}");
                }
        }
    }
}
