using System.Threading.Tasks;
using Xunit;
using Verify = Tracr.Generators.CodeFixes.Tests.CodeFixVerifier<Tracr.Generators.CodeFixes.RemoveParametersCodeFix>;

namespace Tracr.Generators.CodeFixes.Tests
{
    /// <summary>TRACR003: "Remove the parameters of 'X'", only when the body does not use them.</summary>
    public class RemoveParametersCodeFixTests
    {
        [Fact]
        public Task Removes_unused_parameters() => Verify.VerifyAsync(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program({|TRACR003:int n, string label = ""x""|}) => Library.MakeReverse(Tokens);
}", @"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}");

        [Fact]
        public Task Removes_parameters_written_on_several_lines() => Verify.VerifyAsync(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program(
        {|TRACR003:int n,
        int m|})
    {
        return Tokens;
    }
}", @"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program()
    {
        return Tokens;
    }
}");

        [Fact]
        public Task Not_offered_when_the_body_uses_a_parameter() => Verify.VerifyNoFixAsync(@"
public static partial class P
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program({|TRACR003:SOp input, int shift = 1|}) => input;
}");
    }
}
