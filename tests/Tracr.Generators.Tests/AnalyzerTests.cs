extern alias gen;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;
using RaspProgramAnalyzer = gen::Tracr.Generators.Analyzers.RaspProgramAnalyzer;

namespace Tracr.Generators.Tests
{
    /// <summary>
    /// The [RaspProgram] analyzer (TRACR001-TRACR011): for each problem the ID, the exact message and the exact span
    /// (marked <c>{|ID:...|}</c> in the source).
    /// </summary>
    public class AnalyzerTests
    {
        private const string Usings = "using Tracr;\nusing static Tracr.Rasp;\n\n";

        /// <summary>Compiles the marked source (which must be valid C#) and checks the analyzer reports exactly the marked diagnostics, with these messages in source order.</summary>
        private static void Verify(string markup, params string[] messages)
        {
            var marked = MarkedSource.Parse(Usings + markup);
            Assert.Equal(marked.Spans.Count, messages.Length);
            var compilation = TestCompilation.Create(marked.Source);
            Assert.Empty(TestCompilation.CompilerErrors(compilation));

            var expected = marked.Spans.Select((s, i) => $"{s.Id} {s.Span} '{marked.Source.Substring(s.Span.Start, s.Span.Length)}': {messages[i]}");
            var actual = TestCompilation.RunRaspProgramAnalyzer(compilation)
                .Select(d => $"{d.Id} {d.Location.SourceSpan} '{marked.Source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}': {d.GetMessage()}");
            Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
        }

        // ------------------------------------------------------------------ no diagnostics

