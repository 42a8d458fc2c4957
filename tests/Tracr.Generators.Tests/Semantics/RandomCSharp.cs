using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Tracr.Generators.Tests.Semantics
{
    /// <summary>
    /// Random, well-typed C# over six variables (<c>int i, long l, double d, char c, string s, bool b</c>): expressions
    /// with every operator, casts, checked/unchecked arithmetic, Math, string and char members, switch expressions,
    /// and small statement bodies (locals, loops, if, switch, compound assignment, early return). Each program is a
    /// lambda <c>(i, l, d, c, s, b) =&gt; (object)...</c>. Constants never overflow or divide by a constant zero
    /// (C# rejects those at compile time), so every program compiles; what happens at run time (wraparound, NaN,
    /// exceptions) is exactly what the differential test compares.
    /// </summary>
    internal sealed class RandomCSharp
    {
        private readonly Random _random;

        public RandomCSharp(int seed) { _random = new Random(seed); }

        private enum T { Int, Long, Double, Char, String, Bool }

        private static readonly T[] Types = { T.Int, T.Long, T.Double, T.Char, T.String, T.Bool };

        private T AnyType() => Types[_random.Next(Types.Length)];

        private string Pick(params string[] options) => options[_random.Next(options.Length)];

        private bool Chance(int percent) => _random.Next(100) < percent;

        /// <summary>A lambda body: an expression, or (one in four) a block with statements.</summary>
        public string Program()
        {
            if (Chance(25)) return Block();
            return "(object)(" + Expr(AnyType(), 4) + ")";
        }

        private string Block()
        {
            switch (_random.Next(5))
            {
                case 0:
                    return $"{{ int acc = {Expr(T.Int, 2)}; for (int k = 0; k < (i & 7); k++) {{ acc = acc * 31 + {Expr(T.Int, 2)} + k; if ({Expr(T.Bool, 2)}) break; }} return (object)acc; }}";
                case 1:
                    return $"{{ var t = {Expr(T.String, 2)}; int n = 0; while (t.Length < 6 && n++ < 10) t += {Expr(T.Char, 1)}; return (object)t; }}";
                case 2:
                    return $"{{ long x = {Expr(T.Long, 2)}; switch (i % 3) {{ case 0: x += {Expr(T.Long, 2)}; break; case 1: x *= 3; break; default: x--; break; }} return (object)x; }}";
                case 3:
                    return $"{{ double r = {Expr(T.Double, 1)}; foreach (var ch in s) {{ if (ch == ' ') continue; r += ch * {Expr(T.Double, 1)}; }} return (object)r; }}";
                default:
                    return $"{{ if ({Expr(T.Bool, 2)}) return (object)({Expr(T.Int, 2)}); var v = {Expr(T.Double, 2)}; v /= {Expr(T.Double, 1)}; return (object)checked((int)(l % 1000) * 3 + (int)c); }}";
            }
        }

        private string Var(T t) => t switch { T.Int => "i", T.Long => "l", T.Double => "d", T.Char => "c", T.String => "s", _ => "b" };

        private string Literal(T t) => t switch
        {
            T.Int => Pick("1", "2", "3", "7", "10", "46341", "1000000007", "255", "65536"),
            T.Long => Pick("1L", "3L", "10000000000L", "4611686018427387904L", "7L"),
            T.Double => Pick("0.5", "2.0", "1e300", "0.1", "3.75", "1e-310", "0.0"),
            T.Char => Pick("'a'", "'Z'", "'0'", "' '", "'\\u00e9'"),
            T.String => Pick("\"\"", "\"ab\"", "\"Hello\"", "\"x-y\"", "\"42\""),
            _ => Pick("true", "false"),
        };

        /// <summary>An expression that is not a constant (C# folds constants and rejects constant overflow).</summary>
        private string NonConstant(T t, int depth)
        {
            var e = Expr(t, depth);
            // Parenthesized, so it can be a receiver (x.Length) or a cast operand whatever its precedence.
            return IsLiteral(e) ? Var(t) : e == Var(t) ? e : "(" + e + ")";
        }

        private static bool IsLiteral(string e) => e.Length > 0 && (char.IsDigit(e[0]) || e[0] == '\'' || e[0] == '"' || e == "true" || e == "false");

        private string Expr(T t, int depth) => Expression(t, depth);

        private string Expression(T t, int depth)
        {
            if (depth <= 0 || Chance(20)) return Chance(60) ? Var(t) : Literal(t);
            int d = depth - 1;
            switch (t)
            {
                case T.Int:
                    switch (_random.Next(16))
                    {
                        case 0: return $"({NonConstant(T.Int, d)} {Pick("+", "-", "*", "&", "|", "^")} {Expr(T.Int, d)})";
                        case 1: return $"({NonConstant(T.Int, d)} {Pick("/", "%")} {NonZero(T.Int, d)})";
                        case 2: return $"({NonConstant(T.Int, d)} {Pick("<<", ">>", ">>>")} {Expr(T.Int, d)})";
                        case 3: return $"{Pick("checked", "unchecked")}({NonConstant(T.Int, d)} {Pick("+", "-", "*")} {Expr(T.Int, d)})";
                        case 4:
                        {
                            var inner = NonConstant(PickType(T.Long, T.Double, T.Char), d);
                            return Pick($"(int){inner}", $"checked((int){inner})", $"unchecked((int){inner})");
                        }
                        case 5: return $"({NonConstant(T.Char, d)} - 'a')";
                        case 6: return $"{NonConstant(T.String, d)}.Length";
                        case 7: return $"{Pick("-", "~")}{NonConstant(T.Int, d)}";
                        case 8: return $"({NonConstant(T.Bool, d)} ? {Expr(T.Int, d)} : {Expr(T.Int, d)})";
                        case 9: return $"Math.{Pick("Abs", "Sign")}({NonConstant(T.Int, d)})";
                        case 10: return $"Math.{Pick("Max", "Min")}({NonConstant(T.Int, d)}, {Expr(T.Int, d)})";
                        case 11: return $"{NonConstant(T.String, d)}.IndexOf({Expr(T.Char, d)})";
                        case 12: return $"(int)Math.{Pick("Round", "Floor", "Ceiling", "Truncate")}({NonConstant(T.Double, d)})";
                        case 13: return $"({NonConstant(T.Int, d)} switch {{ 0 => {Expr(T.Int, d)}, 1 or 2 => {Expr(T.Int, d)}, > 100 => {Expr(T.Int, d)}, _ => {Expr(T.Int, d)} }})";
                        case 14: return $"string.CompareOrdinal({NonConstant(T.String, d)}, {Expr(T.String, d)})";
                        default: return $"(int)(byte){NonConstant(T.Int, d)} + (sbyte){NonConstant(T.Int, d)} + (short){NonConstant(T.Long, d)} + (ushort){NonConstant(T.Int, d)}";
                    }
                case T.Long:
                    switch (_random.Next(8))
                    {
                        case 0: return $"({NonConstant(T.Long, d)} {Pick("+", "-", "*", "&", "|", "^")} {Expr(Pick2(T.Long, T.Int), d)})";
                        case 1: return $"({NonConstant(T.Long, d)} {Pick("/", "%")} {NonZero(T.Long, d)})";
                        case 2: return $"({NonConstant(T.Long, d)} {Pick("<<", ">>")} {Expr(T.Int, d)})";
                        case 3: return $"checked({NonConstant(T.Long, d)} * {Expr(T.Long, d)})";
                        case 4: return $"(long){NonConstant(Pick2(T.Int, T.Double), d)}";
                        case 5: return $"Math.Abs({NonConstant(T.Long, d)})";
                        case 6: return $"(long)(uint){NonConstant(T.Int, d)} + (long)(ulong){NonConstant(T.Long, d)}";
                        default: return $"((long){NonConstant(T.Int, d)} * {NonConstant(T.Int, d)})";
                    }
                case T.Double:
                    switch (_random.Next(10))
                    {
                        case 0: return $"({NonConstant(T.Double, d)} {Pick("+", "-", "*", "/", "%")} {Expr(Pick2(T.Double, T.Int), d)})";
                        case 1: return $"Math.{Pick("Sqrt", "Sin", "Cos", "Tan", "Exp", "Log", "Log10", "Asin", "Acos", "Atan", "Tanh", "Cbrt", "Floor")}({NonConstant(T.Double, d)})";
                        case 2: return $"Math.{Pick("Pow", "Atan2", "Log", "Max", "Min", "IEEERemainder")}({NonConstant(T.Double, d)}, {Expr(T.Double, d)})";
                        case 3: return $"Math.Round({NonConstant(T.Double, d)}, {Pick("0", "2", "MidpointRounding.AwayFromZero", "MidpointRounding.ToEven")})";
                        case 4: return $"(double)(float){NonConstant(T.Double, d)}";
                        case 5: return $"({NonConstant(T.Int, d)} / 2.0)";
                        case 6: return $"(double){NonConstant(Pick2(T.Long, T.Char), d)}";
                        case 7: return $"(float){NonConstant(T.Int, d)} / {Pick("3f", "7f")}";
                        case 8: return $"double.Parse({Pick("\"1.5\"", "\"-2e3\"", "\"NaN\"")}, System.Globalization.CultureInfo.InvariantCulture) + {Expr(T.Double, d)}";
                        default: return $"(-{NonConstant(T.Double, d)})";
                    }
                case T.Char:
                    switch (_random.Next(6))
                    {
                        case 0: return $"(char)({NonConstant(T.Char, d)} + {Pick("1", "2", "32")})";
                        case 1: return $"char.{Pick("ToUpperInvariant", "ToLowerInvariant")}({NonConstant(T.Char, d)})";
                        case 2: return $"({NonConstant(T.String, d)}.Length > 0 ? {NonConstant(T.String, d)}[0] : 'z')";
                        case 3: return $"(char){NonConstant(T.Int, d)}";
                        case 4: return $"(char)('a' + ({NonConstant(T.Int, d)} & 15))";
                        default: return $"{NonConstant(T.String, d)}[{Expr(T.Int, d)}]";
                    }
                case T.String:
                    switch (_random.Next(14))
                    {
                        case 0: return $"({NonConstant(T.String, d)} + {Expr(AnyType(), d)})";
                        case 1: return $"{NonConstant(T.String, d)}.{Pick("ToUpperInvariant", "ToLowerInvariant", "Trim", "TrimStart")}()";
                        case 2: return $"{NonConstant(T.String, d)}.Substring({Expr(T.Int, d)})";
                        case 3: return $"{NonConstant(T.String, d)}.Replace({Expr(T.Char, d)}, {Expr(T.Char, d)})";
                        case 4: return $"{NonConstant(Pick2(T.Int, T.Long), d)}.ToString()";
                        case 5: return $"{NonConstant(T.Double, d)}.ToString({Pick("\"F2\"", "\"R\"", "\"E3\"", "\"0.##\"")}, System.Globalization.CultureInfo.InvariantCulture)";
                        case 6: return $"$\"{{{NonConstant(T.Int, d)}}}:{{{NonConstant(T.Char, d)}}}/{{{NonConstant(T.Double, d)}:F1}}\"";
                        case 7: return $"new string({NonConstant(T.Char, d)}, {Pick("0", "1", "3")})";
                        case 8: return $"string.Join({Pick("\",\"", "\"\"")}, {NonConstant(T.String, d)}.Split('-'))";
                        case 9: return $"{NonConstant(T.String, d)}.PadLeft({Expr(T.Int, d)} & 7, '.')";
                        case 10: return $"{NonConstant(T.Char, d)}.ToString()";
                        case 11: return $"string.Concat({NonConstant(T.String, d)}.Reverse())";
                        case 12: return $"new string({NonConstant(T.String, d)}.Where(char.IsLetter).OrderBy(x => x).ToArray())";
                        default: return $"({NonConstant(T.Bool, d)} ? {Expr(T.String, d)} : {Expr(T.String, d)})";
                    }
                default:
                    switch (_random.Next(12))
                    {
                        case 0: return $"({NonConstant(T.Int, d)} {Pick("<", "<=", ">", ">=", "==", "!=")} {Expr(T.Int, d)})";
                        case 1: return $"({NonConstant(T.Double, d)} {Pick("<", "<=", ">", ">=", "==", "!=")} {Expr(T.Double, d)})";
                        case 2: return $"({NonConstant(T.String, d)} {Pick("==", "!=")} {Expr(T.String, d)})";
                        case 3: return $"({NonConstant(T.Bool, d)} {Pick("&&", "||", "^", "&", "|", "==")} {Expr(T.Bool, d)})";
                        case 4: return $"!{NonConstant(T.Bool, d)}";
                        case 5: return $"{NonConstant(T.String, d)}.{Pick("Contains", "StartsWith", "EndsWith")}({Expr(T.String, d)})";
                        case 6: return $"char.{Pick("IsDigit", "IsLetter", "IsUpper", "IsWhiteSpace", "IsLetterOrDigit")}({NonConstant(T.Char, d)})";
                        case 7: return $"double.{Pick("IsNaN", "IsInfinity", "IsFinite")}({NonConstant(T.Double, d)})";
                        case 8: return $"({NonConstant(T.Int, d)} is > 3 and < 100 or 0)";
                        case 9: return $"string.IsNullOrEmpty({NonConstant(T.String, d)})";
                        case 10: return $"{NonConstant(T.String, d)}.Any(char.IsDigit)";
                        default: return $"({NonConstant(T.Char, d)} {Pick("<", "==", ">=")} {Expr(T.Char, d)})";
                    }
            }
        }

        private T Pick2(T a, T b) => Chance(50) ? a : b;

        private T PickType(params T[] types) => types[_random.Next(types.Length)];

        /// <summary>A divisor: never the constant 0 (a compile-time error), often a variable that may be 0 at run time.</summary>
        private string NonZero(T t, int depth)
        {
            var e = Expr(t, depth);
            return e == "0" || e == "0L" || IsLiteral(e) ? (Chance(50) ? Var(t) : Literal(t)) : e;
        }
    }
}
