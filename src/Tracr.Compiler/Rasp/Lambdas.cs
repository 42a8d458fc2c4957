using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Tracr.Lambdas
{
    /// <summary>
    /// Lambdas as data: a small, immutable, structurally equatable expression tree for the
    /// functions of Map, SequenceMap and Select. The build-time generator turns the C# lambdas of
    /// a <c>[RaspProgram]</c> body into these trees (it cannot run user code), and basis inference
    /// then evaluates them over value sets exactly as Tracr calls the Python lambda. Every operator
    /// states its semantics (C# integer division or Python true division, ...) so the tree means
    /// what the C# code meant.
    /// </summary>
    public abstract class LambdaNode : IEquatable<LambdaNode>
    {
        /// <summary>Evaluates the node with the given arguments.</summary>
        public abstract Value Evaluate(IReadOnlyList<Value> args);

        /// <summary>C#-like text, used in docs, remarks and error messages.</summary>
        public abstract void Write(StringBuilder sb, IReadOnlyList<string> parameterNames);

        /// <summary>Structural identity: kind and fields, recursively.</summary>
        protected abstract IEnumerable<object?> Fields();

        public bool Equals(LambdaNode? other) =>
            other is not null && other.GetType() == GetType() && Fields().SequenceEqual(other.Fields());

        public override bool Equals(object? obj) => obj is LambdaNode n && Equals(n);

        public override int GetHashCode()
        {
            int h = GetType().Name.GetHashCode();
            foreach (var f in Fields()) h = unchecked(h * 31 + (f?.GetHashCode() ?? 0));
            return h;
        }
    }

    /// <summary>The i-th parameter of the lambda.</summary>
    public sealed class ParameterNode : LambdaNode
    {
        public ParameterNode(int index) { Index = index; }
        public int Index { get; }
        public override Value Evaluate(IReadOnlyList<Value> args) => args[Index];
        public override void Write(StringBuilder sb, IReadOnlyList<string> names) => sb.Append(names[Index]);
        protected override IEnumerable<object?> Fields() { yield return Index; }
    }

    /// <summary>A constant value.</summary>
    public sealed class ConstantNode : LambdaNode
    {
        public ConstantNode(Value value) { Value = value; }
        public Value Value { get; }
        public override Value Evaluate(IReadOnlyList<Value> args) => Value;
        public override void Write(StringBuilder sb, IReadOnlyList<string> names) =>
            sb.Append(Value.Kind == ValueKind.String ? "\"" + Value.AsString.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"" : Value.Kind == ValueKind.Bool ? (Value.AsBool ? "true" : "false") : Value.Kind == ValueKind.None ? "Value.None" : Value.Repr());
        protected override IEnumerable<object?> Fields() { yield return Value; }
    }

    public enum UnaryOperator
    {
        /// <summary>Numeric negation.</summary>
        Negate,

        /// <summary>Logical not (Python <c>not</c> on any value).</summary>
        Not,
    }

    public sealed class UnaryNode : LambdaNode
    {
        public UnaryNode(UnaryOperator op, LambdaNode operand)
        {
            Operator = op;
            Operand = operand ?? throw new ArgumentNullException(nameof(operand));
        }

        public UnaryOperator Operator { get; }
        public LambdaNode Operand { get; }

        public override Value Evaluate(IReadOnlyList<Value> args)
        {
            var v = Operand.Evaluate(args);
            return Operator == UnaryOperator.Negate ? -v : Value.FromBool(!v.IsTruthy);
        }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append(Operator == UnaryOperator.Negate ? "-" : "!");
            WriteOperand(sb, Operand, names);
        }

        internal static void WriteOperand(StringBuilder sb, LambdaNode node, IReadOnlyList<string> names)
        {
            bool simple = node is ParameterNode || node is ConstantNode || node is CallNode;
            if (!simple) sb.Append('(');
            node.Write(sb, names);
            if (!simple) sb.Append(')');
        }

        protected override IEnumerable<object?> Fields() { yield return Operator; yield return Operand; }
    }

    public enum BinaryOperator
    {
        /// <summary><c>+</c>: numbers add, strings and tuples concatenate.</summary>
        Add,
        Subtract,
        Multiply,

        /// <summary>Python's <c>/</c> (always a float), which is what <c>/</c> on <see cref="Value"/> does.</summary>
        TrueDivide,

        /// <summary>C#'s <c>/</c> on integers: truncates toward zero.</summary>
        IntegerDivide,

        /// <summary>Python's <c>//</c>: floors.</summary>
        FloorDivide,

        /// <summary>Python's <c>%</c> (sign of the divisor), which is what <c>%</c> on <see cref="Value"/> does.</summary>
        Modulo,

        /// <summary>C#'s <c>%</c> on integers (sign of the dividend).</summary>
        Remainder,

        Equal,
        NotEqual,
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,

        /// <summary>Short-circuit boolean <c>&amp;&amp;</c>.</summary>
        AndAlso,

        /// <summary>Short-circuit boolean <c>||</c>.</summary>
        OrElse,

        /// <summary>Python's <c>and</c> (the first falsy operand, else the last): <c>&amp;</c> on <see cref="Value"/>.</summary>
        PythonAnd,

        /// <summary>Python's <c>or</c>: <c>|</c> on <see cref="Value"/>.</summary>
        PythonOr,

        /// <summary>C#'s string <c>+</c>: both operands as C# would print them (invariant culture), concatenated.</summary>
        Concat,
    }

    public sealed class BinaryNode : LambdaNode
    {
        public BinaryNode(BinaryOperator op, LambdaNode left, LambdaNode right)
        {
            Operator = op;
            Left = left ?? throw new ArgumentNullException(nameof(left));
            Right = right ?? throw new ArgumentNullException(nameof(right));
        }

        public BinaryOperator Operator { get; }
        public LambdaNode Left { get; }
        public LambdaNode Right { get; }

        public override Value Evaluate(IReadOnlyList<Value> args)
        {
            var a = Left.Evaluate(args);
            switch (Operator)
            {
                case BinaryOperator.AndAlso: return Value.FromBool(a.IsTruthy && Right.Evaluate(args).IsTruthy);
                case BinaryOperator.OrElse: return Value.FromBool(a.IsTruthy || Right.Evaluate(args).IsTruthy);
                case BinaryOperator.PythonAnd: return a.IsTruthy ? Right.Evaluate(args) : a;
                case BinaryOperator.PythonOr: return a.IsTruthy ? a : Right.Evaluate(args);
            }
            var b = Right.Evaluate(args);
            switch (Operator)
            {
                case BinaryOperator.Add: return a + b;
                case BinaryOperator.Subtract: return a - b;
                case BinaryOperator.Multiply: return a * b;
                case BinaryOperator.TrueDivide: return a / b;
                case BinaryOperator.FloorDivide: return Value.FloorDiv(a, b);
                case BinaryOperator.Modulo: return a % b;
                case BinaryOperator.IntegerDivide:
                {
                    long d = b.AsLong;
                    if (d == 0) throw new DivideByZeroException($"integer division by zero ({a.Repr()} / {b.Repr()})");
                    return Value.FromInt(a.AsLong / d);
                }
                case BinaryOperator.Concat: return Value.FromString(CSharpString(a) + CSharpString(b));
                case BinaryOperator.Remainder when a.Kind == ValueKind.Float || b.Kind == ValueKind.Float:
                    return Value.FromFloat(a.AsDouble % b.AsDouble);
                case BinaryOperator.Remainder:
                {
                    long d = b.AsLong;
                    if (d == 0) throw new DivideByZeroException($"integer remainder by zero ({a.Repr()} % {b.Repr()})");
                    return Value.FromInt(a.AsLong % d);
                }
                case BinaryOperator.Equal: return Value.FromBool(a == b);
                case BinaryOperator.NotEqual: return Value.FromBool(a != b);
                case BinaryOperator.Less: return Value.FromBool(a < b);
                case BinaryOperator.LessOrEqual: return Value.FromBool(a <= b);
                case BinaryOperator.Greater: return Value.FromBool(a > b);
                case BinaryOperator.GreaterOrEqual: return Value.FromBool(a >= b);
                default: throw new InvalidOperationException($"Unknown operator {Operator}.");
            }
        }

        private static string Symbol(BinaryOperator op) => op switch
        {
            BinaryOperator.Add => "+",
            BinaryOperator.Subtract => "-",
            BinaryOperator.Multiply => "*",
            BinaryOperator.TrueDivide => "/",
            BinaryOperator.IntegerDivide => "/",
            BinaryOperator.FloorDivide => "//",
            BinaryOperator.Modulo => "%",
            BinaryOperator.Remainder => "%",
            BinaryOperator.Equal => "==",
            BinaryOperator.NotEqual => "!=",
            BinaryOperator.Less => "<",
            BinaryOperator.LessOrEqual => "<=",
            BinaryOperator.Greater => ">",
            BinaryOperator.GreaterOrEqual => ">=",
            BinaryOperator.AndAlso => "&&",
            BinaryOperator.OrElse => "||",
            BinaryOperator.PythonAnd => "&",
            BinaryOperator.Concat => "+",
            _ => "|",
        };

        /// <summary>How C# prints a value in string concatenation (invariant culture): <c>1</c>, <c>0.5</c>, <c>True</c>, the string itself.</summary>
        public static string CSharpString(Value v) => v.Kind switch
        {
            ValueKind.None => "",
            ValueKind.Bool => v.AsBool ? "True" : "False",
            ValueKind.Int => v.AsLong.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ValueKind.Float => v.AsDouble.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ValueKind.String => v.AsString,
            _ => v.ToString(),
        };

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            UnaryNode.WriteOperand(sb, Left, names);
            sb.Append(' ').Append(Symbol(Operator)).Append(' ');
            UnaryNode.WriteOperand(sb, Right, names);
        }

        protected override IEnumerable<object?> Fields() { yield return Operator; yield return Left; yield return Right; }
    }

    /// <summary><c>condition ? whenTrue : whenFalse</c> (only the chosen branch is evaluated).</summary>
    public sealed class ConditionalNode : LambdaNode
    {
        public ConditionalNode(LambdaNode condition, LambdaNode whenTrue, LambdaNode whenFalse)
        {
            Condition = condition ?? throw new ArgumentNullException(nameof(condition));
            WhenTrue = whenTrue ?? throw new ArgumentNullException(nameof(whenTrue));
            WhenFalse = whenFalse ?? throw new ArgumentNullException(nameof(whenFalse));
        }

        public LambdaNode Condition { get; }
        public LambdaNode WhenTrue { get; }
        public LambdaNode WhenFalse { get; }

        public override Value Evaluate(IReadOnlyList<Value> args) =>
            Condition.Evaluate(args).IsTruthy ? WhenTrue.Evaluate(args) : WhenFalse.Evaluate(args);

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            UnaryNode.WriteOperand(sb, Condition, names);
            sb.Append(" ? ");
            UnaryNode.WriteOperand(sb, WhenTrue, names);
            sb.Append(" : ");
            UnaryNode.WriteOperand(sb, WhenFalse, names);
        }

        protected override IEnumerable<object?> Fields() { yield return Condition; yield return WhenTrue; yield return WhenFalse; }
    }

    /// <summary>A call of one of the known pure functions (<see cref="KnownFunctions"/>), or a tuple.</summary>
    public sealed class CallNode : LambdaNode
    {
        public CallNode(string function, params LambdaNode[] arguments)
        {
            if (!KnownFunctions.Arity.TryGetValue(function ?? throw new ArgumentNullException(nameof(function)), out int arity))
                throw new ArgumentException($"'{function}' is not a function lambdas can use; known: {string.Join(", ", KnownFunctions.Arity.Keys.OrderBy(k => k, StringComparer.Ordinal))}.", nameof(function));
            if (arity >= 0 && arity != arguments.Length)
                throw new ArgumentException($"'{function}' takes {arity} argument(s), not {arguments.Length}.", nameof(arguments));
            Function = function;
            Arguments = arguments.ToArray();
        }

        public string Function { get; }
        public IReadOnlyList<LambdaNode> Arguments { get; }

        public override Value Evaluate(IReadOnlyList<Value> args) =>
            KnownFunctions.Invoke(Function, Arguments.Select(a => a.Evaluate(args)).ToArray());

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            if (Function != KnownFunctions.Tuple) sb.Append(Function);
            sb.Append('(');
            for (int i = 0; i < Arguments.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                Arguments[i].Write(sb, names);
            }
            sb.Append(')');
        }

        protected override IEnumerable<object?> Fields()
        {
            yield return Function;
            foreach (var a in Arguments) yield return a;
        }
    }

    /// <summary>The pure functions lambdas may call, with C# semantics.</summary>
    public static class KnownFunctions
    {
        /// <summary>Builds a tuple from its arguments (C#'s <c>(x, y)</c>).</summary>
        public const string Tuple = "tuple";

        /// <summary>Name → number of arguments (-1: any).</summary>
        public static readonly IReadOnlyDictionary<string, int> Arity = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [Tuple] = -1,
            ["Math.Abs"] = 1,
            ["Math.Min"] = 2,
            ["Math.Max"] = 2,
            ["Math.Floor"] = 1,
            ["Math.Ceiling"] = 1,
            ["Math.Round"] = 1,
            ["Math.Sqrt"] = 1,
            ["Math.Pow"] = 2,
            ["Math.Sign"] = 1,
            ["(int)"] = 1,
            ["(double)"] = 1,
            ["(bool)"] = 1,
            ["(string)"] = 1,
            ["Item"] = 2,
            ["Length"] = 1,
            ["ToString"] = 1,
        };

        public static Value Invoke(string function, Value[] a)
        {
            switch (function)
            {
                case Tuple: return Value.Tuple(a);
                case "Math.Abs": return Value.Abs(a[0]);
                case "Math.Min": return Value.Min(a[0], a[1]);
                case "Math.Max": return Value.Max(a[0], a[1]);
                case "Math.Floor": return Value.FromFloat(Math.Floor(a[0].AsDouble));
                case "Math.Ceiling": return Value.FromFloat(Math.Ceiling(a[0].AsDouble));
                // C#'s Math.Round rounds half to even, as Python's round.
                case "Math.Round": return Value.FromFloat(Math.Round(a[0].AsDouble, MidpointRounding.ToEven));
                case "Math.Sqrt": return Value.FromFloat(Math.Sqrt(a[0].AsDouble));
                case "Math.Pow": return Value.FromFloat(Math.Pow(a[0].AsDouble, a[1].AsDouble));
                case "Math.Sign": return Value.FromInt(Math.Sign(a[0].AsDouble));
                case "(int)": return Value.FromInt(checked((int)(a[0].Kind == ValueKind.Float ? Math.Truncate(a[0].AsDouble) : a[0].AsLong)));
                case "(double)": return Value.FromFloat(a[0].AsDouble);
                case "(bool)": return Value.FromBool(a[0].IsTruthy);
                case "(string)":
                case "ToString": return Value.FromString(a[0].ToString());
                case "Item": return a[0].AsTuple[(int)a[1].AsLong];
                case "Length": return Value.FromInt(a[0].Kind == ValueKind.String ? a[0].AsString.Length : a[0].AsTuple.Count);
                default: throw new InvalidOperationException($"Unknown function '{function}'.");
            }
        }
    }

    /// <summary>A lambda: parameter names and a body. Structurally equatable, so generator models can hold it.</summary>
    public sealed class LambdaFunction : IEquatable<LambdaFunction>
    {
        public LambdaFunction(IReadOnlyList<string> parameterNames, LambdaNode body)
        {
            ParameterNames = parameterNames?.ToArray() ?? throw new ArgumentNullException(nameof(parameterNames));
            Body = body ?? throw new ArgumentNullException(nameof(body));
        }

        public IReadOnlyList<string> ParameterNames { get; }
        public LambdaNode Body { get; }
        public int Arity => ParameterNames.Count;

        public Value Invoke(params Value[] args)
        {
            if (args.Length != Arity) throw new ArgumentException($"The lambda takes {Arity} argument(s), not {args.Length}.");
            return Body.Evaluate(args);
        }

        /// <summary>For <c>Map</c>.</summary>
        public Func<Value, Value> ToFunc1() =>
            Arity == 1 ? x => Body.Evaluate(new[] { x }) : throw new InvalidOperationException($"The lambda takes {Arity} arguments, not 1.");

        /// <summary>For <c>SequenceMap</c>.</summary>
        public Func<Value, Value, Value> ToFunc2() =>
            Arity == 2 ? (x, y) => Body.Evaluate(new[] { x, y }) : throw new InvalidOperationException($"The lambda takes {Arity} arguments, not 2.");

        /// <summary>For a <c>Select</c> predicate <c>(key, query) =&gt; bool</c>.</summary>
        public Func<Value, Value, bool> ToPredicate() =>
            Arity == 2 ? (k, q) => Body.Evaluate(new[] { k, q }).IsTruthy : throw new InvalidOperationException($"The predicate takes {Arity} arguments, not 2.");

        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append(Arity == 1 ? ParameterNames[0] : "(" + string.Join(", ", ParameterNames) + ")").Append(" => ");
            Body.Write(sb, ParameterNames);
            return sb.ToString();
        }

        public bool Equals(LambdaFunction? other) =>
            other is not null && ParameterNames.SequenceEqual(other.ParameterNames, StringComparer.Ordinal) && Body.Equals(other.Body);

        public override bool Equals(object? obj) => obj is LambdaFunction f && Equals(f);

        public override int GetHashCode() => unchecked(Body.GetHashCode() * 31 + Arity);
    }
}
