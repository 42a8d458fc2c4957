using System.Threading.Tasks;
using Xunit;
using Verify = Tracr.Generators.CodeFixes.Tests.CodeFixVerifier<Tracr.Generators.CodeFixes.MakeMethodStaticCodeFix>;

namespace Tracr.Generators.CodeFixes.Tests
{
    /// <summary>TRACR001: "Make 'X' static".</summary>
    public class MakeMethodStaticCodeFixTests
    {
        [Fact]
        public Task Adds_static_to_an_instance_method() => Verify.VerifyAsync(@"
public partial class Reverse
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    SOp {|TRACR001:Program|}() => Library.MakeReverse(Tokens);
}", @"
public partial class Reverse
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}");

        [Fact]
        public Task Puts_static_after_the_access_modifier() => Verify.VerifyAsync(@"
public partial class Reverse
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    public SOp {|TRACR001:Program|}()
    {
        return Library.MakeReverse(Tokens);
    }
}", @"
public partial class Reverse
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    public static SOp Program()
    {
        return Library.MakeReverse(Tokens);
    }
}");

        [Fact]
        public Task Fixes_every_program_of_a_document_at_once() => Verify.VerifyFixAllAsync(@"
public partial class Programs
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    internal SOp {|TRACR001:Reverse|}() => Library.MakeReverse(Tokens);

    [RaspProgram(""a"", MaxSeqLen = 5)]
    SOp {|TRACR001:Length|}() => Rasp.Length;
}", @"
public partial class Programs
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    internal static SOp Reverse() => Library.MakeReverse(Tokens);

    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Length() => Rasp.Length;
}");

        [Fact]
        public Task Not_offered_for_a_local_function() => Verify.VerifyNoFixAsync(@"
public static partial class Host
{
    public static SOp Build()
    {
        return Local();

        [RaspProgram(""a"", MaxSeqLen = 5)]
        static SOp {|TRACR001:Local|}() => Tokens;
    }
}");

        [Fact]
        public Task Not_offered_for_a_virtual_method() => Verify.VerifyNoFixAsync(@"
public partial class Reverse
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    public virtual SOp {|TRACR001:Program|}() => Library.MakeReverse(Tokens);
}");
    }
}
