using System;

namespace Tracr.Lambdas
{
    /// <summary>The binary operators of C# on built-in types (user-defined ones are calls of their operator method).</summary>
    internal enum LambdaOperator
    {
        Add, Subtract, Multiply, Divide, Remainder,
        LeftShift, RightShift, UnsignedRightShift,
        And, Or, ExclusiveOr,
        Equals, NotEquals, LessThan, LessThanOrEqual, GreaterThan, GreaterThanOrEqual,
        ConditionalAnd, ConditionalOr,
    }

    /// <summary>The unary operators of C# on built-in types, and <c>true</c>/<c>false</c> (user-defined only).</summary>
    internal enum LambdaUnaryOperator
    {
        Plus, Minus, BitwiseNegation, Not, True, False,
    }

    /// <summary>
    /// C#'s meaning of its built-in operators and numeric conversions, on CLR values of the operand type the C#
    /// compiler bound (after its implicit promotions): wraparound or OverflowException as the code is unchecked
    /// or checked, integer division truncating (and throwing on zero), floating division giving NaN and
    /// infinities, narrowing casts keeping the low bits. Each case is written as the same C# operation, so the
    /// running process computes it exactly as the user's code would.
    /// </summary>
    internal static class CSharpSemantics
    {
        public static object Binary(LambdaOperator op, string operandType, bool isChecked, object? a, object? b)
        {
            switch (operandType)
            {
                case "System.Int32": return Int32(op, (int)a!, (int)b!, isChecked);
                case "System.UInt32": return op >= LambdaOperator.LeftShift && op <= LambdaOperator.UnsignedRightShift ? UInt32(op, (uint)a!, unchecked((uint)(int)b!), isChecked, (int)b!) : UInt32(op, (uint)a!, (uint)b!, isChecked, 0);
                case "System.Int64": return op >= LambdaOperator.LeftShift && op <= LambdaOperator.UnsignedRightShift ? Int64(op, (long)a!, 0, isChecked, (int)b!) : Int64(op, (long)a!, (long)b!, isChecked, 0);
                case "System.UInt64": return op >= LambdaOperator.LeftShift && op <= LambdaOperator.UnsignedRightShift ? UInt64(op, (ulong)a!, 0, isChecked, (int)b!) : UInt64(op, (ulong)a!, (ulong)b!, isChecked, 0);
                case "System.Single": return Single(op, (float)a!, (float)b!);
                case "System.Double": return Double(op, (double)a!, (double)b!);
                case "System.Decimal": return Decimal(op, (decimal)a!, (decimal)b!);
                case "System.Boolean": return Boolean(op, (bool)a!, (bool)b!);
                case "System.Char": return Int32(op, (char)a!, (char)b!, isChecked);
                case "System.String": return String(op, a, b);
                default:
                    if (op == LambdaOperator.Equals) return ReferenceEquals(a, b);
                    if (op == LambdaOperator.NotEquals) return !ReferenceEquals(a, b);
                    throw new LambdaException($"the operator {op} on {operandType} is not a built-in operator");
            }
        }

        private static object Int32(LambdaOperator op, int x, int y, bool c)
        {
            switch (op)
            {
                case LambdaOperator.Add: return c ? checked(x + y) : unchecked(x + y);
                case LambdaOperator.Subtract: return c ? checked(x - y) : unchecked(x - y);
                case LambdaOperator.Multiply: return c ? checked(x * y) : unchecked(x * y);
                case LambdaOperator.Divide: return x / y;
                case LambdaOperator.Remainder: return x % y;
                case LambdaOperator.LeftShift: return x << y;
                case LambdaOperator.RightShift: return x >> y;
                case LambdaOperator.UnsignedRightShift: return x >>> y;
                case LambdaOperator.And: return x & y;
                case LambdaOperator.Or: return x | y;
                case LambdaOperator.ExclusiveOr: return x ^ y;
                default: return Compare(op, x.CompareTo(y), x == y);
            }
        }

