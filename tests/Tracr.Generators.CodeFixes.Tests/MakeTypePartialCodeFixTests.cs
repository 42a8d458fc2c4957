using System.Threading.Tasks;
using Xunit;
using Verify = Tracr.Generators.CodeFixes.Tests.CodeFixVerifier<Tracr.Generators.CodeFixes.MakeTypePartialCodeFix>;

namespace Tracr.Generators.CodeFixes.Tests
{
    /// <summary>TRACR002: "Make 'X' partial".</summary>
    public class MakeTypePartialCodeFixTests
    {
        [Fact]
        public Task Adds_partial_after_the_other_modifiers() => Verify.VerifyAsync(@"
public static class {|TRACR002:Reverse|}
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}", @"
public static partial class Reverse
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}");

        [Fact]
        public Task Adds_partial_to_a_type_without_modifiers() => Verify.VerifyAsync(@"
class {|TRACR002:Reverse|}
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}", @"
partial class Reverse
{
    [RaspProgram(""a"", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}");

        [Fact]
        public Task Fixes_a_containing_type() => Verify.VerifyAsync(@"
public class {|TRACR002:Outer|}
{
    public static partial class Inner
    {
        [RaspProgram(""a"", MaxSeqLen = 5)]
        static SOp Program() => Library.MakeReverse(Tokens);
    }
}", @"
public partial class Outer
{
    public static partial class Inner
    {
        [RaspProgram(""a"", MaxSeqLen = 5)]
        static SOp Program() => Library.MakeReverse(Tokens);
    }
}");

        [Fact]
        public Task Fixes_a_struct_and_its_containing_class_at_once() => Verify.VerifyFixAllAsync(@"
internal sealed class {|TRACR002:Outer|}
{
    public readonly struct {|TRACR002:Inner|}
    {
        [RaspProgram(""a"", MaxSeqLen = 5)]
        static SOp Program() => Library.MakeReverse(Tokens);
    }
}", @"
internal sealed partial class Outer
{
    public readonly partial struct Inner
    {
        [RaspProgram(""a"", MaxSeqLen = 5)]
        static SOp Program() => Library.MakeReverse(Tokens);
    }
}");
    }
}
