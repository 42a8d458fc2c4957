using System;
using System.Linq;
using Tracr.Lambdas;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>Lambdas as data: the form the build-time generator gives the functions of a program.</summary>
    public class LambdaTests
    {
        private static readonly ParameterNode X = new ParameterNode(0);
        private static readonly ParameterNode Y = new ParameterNode(1);
        private static ConstantNode C(Value v) => new ConstantNode(v);

        [Fact]
        public void Operators_keep_the_semantics_of_the_CSharp_they_came_from()
        {
            var intDiv = new LambdaFunction(new[] { "x" }, new BinaryNode(BinaryOperator.IntegerDivide, X, C(2)));
            var trueDiv = new LambdaFunction(new[] { "x" }, new BinaryNode(BinaryOperator.TrueDivide, X, C(2)));
            Assert.Equal((Value)(-1), intDiv.Invoke(-3));
            Assert.Equal((Value)(-1.5), trueDiv.Invoke(-3));
            var rem = new LambdaFunction(new[] { "x" }, new BinaryNode(BinaryOperator.Remainder, X, C(3)));
            var mod = new LambdaFunction(new[] { "x" }, new BinaryNode(BinaryOperator.Modulo, X, C(3)));
            Assert.Equal((Value)(-1), rem.Invoke(-1));
            Assert.Equal((Value)2, mod.Invoke(-1));
            var reciprocal = new LambdaFunction(new[] { "x" }, new BinaryNode(BinaryOperator.IntegerDivide, C(1), X));
            Assert.Throws<DivideByZeroException>(() => reciprocal.Invoke(0));
        }

        [Fact]
        public void Conditionals_short_circuit_and_calls_work()
        {
            // x == 0 ? 0 : 10 / x  never divides by zero.
            var f = new LambdaFunction(new[] { "x" }, new ConditionalNode(
                new BinaryNode(BinaryOperator.Equal, X, C(0)), C(0), new BinaryNode(BinaryOperator.IntegerDivide, C(10), X)));
            Assert.Equal((Value)0, f.Invoke(0));
            Assert.Equal((Value)5, f.Invoke(2));
            var pair = new LambdaFunction(new[] { "x", "y" }, new CallNode(KnownFunctions.Tuple, X, new CallNode("Math.Max", X, Y)));
            Assert.Equal((Value)(1, 3), pair.Invoke(1, 3));
            Assert.Throws<ArgumentException>(() => new CallNode("File.Delete", X));
        }

        [Fact]
        public void Lambdas_print_as_CSharp_and_are_structurally_equal()
        {
            LambdaFunction Make() => new LambdaFunction(new[] { "k", "q" },
                new BinaryNode(BinaryOperator.Equal, X, new BinaryNode(BinaryOperator.Subtract, Y, C(1))));
            Assert.Equal("(k, q) => k == (q - 1)", Make().ToString());
            Assert.Equal(Make(), Make());
            Assert.Equal(Make().GetHashCode(), Make().GetHashCode());
            Assert.NotEqual(Make(), new LambdaFunction(new[] { "k", "q" }, new BinaryNode(BinaryOperator.Equal, X, Y)));
            Assert.Equal("x => \"a\" + x", new LambdaFunction(new[] { "x" }, new BinaryNode(BinaryOperator.Add, C("a"), X)).ToString());
        }

        [Fact]
        public void Programs_built_from_lambda_data_compile_like_delegates()
        {
            var shift = new LambdaFunction(new[] { "k", "q" }, new BinaryNode(BinaryOperator.Equal, X, new BinaryNode(BinaryOperator.Subtract, Y, C(1))));
            var inc = new LambdaFunction(new[] { "x" }, new BinaryNode(BinaryOperator.Add, X, C(1)));
            var fromData = Aggregate(Select(Indices, Indices, shift), Map(inc, Tokens));
            var fromDelegates = Aggregate(Select(Indices, Indices, (k, q) => k == q - 1), Map(x => x + 1, Tokens));
            var vocab = new Value[] { 1, 2, 3 };
            var a = RaspCompiler.Compile(fromData, vocab, 4);
            var b = RaspCompiler.Compile(fromDelegates, vocab, 4);
            Assert.Equal(CompilerTests.Fingerprint(b), CompilerTests.Fingerprint(a));
            foreach (var input in CompilerTests.AllInputs(vocab, 4))
                Assert.Equal(Rasp.Evaluate(fromDelegates, input), a.Apply(input).Outputs);
        }
    }
}