        private static object UInt32(LambdaOperator op, uint x, uint y, bool c, int shift)
        {
            switch (op)
            {
                case LambdaOperator.Add: return c ? checked(x + y) : unchecked(x + y);
                case LambdaOperator.Subtract: return c ? checked(x - y) : unchecked(x - y);
                case LambdaOperator.Multiply: return c ? checked(x * y) : unchecked(x * y);
                case LambdaOperator.Divide: return x / y;
                case LambdaOperator.Remainder: return x % y;
                case LambdaOperator.LeftShift: return x << shift;
                case LambdaOperator.RightShift: return x >> shift;
                case LambdaOperator.UnsignedRightShift: return x >>> shift;
                case LambdaOperator.And: return x & y;
                case LambdaOperator.Or: return x | y;
                case LambdaOperator.ExclusiveOr: return x ^ y;
                default: return Compare(op, x.CompareTo(y), x == y);
            }
        }

        private static object Int64(LambdaOperator op, long x, long y, bool c, int shift)
        {
            switch (op)
            {
                case LambdaOperator.Add: return c ? checked(x + y) : unchecked(x + y);
                case LambdaOperator.Subtract: return c ? checked(x - y) : unchecked(x - y);
                case LambdaOperator.Multiply: return c ? checked(x * y) : unchecked(x * y);
                case LambdaOperator.Divide: return x / y;
                case LambdaOperator.Remainder: return x % y;
                case LambdaOperator.LeftShift: return x << shift;
                case LambdaOperator.RightShift: return x >> shift;
                case LambdaOperator.UnsignedRightShift: return x >>> shift;
                case LambdaOperator.And: return x & y;
                case LambdaOperator.Or: return x | y;
                case LambdaOperator.ExclusiveOr: return x ^ y;
                default: return Compare(op, x.CompareTo(y), x == y);
            }
        }

        private static object UInt64(LambdaOperator op, ulong x, ulong y, bool c, int shift)
        {
            switch (op)
            {
                case LambdaOperator.Add: return c ? checked(x + y) : unchecked(x + y);
                case LambdaOperator.Subtract: return c ? checked(x - y) : unchecked(x - y);
                case LambdaOperator.Multiply: return c ? checked(x * y) : unchecked(x * y);
                case LambdaOperator.Divide: return x / y;
                case LambdaOperator.Remainder: return x % y;
                case LambdaOperator.LeftShift: return x << shift;
                case LambdaOperator.RightShift: return x >> shift;
                case LambdaOperator.UnsignedRightShift: return x >>> shift;
                case LambdaOperator.And: return x & y;
                case LambdaOperator.Or: return x | y;
                case LambdaOperator.ExclusiveOr: return x ^ y;
                default: return Compare(op, x.CompareTo(y), x == y);
            }
        }

        private static object Single(LambdaOperator op, float x, float y)
        {
            switch (op)
            {
                case LambdaOperator.Add: return x + y;
                case LambdaOperator.Subtract: return x - y;
                case LambdaOperator.Multiply: return x * y;
                case LambdaOperator.Divide: return x / y;
                case LambdaOperator.Remainder: return x % y;
                // NaN compares false with everything: C#'s operators, not CompareTo.
                case LambdaOperator.Equals: return x == y;
                case LambdaOperator.NotEquals: return x != y;
                case LambdaOperator.LessThan: return x < y;
                case LambdaOperator.LessThanOrEqual: return x <= y;
                case LambdaOperator.GreaterThan: return x > y;
                case LambdaOperator.GreaterThanOrEqual: return x >= y;
                default: throw new LambdaException($"the operator {op} is not defined on float");
            }
        }

        private static object Double(LambdaOperator op, double x, double y)
        {
            switch (op)
            {
                case LambdaOperator.Add: return x + y;
                case LambdaOperator.Subtract: return x - y;
                case LambdaOperator.Multiply: return x * y;
                case LambdaOperator.Divide: return x / y;
                case LambdaOperator.Remainder: return x % y;
                case LambdaOperator.Equals: return x == y;
                case LambdaOperator.NotEquals: return x != y;
                case LambdaOperator.LessThan: return x < y;
                case LambdaOperator.LessThanOrEqual: return x <= y;
                case LambdaOperator.GreaterThan: return x > y;
                case LambdaOperator.GreaterThanOrEqual: return x >= y;
                default: throw new LambdaException($"the operator {op} is not defined on double");
            }
        }

