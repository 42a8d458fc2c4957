using System.Threading.Tasks;
using Xunit;
using Verify = Tracr.Generators.CodeFixes.Tests.CodeFixVerifier<Tracr.Generators.CodeFixes.RenameModelCodeFix>;

namespace Tracr.Generators.CodeFixes.Tests
{
    /// <summary>TRACR011: "Name the model 'X'" sets a free ModelName.</summary>
    public class RenameModelCodeFixTests
    {
        [Fact]
        public Task Adds_ModelName_when_the_default_name_is_a_member() => Verify.VerifyAsync(@"
public static partial class P
{
    public static int Model;

    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp {|TRACR011:Program|}() => Tokens;
}", @"
public static partial class P
{
    public static int Model;

    [RaspProgram(""a"", MaxSeqLen = 5, ModelName = ""ProgramModel"")]
    static SOp Program() => Tokens;
}");

        [Fact]
        public Task Replaces_a_written_ModelName_that_is_taken() => Verify.VerifyAsync(@"
public static partial class P
{
    public static void Helper() { }

    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR011:ModelName = ""Helper""|})]
    static SOp Reverse() => Library.MakeReverse(Tokens);
}", @"
public static partial class P
{
    public static void Helper() { }

    [RaspProgram(""a"", MaxSeqLen = 5, ModelName = ""ReverseModel"")]
    static SOp Reverse() => Library.MakeReverse(Tokens);
}");

        [Fact]
        public Task Replaces_a_ModelName_that_is_not_an_identifier() => Verify.VerifyAsync(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR011:ModelName = ""not valid""|})]
    static SOp Reverse() => Library.MakeReverse(Tokens);
}", @"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5, ModelName = ""ReverseModel"")]
    static SOp Reverse() => Library.MakeReverse(Tokens);
}");

        [Fact]
        public Task Numbers_the_name_past_members_and_other_programs_model_names() => Verify.VerifyAsync(@"
public static partial class P
{
    public const int ReverseModel = 1;

    [RaspProgram(""a"", MaxSeqLen = 5, ModelName = ""ReverseModel2"")]
    static SOp Other() => Tokens;

    [RaspProgram(""a"", MaxSeqLen = 5, {|TRACR011:ModelName = ""P""|})]
    static SOp Reverse() => Library.MakeReverse(Tokens);
}", @"
public static partial class P
{
    public const int ReverseModel = 1;

    [RaspProgram(""a"", MaxSeqLen = 5, ModelName = ""ReverseModel2"")]
    static SOp Other() => Tokens;

    [RaspProgram(""a"", MaxSeqLen = 5, ModelName = ""ReverseModel3"")]
    static SOp Reverse() => Library.MakeReverse(Tokens);
}");
    }
}
