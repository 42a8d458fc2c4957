using System;
using System.Linq;
using Tracr.Lambdas;
using Xunit;
using static Tracr.Rasp;

namespace Tracr.Tests
{
    /// <summary>Lambdas as data: the form the build-time generator gives the functions of a program, with C#'s meaning.</summary>
    public class LambdaTests
    {
        private static readonly LocalNode X = new LocalNode(0);
        private static readonly LocalNode Y = new LocalNode(1);
        private static ConstantNode C(object v) => new ConstantNode(v, new TypeRef(v.GetType().FullName!));
        private static ConstantNode V(Value v) => new ConstantNode(v);

        private static MemberRef ValueOp(string name, int arity = 2) =>
            new MemberRef(TypeRef.Value, name, MemberKind.Method, Enumerable.Repeat(TypeRef.Value, arity).ToArray());

        private static object? Run(LambdaNode body, params object?[] args) =>
            new LambdaFunction(args.Select((_, i) => "a" + i).ToArray(), body).Invoke(args);

        [Fact]
        public void Built_in_operators_mean_what_CSharp_means()
        {
            // Unchecked int arithmetic wraps; checked throws; / truncates; % takes the dividend's sign.
            Assert.Equal(unchecked(7 * 1_000_000_000), Run(new BinaryNode(LambdaOperator.Multiply, TypeRef.Int32, false, X, C(1_000_000_000)), 7));
            Assert.Throws<OverflowException>(() => Run(new BinaryNode(LambdaOperator.Multiply, TypeRef.Int32, true, X, C(1_000_000_000)), 7));
            Assert.Equal(-3, Run(new BinaryNode(LambdaOperator.Divide, TypeRef.Int32, false, X, C(2)), -7));
            Assert.Equal(-1, Run(new BinaryNode(LambdaOperator.Remainder, TypeRef.Int32, false, X, C(2)), -7));
            Assert.Throws<DivideByZeroException>(() => Run(new BinaryNode(LambdaOperator.Divide, TypeRef.Int32, false, X, C(0)), 1));
            // Floating division gives infinities and NaN, not an error.
            Assert.Equal(double.PositiveInfinity, Run(new BinaryNode(LambdaOperator.Divide, TypeRef.Double, false, X, C(0.0)), 1.0));
            Assert.True(double.IsNaN((double)Run(new BinaryNode(LambdaOperator.Divide, TypeRef.Double, false, X, C(0.0)), 0.0)!));
            Assert.Equal(false, Run(new BinaryNode(LambdaOperator.Equals, TypeRef.Double, false, X, X), double.NaN));
        }

        [Fact]
        public void Conversions_are_CSharp_casts()
        {
            Assert.Equal('a', Run(new ConvertNode(TypeRef.Char, false, true, X), 97));
            Assert.Equal((byte)44, Run(new ConvertNode(new TypeRef("System.Byte"), false, true, X), 300));
            Assert.Throws<OverflowException>(() => Run(new ConvertNode(new TypeRef("System.Byte"), true, true, X), 300));
            Assert.Equal((float)(1.0 / 3), Run(new ConvertNode(new TypeRef("System.Single"), false, true, X), 1.0 / 3));
            // User-defined: Value's explicit conversion to int, and the implicit one from char (a one-letter string).
            var toInt = new MemberRef(TypeRef.Value, "op_Explicit", MemberKind.Method, new[] { TypeRef.Value }, returnType: TypeRef.Int32);
            Assert.Equal(3, Run(new ConvertNode(TypeRef.Int32, false, true, X, toInt), Value.FromInt(3)));
            var fromChar = new MemberRef(TypeRef.Value, "op_Implicit", MemberKind.Method, new[] { TypeRef.Char }, returnType: TypeRef.Value);
            Assert.Equal(Value.FromString("a"), Run(new ConvertNode(TypeRef.Value, false, false, X, fromChar), 'a'));
        }

        [Fact]
        public void Value_operators_are_its_own()
        {
            var half = new BinaryNode(LambdaOperator.Divide, TypeRef.Value, false, X, V(2), ValueOp("op_Division"));
            Assert.Equal(Value.FromFloat(1.5), Run(half, Value.FromInt(3)));
            var floor = new CallNode(ValueOp("FloorDiv"), null, X, V(2));
            Assert.Equal(Value.FromInt(-2), Run(floor, Value.FromInt(-3)));
            var none = new CallNode(new MemberRef(TypeRef.Value, "None", MemberKind.Field, Array.Empty<TypeRef>()), null);
            Assert.Equal(Value.None, Run(none));
        }

        [Fact]
        public void Statements_loops_and_helpers_run()
        {
            // int sum = 0; for (int i = 1; i <= x; i++) sum += i; return sum;
            var body = new BlockStatement(
                new ExpressionStatement(new AssignNode(1, C(0))),
                new ExpressionStatement(new AssignNode(2, C(1))),
                new LoopStatement(new BinaryNode(LambdaOperator.LessThanOrEqual, TypeRef.Int32, false, new LocalNode(2), X), true,
                    new ExpressionStatement(new AssignNode(1, new BinaryNode(LambdaOperator.Add, TypeRef.Int32, false, new LocalNode(1), new LocalNode(2)))),
                    new ExpressionStatement(new AssignNode(2, new BinaryNode(LambdaOperator.Add, TypeRef.Int32, false, new LocalNode(2), C(1))))),
                new ReturnStatement(new LocalNode(1)));
            Assert.Equal(15, new LambdaFunction(new[] { "x" }, new[] { "x", "sum", "i" }, body).Invoke(5));

            // A recursive helper: fact(n) = n <= 1 ? 1 : n * fact(n - 1).
            var fact = new LambdaHelper("fact", 1, new[] { "n" }, new ReturnStatement(new ConditionalNode(
                new BinaryNode(LambdaOperator.LessThanOrEqual, TypeRef.Int32, false, X, C(1)), C(1),
                new BinaryNode(LambdaOperator.Multiply, TypeRef.Int32, false, X, new HelperCallNode(0, "fact", new BinaryNode(LambdaOperator.Subtract, TypeRef.Int32, false, X, C(1)))))));
            var f = new LambdaFunction(new[] { "x" }, new[] { "x" }, new ReturnStatement(new HelperCallNode(0, "fact", X)), new[] { fact });
            Assert.Equal(120, f.Invoke(5));
            Assert.Throws<LambdaLimitException>(() => f.Invoke(1000));
        }