        [Fact]
        public void A_correct_program_has_no_diagnostics() => Verify(@"
public static partial class Reverse
{
    [RaspProgram(""a"", ""b"", ""c"", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}");

        [Fact]
        public void Every_option_set_correctly_has_no_diagnostics() => Verify(@"
namespace Demo
{
    public partial class Outer
    {
        internal static partial class Programs
        {
            [RaspProgram(VocabFrom = 0, VocabTo = 9, MaxSeqLen = 8, Causal = true, CompilerBos = ""BOS"", CompilerPad = ""PAD"",
                         MlpExactness = 50, SoftmaxColdness = 200.5, MaxValueSetSize = 100, MaxNumericalValueSetSize = 1000, ModelName = ""Sorter"")]
            public static SOp Sort() => Library.MakeSortUnique(Tokens, Tokens);

            [RaspProgram('x', 'y', MaxSeqLen = 4)]
            static SOp FracPrevs() => Library.MakeFracPrevs(Tokens == ""x"");

            [RaspProgram(new object[] { 1, 2.5, ""a"", false }, MaxSeqLen = 3)]
            static SOp Mixed() => Tokens;
        }
    }
}");

        [Fact]
        public void A_method_returning_a_subclass_of_SOp_is_accepted() => Verify(@"
public static partial class P
{
    [RaspProgram(1, 2, MaxSeqLen = 3)]
    static Map Program() => new Map(x => x, Tokens);
}");

        [Fact]
        public void Methods_without_the_attribute_are_ignored() => Verify(@"
public class P
{
    SOp Program(int n) => Tokens;
}");

        [Fact]
        public void An_attribute_that_does_not_compile_is_left_to_the_compiler()
        {
            var compilation = TestCompilation.Create(Usings + @"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = ""five"")]
    static SOp Program() => Tokens;
}");
            Assert.Contains(TestCompilation.CompilerErrors(compilation), d => d.Id == "CS0029");
            Assert.Empty(TestCompilation.RunRaspProgramAnalyzer(compilation));
        }

        [Fact]
        public void Every_problem_of_a_declaration_is_reported_at_once() => Verify(@"
public class {|TRACR002:P|}
{
    [{|TRACR006:RaspProgram|}(MaxSeqLen = 2)]
    {|TRACR004:int|} {|TRACR001:Program|}({|TRACR003:int n|}) => n;
}",
            "The type 'P' must be partial: the generator adds the compiled model 'Model' to it",
            "The RASP program 'P.Program' has an empty vocabulary: list the tokens in [RaspProgram(...)] or set VocabFrom/VocabTo",
            "The RASP program method 'P.Program' returns 'int'; it must return Tracr.SOp",
            "The RASP program method 'P.Program' must be static",
            "The RASP program method 'P.Program' must have no parameters (move parameterised code into a helper method it calls)");

        // ------------------------------------------------------------------ TRACR001

        [Fact]
        public void TRACR001_instance_method() => Verify(@"
public partial class Reverse
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    SOp {|TRACR001:Program|}() => Library.MakeReverse(Tokens);
}",
            "The RASP program method 'Reverse.Program' must be static");

        [Fact]
        public void TRACR001_local_function() => Verify(@"
public static partial class Host
{
    public static SOp Build()
    {
        return Local();

        [RaspProgram(""a"", MaxSeqLen = 5)]
        static SOp {|TRACR001:Local|}() => Tokens;
    }
}",
            "The RASP program method 'Host.Local' must be an ordinary static method of a class, struct, record or interface (not a local function, lambda, accessor or operator)");

        // ------------------------------------------------------------------ TRACR002

        [Fact]
        public void TRACR002_type_not_partial() => Verify(@"
public static class {|TRACR002:Reverse|}
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}",
            "The type 'Reverse' must be partial: the generator adds the compiled model 'Model' to it");

        [Fact]
        public void TRACR002_containing_type_not_partial() => Verify(@"
public class {|TRACR002:Outer|}
{
    public static partial class Inner
    {
        [RaspProgram(""a"", MaxSeqLen = 5, ModelName = ""Reversed"")]
        static SOp Program() => Library.MakeReverse(Tokens);
    }
}",
            "The type 'Outer' must be partial: the generator adds the compiled model 'Reversed' to it");

        [Fact]
        public void TRACR002_nested_type_named_with_its_containing_types() => Verify(@"
public partial class Outer
{
    public struct {|TRACR002:Inner|}
    {
        [RaspProgram(""a"", MaxSeqLen = 5)]
        static SOp Reverse() => Library.MakeReverse(Tokens);
    }
}",
            "The type 'Outer.Inner' must be partial: the generator adds the compiled model 'ReverseModel' to it");

        // ------------------------------------------------------------------ TRACR003

        [Fact]
        public void TRACR003_parameters() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program({|TRACR003:SOp input, int shift = 1|}) => input;
}",
            "The RASP program method 'P.Program' must have no parameters (move parameterised code into a helper method it calls)");

        // ------------------------------------------------------------------ TRACR004

        [Fact]
        public void TRACR004_wrong_return_type() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static {|TRACR004:Selector|} Program() => Select(Tokens, Tokens, Comparison.EQ);
}",
            "The RASP program method 'P.Program' returns 'Selector'; it must return Tracr.SOp");