        private static object Decimal(LambdaOperator op, decimal x, decimal y)
        {
            switch (op)
            {
                case LambdaOperator.Add: return x + y;
                case LambdaOperator.Subtract: return x - y;
                case LambdaOperator.Multiply: return x * y;
                case LambdaOperator.Divide: return x / y;
                case LambdaOperator.Remainder: return x % y;
                default: return Compare(op, x.CompareTo(y), x == y);
            }
        }

        private static object Boolean(LambdaOperator op, bool x, bool y)
        {
            switch (op)
            {
                case LambdaOperator.And:
                case LambdaOperator.ConditionalAnd: return x & y;
                case LambdaOperator.Or:
                case LambdaOperator.ConditionalOr: return x | y;
                case LambdaOperator.ExclusiveOr: return x ^ y;
                case LambdaOperator.Equals: return x == y;
                case LambdaOperator.NotEquals: return x != y;
                default: throw new LambdaException($"the operator {op} is not defined on bool");
            }
        }

        /// <summary>String <c>+</c> (operands printed as <c>ToString()</c> prints them, null as empty), <c>==</c> and <c>!=</c> (ordinal).</summary>
        private static object String(LambdaOperator op, object? x, object? y)
        {
            switch (op)
            {
                case LambdaOperator.Add: return string.Concat(x?.ToString(), y?.ToString());
                case LambdaOperator.Equals: return string.Equals((string?)x, (string?)y);
                case LambdaOperator.NotEquals: return !string.Equals((string?)x, (string?)y);
                default: throw new LambdaException($"the operator {op} is not defined on string");
            }
        }

        private static object Compare(LambdaOperator op, int order, bool equal) => op switch
        {
            LambdaOperator.Equals => equal,
            LambdaOperator.NotEquals => !equal,
            LambdaOperator.LessThan => order < 0,
            LambdaOperator.LessThanOrEqual => order <= 0,
            LambdaOperator.GreaterThan => order > 0,
            LambdaOperator.GreaterThanOrEqual => order >= 0,
            _ => throw new LambdaException($"the operator {op} is not defined here"),
        };

        public static object Unary(LambdaUnaryOperator op, string operandType, bool isChecked, object? a)
        {
            switch (operandType, op)
            {
                case ("System.Int32", LambdaUnaryOperator.Minus): return isChecked ? checked(-(int)a!) : unchecked(-(int)a!);
                case ("System.Int64", LambdaUnaryOperator.Minus): return isChecked ? checked(-(long)a!) : unchecked(-(long)a!);
                case ("System.Single", LambdaUnaryOperator.Minus): return -(float)a!;
                case ("System.Double", LambdaUnaryOperator.Minus): return -(double)a!;
                case ("System.Decimal", LambdaUnaryOperator.Minus): return -(decimal)a!;
                case ("System.Int32", LambdaUnaryOperator.BitwiseNegation): return ~(int)a!;
                case ("System.UInt32", LambdaUnaryOperator.BitwiseNegation): return ~(uint)a!;
                case ("System.Int64", LambdaUnaryOperator.BitwiseNegation): return ~(long)a!;
                case ("System.UInt64", LambdaUnaryOperator.BitwiseNegation): return ~(ulong)a!;
                case ("System.Boolean", LambdaUnaryOperator.Not): return !(bool)a!;
                case (_, LambdaUnaryOperator.Plus): return a!;
                default: throw new LambdaException($"the operator {op} on {operandType} is not a built-in operator");
            }
        }

        private static bool IsNumeric(string type) => type switch
        {
            "System.Char" or "System.SByte" or "System.Byte" or "System.Int16" or "System.UInt16" or "System.Int32" or "System.UInt32" or
            "System.Int64" or "System.UInt64" or "System.Single" or "System.Double" or "System.Decimal" => true,
            _ => false,
        };