        [Fact]
        public void Limits_stop_runaway_lambdas()
        {
            var forever = new LambdaFunction(new[] { "x" }, new[] { "x" }, new LoopStatement(null, true, new BlockStatement()));
            Assert.Contains("steps", Assert.Throws<LambdaLimitException>(() => forever.Invoke(0)).Message);
            var huge = new LambdaFunction(new[] { "x" }, new NewArrayNode(TypeRef.Int32, X));
            Assert.Throws<LambdaLimitException>(() => huge.Invoke(LambdaLimits.MaxElements + 1));
            Assert.Equal(10, ((int[])huge.Invoke(10)!).Length);
        }

        [Fact]
        public void Only_pure_base_library_members_can_be_called()
        {
            var delete = new MemberRef(new TypeRef("System.IO.File"), "Delete", MemberKind.Method, new[] { TypeRef.String });
            Assert.Throws<ArgumentException>(() => new CallNode(delete, null, C("x")));
            var hash = new MemberRef(TypeRef.String, "GetHashCode", MemberKind.Method, Array.Empty<TypeRef>());
            Assert.Contains("randomised", Assert.Throws<ArgumentException>(() => new CallNode(hash, C("x"))).Message);
            var sin = new MemberRef(new TypeRef("System.Math"), "Sin", MemberKind.Method, new[] { TypeRef.Double });
            Assert.Equal(Math.Sin(0.5), Run(new CallNode(sin, null, X), 0.5));
        }

        [Fact]
        public void Trees_are_structurally_equatable_and_print_as_CSharp()
        {
            LambdaFunction Make(int c) => new LambdaFunction(new[] { "k", "q" },
                new BinaryNode(LambdaOperator.Equals, TypeRef.Value, false, X, new BinaryNode(LambdaOperator.Subtract, TypeRef.Value, false, Y, V(c), ValueOp("op_Subtraction")), ValueOp("op_Equality")));
            Assert.Equal(Make(1), Make(1));
            Assert.Equal(Make(1).GetHashCode(), Make(1).GetHashCode());
            Assert.NotEqual(Make(1), Make(2));
            Assert.Equal("(k, q) => k == (q - 1)", Make(1).ToString());
            // 1 and 1.0 are equal Values but different constants.
            Assert.NotEqual(new ConstantNode(Value.FromInt(1)), new ConstantNode(Value.FromFloat(1.0)));
        }

        [Fact]
        public void Programs_built_from_lambda_data_compile_like_delegates()
        {
            var shift = new LambdaFunction(new[] { "k", "q" },
                new BinaryNode(LambdaOperator.Equals, TypeRef.Value, false, X, new BinaryNode(LambdaOperator.Subtract, TypeRef.Value, false, Y, V(1), ValueOp("op_Subtraction")), ValueOp("op_Equality")));
            var inc = new LambdaFunction(new[] { "x" }, new BinaryNode(LambdaOperator.Add, TypeRef.Value, false, X, V(1), ValueOp("op_Addition")));
            var fromData = Aggregate(Select(Indices, Indices, shift), Map(inc, Tokens));
            var fromDelegates = Aggregate(Select(Indices, Indices, (k, q) => k == q - 1), Map(x => x + 1, Tokens));
            var vocab = new Value[] { 1, 2, 3 };
            var a = RaspCompiler.Compile(fromData, vocab, 4);
            var b = RaspCompiler.Compile(fromDelegates, vocab, 4);
            Assert.Equal(CompilerTests.Fingerprint(b), CompilerTests.Fingerprint(a));
            foreach (var input in CompilerTests.AllInputs(vocab, 4))
                Assert.Equal(Rasp.Evaluate(fromDelegates, input), a.Apply(input).Outputs);
        }

        [Fact]
        public void NaN_and_infinities_from_a_function_are_compile_errors_naming_the_input()
        {
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(Map(x => (double)x / 0.0, Tokens), new Value[] { 0, 1 }, 3));
            var problem = Assert.Single(e.Unsupported);
            Assert.Equal(UnsupportedKind.NonFiniteValue, problem.Kind);
            Assert.Matches("on input [01]", problem.Reason);
            Assert.Contains("NaN", problem.Reason);
        }

        [Fact]
        public void NaN_and_infinities_are_refused_also_where_values_are_tracked_per_selector_width()
        {
            // length is a SelectorWidth, so this Map's values go through the per-width rule (SharedDenominators).
            var e = Assert.Throws<RaspCompilationException>(() => RaspCompiler.Compile(Map(x => 1.0 / (double)x, Length), new Value[] { 0, 1 }, 3));
            var problem = Assert.Single(e.Unsupported);
            Assert.Equal(UnsupportedKind.NonFiniteValue, problem.Kind);
            Assert.Contains("on input 0", problem.Reason);
        }
    }
}