        [Fact]
        public void TRACR004_void() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static {|TRACR004:void|} Program() { }
}",
            "The RASP program method 'P.Program' returns 'void'; it must return Tracr.SOp");

        // ------------------------------------------------------------------ TRACR005

        [Fact]
        public void TRACR005_generic_method() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program{|TRACR005:<T>|}() => Tokens;
}",
            "The RASP program method 'P.Program' must not be generic or inside a generic type");

        [Fact]
        public void TRACR005_generic_containing_type() => Verify(@"
public static partial class Box<T>
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp {|TRACR005:Program|}() => Tokens;
}",
            "The RASP program method 'Box<T>.Program' must not be generic or inside a generic type");

        // ------------------------------------------------------------------ TRACR006

        [Fact]
        public void TRACR006_no_tokens() => Verify(@"
public static partial class P
{
    [{|TRACR006:RaspProgram|}(MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "The RASP program 'P.Program' has an empty vocabulary: list the tokens in [RaspProgram(...)] or set VocabFrom/VocabTo");

        [Fact]
        public void TRACR006_empty_array() => Verify(@"
public static partial class P
{
    [{|TRACR006:Tracr.RaspProgramAttribute|}(new object[0], MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "The RASP program 'P.Program' has an empty vocabulary: list the tokens in [RaspProgram(...)] or set VocabFrom/VocabTo");

        // ------------------------------------------------------------------ TRACR007

        [Fact]
        public void TRACR007_missing() => Verify(@"
public static partial class P
{
    [{|TRACR007:RaspProgram|}(""a"", ""b"")]
    static SOp Program() => Tokens;
}",
            "The RASP program 'P.Program' needs MaxSeqLen, the longest input it accepts, of at least 1 (it is not set)");

        [Fact]
        public void TRACR007_zero() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", ""b"", {|TRACR007:MaxSeqLen = 0|})]
    static SOp Program() => Tokens;
}",
            "The RASP program 'P.Program' needs MaxSeqLen, the longest input it accepts, of at least 1 (it is 0)");

        [Fact]
        public void TRACR007_negative() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", {|TRACR007:MaxSeqLen = -3|})]
    static SOp Program() => Tokens;
}",
            "The RASP program 'P.Program' needs MaxSeqLen, the longest input it accepts, of at least 1 (it is -3)");

        // ------------------------------------------------------------------ TRACR008

        [Fact]
        public void TRACR008_default_bos_in_the_vocab() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", {|TRACR008:""compiler_bos""|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "The BOS token 'compiler_bos' is also a vocabulary token; the BOS token, the PAD token and the vocabulary tokens must all differ");

        [Fact]
        public void TRACR008_pad_option_in_the_vocab() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", ""x"", {|TRACR008:CompilerPad = ""x""|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "The PAD token 'x' is also a vocabulary token; the BOS token, the PAD token and the vocabulary tokens must all differ");

        [Fact]
        public void TRACR008_compares_tokens_as_RASP_values() => Verify(@"
public static partial class P
{
    [RaspProgram('a', 'b', {|TRACR008:CompilerBos = ""b""|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "The BOS token 'b' is also a vocabulary token; the BOS token, the PAD token and the vocabulary tokens must all differ");

        [Fact]
        public void TRACR008_bos_equals_pad() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", CompilerBos = ""s"", {|TRACR008:CompilerPad = ""s""|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "The PAD token 's' is also the BOS token; the BOS token, the PAD token and the vocabulary tokens must all differ");

        [Fact]
        public void TRACR008_pad_set_to_the_default_bos() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", {|TRACR008:CompilerPad = ""compiler_bos""|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "The PAD token 'compiler_bos' is also the BOS token; the BOS token, the PAD token and the vocabulary tokens must all differ");

        // ------------------------------------------------------------------ TRACR009

        [Fact]
        public void TRACR009_duplicate_token() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", ""b"", {|TRACR009:""a""|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': the token 'a' is listed more than once");

        [Fact]
        public void TRACR009_tokens_equal_as_RASP_values() => Verify(@"
public static partial class P
{
    [RaspProgram(1, {|TRACR009:true|}, {|TRACR009:1.0|}, 'a', {|TRACR009:""a""|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': the token True is the same RASP value as the token 1 (values compare as in Python)",
            "Invalid vocabulary for 'P.Program': the token 1.0 is the same RASP value as the token 1 (values compare as in Python)",
            "Invalid vocabulary for 'P.Program': the token 'a' is listed more than once");

        [Fact]
        public void TRACR009_in_an_explicit_array() => Verify(@"
public static partial class P
{
    [RaspProgram(new object[] { 3, {|TRACR009:3|} }, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': the token 3 is listed more than once");

        [Fact]
        public void TRACR009_in_a_collection_expression() => Verify(@"
public static partial class P
{
    [RaspProgram([""x"", 'y', {|TRACR009:'x'|}], MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': the token 'x' is listed more than once");

        [Fact]
        public void TRACR009_null_and_unsupported_constants() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", {|TRACR009:null|}, {|TRACR009:2L|}, {|TRACR009:1.5f|}, {|TRACR009:typeof(int)|}, {|TRACR009:double.NaN|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': null is not a token",
            "Invalid vocabulary for 'P.Program': a token of type 'long' is not supported (tokens are int, string, char, bool or double constants)",
            "Invalid vocabulary for 'P.Program': a token of type 'float' is not supported (tokens are int, string, char, bool or double constants)",
            "Invalid vocabulary for 'P.Program': a token of type 'Type' is not supported (tokens are int, string, char, bool or double constants)",
            "Invalid vocabulary for 'P.Program': the token NaN is not a finite number");

        [Fact]
        public void TRACR009_null_token_list() => Verify(@"
public static partial class P
{
    [RaspProgram({|TRACR009:null|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': the token list is null");

        [Fact]
        public void TRACR009_list_and_range() => Verify(@"
public static partial class P
{
    [RaspProgram(1, 2, {|TRACR009:VocabFrom = 0|}, VocabTo = 3, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': give the tokens either as a list or as VocabFrom/VocabTo, not both");

        [Fact]
        public void TRACR009_half_a_range() => Verify(@"
public static partial class P
{
    [RaspProgram({|TRACR009:VocabTo = 3|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': VocabTo is set but VocabFrom is not; set both (the range is inclusive)");

        [Fact]
        public void TRACR009_empty_range() => Verify(@"
public static partial class P
{
    [RaspProgram(VocabFrom = 5, {|TRACR009:VocabTo = 2|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': VocabFrom (5) is greater than VocabTo (2)");

        [Fact]
        public void TRACR009_range_too_large() => Verify(@"
public static partial class P
{
    [RaspProgram(VocabFrom = -100000, {|TRACR009:VocabTo = 100000|}, MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}",
            "Invalid vocabulary for 'P.Program': VocabFrom..VocabTo holds 200001 tokens, more than the 100,000 supported");

        // ------------------------------------------------------------------ TRACR010

        [Fact]
        public void TRACR010_numeric_options() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR010:MlpExactness = 0|}, {|TRACR010:SoftmaxColdness = double.PositiveInfinity|},
                 {|TRACR010:MaxValueSetSize = 0|}, {|TRACR010:MaxNumericalValueSetSize = -1|})]
    static SOp Program() => Tokens;
}",
            "Invalid option MlpExactness = 0: it must be a finite number greater than 0",
            "Invalid option SoftmaxColdness = Infinity: it must be a finite number greater than 0",
            "Invalid option MaxValueSetSize = 0: it must be at least 1",
            "Invalid option MaxNumericalValueSetSize = -1: it must be at least 1");

        [Fact]
        public void TRACR010_not_a_number() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR010:MlpExactness = double.NaN|})]
    static SOp Program() => Tokens;
}",
            "Invalid option MlpExactness = NaN: it must be a finite number greater than 0");

        [Fact]
        public void TRACR010_empty_special_tokens() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR010:CompilerBos = """"|}, {|TRACR010:CompilerPad = null|})]
    static SOp Program() => Tokens;
}",
            "Invalid option CompilerBos = \"\": the token must be a non-empty string",
            "Invalid option CompilerPad = null: the token must be a non-empty string");

        // ------------------------------------------------------------------ TRACR011

        [Fact]
        public void TRACR011_existing_member() => Verify(@"
public static partial class P
{
    public static int Model;

    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp {|TRACR011:Program|}() => Tokens;
}",
            "The compiled model of 'P.Program' would be named 'Model', which is already a member of 'P'; set ModelName to another name");

        [Fact]
        public void TRACR011_existing_member_in_another_part() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR011:ModelName = ""Helper""|})]
    static SOp Program() => Tokens;
}

public static partial class P
{
    static void Helper() { }
}",
            "The compiled model of 'P.Program' would be named 'Helper', which is already a member of 'P'; set ModelName to another name");

        [Fact]
        public void TRACR011_the_method_itself() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR011:ModelName = ""Reverse""|})]
    static SOp Reverse() => Tokens;
}",
            "The compiled model of 'P.Reverse' would be named 'Reverse', which is the name of the method itself; set ModelName to another name");

        [Fact]
        public void TRACR011_name_of_the_type() => Verify(@"
public static partial class Model
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp {|TRACR011:Program|}() => Tokens;
}",
            "The compiled model of 'Model.Program' would be named 'Model', which is the name of its type 'Model' (a member cannot have the name of its type); set ModelName to another name");

        [Fact]
        public void TRACR011_two_programs_with_one_model_name() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp {|TRACR011:Reverse|}() => Library.MakeReverse(Tokens);

    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR011:ModelName = ""ReverseModel""|})]
    static SOp Other() => Tokens;
}",
            "The compiled model of 'P.Reverse' would be named 'ReverseModel', which is also the model name of the RASP program 'P.Other'; set ModelName to another name",
            "The compiled model of 'P.Other' would be named 'ReverseModel', which is also the model name of the RASP program 'P.Reverse'; set ModelName to another name");

        [Fact]
        public void TRACR011_invalid_identifier() => Verify(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR011:ModelName = ""class""|})]
    static SOp Program() => Tokens;

    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR011:ModelName = ""2nd model""|})]
    static SOp Other() => Tokens;
}",
            "The compiled model of 'P.Program' would be named 'class', which is not a valid C# identifier; set ModelName to another name",
            "The compiled model of 'P.Other' would be named '2nd model', which is not a valid C# identifier; set ModelName to another name");

        [Fact]
        public void TRACR011_not_reported_for_the_generators_own_model_property()
        {
            // In the IDE and in a build, the analyzer sees the generator's output: the property it adds is no conflict.
            var user = Usings + @"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program() => Tokens;
}";
            var generated = @"
public static partial class P
{
    public static object Model => null!;
}";
            var compilation = TestCompilation.Create(("/src/P.cs", user), ("Tracr.Generators/Tracr.Generators.RaspProgramGenerator/P.Program.g.cs", generated));
            Assert.Empty(TestCompilation.CompilerErrors(compilation));
            Assert.Empty(TestCompilation.RunRaspProgramAnalyzer(compilation));

            // The same property written by hand is a conflict.
            var handWritten = TestCompilation.Create(("/src/P.cs", user), ("/src/Model.cs", generated));
            Assert.Equal(new[] { "TRACR011" }, TestCompilation.RunRaspProgramAnalyzer(handWritten).Select(d => d.Id));
        }

        [Fact]
        public void The_real_generator_output_is_not_a_conflict()
        {
            var compilation = TestCompilation.Create(Usings + @"
public static partial class Reverse
{
    [RaspProgram(""a"", ""b"", ""c"", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}");
            TestCompilation.RunGenerators(compilation, out var output, out var generatorDiagnostics, new gen::Tracr.Generators.RaspProgramGenerator());
            Assert.Empty(generatorDiagnostics);
            Assert.True(output.SyntaxTrees.Count() > compilation.SyntaxTrees.Count(), "the generator added no source");
            Assert.Contains(output.GetTypeByMetadataName("Reverse")!.GetMembers("Model"), m => m is IPropertySymbol);
            Assert.Empty(TestCompilation.RunRaspProgramAnalyzer(output));
        }

        // ------------------------------------------------------------------ the analyzer itself

        [Fact]
        public void Supports_exactly_the_usage_diagnostics()
        {
            var ids = new RaspProgramAnalyzer().SupportedDiagnostics.Select(d => d.Id).OrderBy(id => id, System.StringComparer.Ordinal);
            Assert.Equal(Enumerable.Range(1, 14).Select(i => $"TRACR{i:000}"), ids);
        }

        [Fact]
        public async System.Threading.Tasks.Task Diagnostics_can_be_suppressed_with_pragma()
        {
            var compilation = TestCompilation.Create(Usings + @"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
#pragma warning disable TRACR001
    SOp Program() => Tokens;
#pragma warning restore TRACR001
}");
            var withAnalyzers = compilation.WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<DiagnosticAnalyzer>(new RaspProgramAnalyzer()));
            var diagnostics = await withAnalyzers.GetAllDiagnosticsAsync();
            Assert.DoesNotContain(diagnostics, d => d.Id == "TRACR001" && !d.IsSuppressed);
        }
    }
}