        /// <summary>A built-in conversion to <paramref name="target"/>: numeric conversions as C# casts (checked or not); anything else (boxing, reference, identity) keeps the value.</summary>
        public static object? Convert(object? value, string target, bool isChecked)
        {
            if (value is null || !IsNumeric(target)) return value;
            switch (value)
            {
                case double d: return FromDouble(d, target, isChecked);
                case float f:
                    if (target == "System.Single") return f;
                    if (target == "System.Decimal") return (decimal)f;
                    return FromDouble(f, target, isChecked);
                case decimal m: return FromDecimal(m, target);
                case ulong u: return FromUInt64(u, target, isChecked);
                case int i: return FromInt64(i, target, isChecked);
                case long l: return FromInt64(l, target, isChecked);
                case char ch: return FromInt64(ch, target, isChecked);
                case byte by: return FromInt64(by, target, isChecked);
                case sbyte sb: return FromInt64(sb, target, isChecked);
                case short s: return FromInt64(s, target, isChecked);
                case ushort us: return FromInt64(us, target, isChecked);
                case uint ui: return FromInt64(ui, target, isChecked);
                default: return value;
            }
        }

        private static object FromInt64(long v, string target, bool c) => target switch
        {
            "System.Char" => c ? checked((char)v) : unchecked((char)v),
            "System.SByte" => c ? checked((sbyte)v) : unchecked((sbyte)v),
            "System.Byte" => c ? checked((byte)v) : unchecked((byte)v),
            "System.Int16" => c ? checked((short)v) : unchecked((short)v),
            "System.UInt16" => c ? checked((ushort)v) : unchecked((ushort)v),
            "System.Int32" => c ? checked((int)v) : unchecked((int)v),
            "System.UInt32" => c ? checked((uint)v) : unchecked((uint)v),
            "System.Int64" => v,
            "System.UInt64" => c ? checked((ulong)v) : unchecked((ulong)v),
            "System.Single" => (float)v,
            "System.Double" => (double)v,
            _ => (decimal)v,
        };

        private static object FromUInt64(ulong v, string target, bool c) => target switch
        {
            "System.Char" => c ? checked((char)v) : unchecked((char)v),
            "System.SByte" => c ? checked((sbyte)v) : unchecked((sbyte)v),
            "System.Byte" => c ? checked((byte)v) : unchecked((byte)v),
            "System.Int16" => c ? checked((short)v) : unchecked((short)v),
            "System.UInt16" => c ? checked((ushort)v) : unchecked((ushort)v),
            "System.Int32" => c ? checked((int)v) : unchecked((int)v),
            "System.UInt32" => c ? checked((uint)v) : unchecked((uint)v),
            "System.Int64" => c ? checked((long)v) : unchecked((long)v),
            "System.UInt64" => v,
            "System.Single" => (float)v,
            "System.Double" => (double)v,
            _ => (decimal)v,
        };

        private static object FromDouble(double v, string target, bool c) => target switch
        {
            "System.Char" => c ? checked((char)v) : unchecked((char)v),
            "System.SByte" => c ? checked((sbyte)v) : unchecked((sbyte)v),
            "System.Byte" => c ? checked((byte)v) : unchecked((byte)v),
            "System.Int16" => c ? checked((short)v) : unchecked((short)v),
            "System.UInt16" => c ? checked((ushort)v) : unchecked((ushort)v),
            "System.Int32" => c ? checked((int)v) : unchecked((int)v),
            "System.UInt32" => c ? checked((uint)v) : unchecked((uint)v),
            "System.Int64" => c ? checked((long)v) : unchecked((long)v),
            "System.UInt64" => c ? checked((ulong)v) : unchecked((ulong)v),
            "System.Single" => (float)v,
            "System.Double" => v,
            _ => (decimal)v,
        };

        private static object FromDecimal(decimal v, string target) => target switch
        {
            "System.Char" => (char)v,
            "System.SByte" => (sbyte)v,
            "System.Byte" => (byte)v,
            "System.Int16" => (short)v,
            "System.UInt16" => (ushort)v,
            "System.Int32" => (int)v,
            "System.UInt32" => (uint)v,
            "System.Int64" => (long)v,
            "System.UInt64" => (ulong)v,
            "System.Single" => (float)v,
            "System.Double" => (double)v,
            _ => v,
        };
    }
}
