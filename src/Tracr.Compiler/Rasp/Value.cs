using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Tracr
{
    /// <summary>The kind of a RASP <see cref="Value"/>.</summary>
#if TRACR_PUBLIC_API
    public
#endif
    enum ValueKind
    {
        None,
        Bool,
        Int,
        Float,
        String,
        Tuple,
    }

    /// <summary>
    /// A RASP value with the semantics of the Python values Tracr computes with: None, bool, int,
    /// float, str and tuples. Equality is Python's (<c>1 == 1.0 == True</c>), ordering is Python's
    /// (numbers with numbers, strings with strings, tuples lexicographically), <c>/</c> is true
    /// division and <c>%</c> takes the sign of the divisor. Values convert implicitly from the C#
    /// primitives, so lambdas such as <c>x =&gt; x + 1</c> or <c>x =&gt; x == "a"</c> need no casts.
    /// </summary>
    readonly partial struct Value : IEquatable<Value>
    {
        private readonly long _int;
        private readonly double _float;
        private readonly object? _ref; // string or Value[]

        private Value(ValueKind kind, long i, double f, object? r)
        {
            Kind = kind;
            _int = i;
            _float = f;
            _ref = r;
        }

        /// <summary>Python's <c>None</c>: the value of a position where an S-op is undefined.</summary>
        public static readonly Value None = default;

        public ValueKind Kind { get; }

        public bool IsNone => Kind == ValueKind.None;

        /// <summary>True for bool, int and float values.</summary>
        public bool IsNumeric => Kind == ValueKind.Bool || Kind == ValueKind.Int || Kind == ValueKind.Float;

        public static Value FromBool(bool b) => new Value(ValueKind.Bool, b ? 1 : 0, 0, null);
        public static Value FromInt(long i) => new Value(ValueKind.Int, i, 0, null);
        public static Value FromFloat(double d) => new Value(ValueKind.Float, 0, d, null);

        public static Value FromString(string s) =>
            new Value(ValueKind.String, 0, 0, s ?? throw new ArgumentNullException(nameof(s)));

        public static Value Tuple(params Value[] items) =>
            new Value(ValueKind.Tuple, 0, 0, (Value[])(items ?? throw new ArgumentNullException(nameof(items))).Clone());

        /// <summary>Converts a boxed CLR value (int, double, string, bool, char, tuple, null) to a Value.</summary>
        public static Value From(object? o)
        {
            switch (o)
            {
                case null: return None;
                case Value v: return v;
                case bool b: return FromBool(b);
                case int i: return FromInt(i);
                case long l: return FromInt(l);
                case short s: return FromInt(s);
                case byte by: return FromInt(by);
                case sbyte sb: return FromInt(sb);
                case ushort us: return FromInt(us);
                case uint ui: return FromInt(ui);
                case double d: return FromFloat(d);
                case float f: return FromFloat(f);
                case decimal m: return FromFloat((double)m);
                case string str: return FromString(str);
                case char c: return FromString(c.ToString());
                case Value[] arr: return Tuple(arr);
#if NET
                case System.Runtime.CompilerServices.ITuple t:
                    var items = new Value[t.Length];
                    for (int k = 0; k < t.Length; k++) items[k] = From(t[k]);
                    return new Value(ValueKind.Tuple, 0, 0, items);
#endif
                default:
                    throw new ArgumentException($"Values of type {o.GetType()} cannot be RASP values (use numbers, strings, bools or tuples).", nameof(o));
            }
        }

        public bool AsBool => Kind == ValueKind.Bool ? _int != 0 : throw TypeError("bool");

        /// <summary>The value as a double (bool, int or float).</summary>
        public double AsDouble => Kind switch
        {
            ValueKind.Bool or ValueKind.Int => _int,
            ValueKind.Float => _float,
            _ => throw TypeError("number"),
        };

        public long AsLong => Kind switch
        {
            ValueKind.Bool or ValueKind.Int => _int,
            ValueKind.Float => (long)_float,
            _ => throw TypeError("integer"),
        };

        public string AsString => Kind == ValueKind.String ? (string)_ref! : throw TypeError("string");

        /// <summary>The item at <paramref name="index"/> of a tuple (<c>k[0]</c> for Python's <c>k[0]</c>).</summary>
        public Value this[int index] => AsTuple[index];

        public IReadOnlyList<Value> AsTuple => Kind == ValueKind.Tuple ? (Value[])_ref! : throw TypeError("tuple");

        /// <summary>Python truthiness.</summary>
        public bool IsTruthy => Kind switch
        {
            ValueKind.None => false,
            ValueKind.Bool or ValueKind.Int => _int != 0,
            ValueKind.Float => _float != 0,
            ValueKind.String => ((string)_ref!).Length != 0,
            _ => ((Value[])_ref!).Length != 0,
        };

        /// <summary>True when the value is a number with an integral value (Python int or bool, or an integral float).</summary>
        public bool IsIntegral => Kind == ValueKind.Bool || Kind == ValueKind.Int || (Kind == ValueKind.Float && Math.Floor(_float) == _float && !double.IsInfinity(_float));

        private InvalidOperationException TypeError(string wanted) =>
            new InvalidOperationException($"Expected a {wanted} but got {Repr()} ({Kind}).");

        // ---- conversions -------------------------------------------------------------------

        public static implicit operator Value(int i) => FromInt(i);
        public static implicit operator Value(long i) => FromInt(i);
        public static implicit operator Value(double d) => FromFloat(d);
        public static implicit operator Value(bool b) => FromBool(b);
        /// <summary>A string; null is <see cref="None"/> (so <c>null</c>, <c>default</c> and <c>Value.None</c> mean the same in a lambda).</summary>
        public static implicit operator Value(string? s) => s is null ? None : FromString(s);
        public static implicit operator Value(char c) => FromString(c.ToString());
        public static implicit operator Value((Value, Value) t) => new Value(ValueKind.Tuple, 0, 0, new[] { t.Item1, t.Item2 });
        public static implicit operator Value((Value, Value, Value) t) => new Value(ValueKind.Tuple, 0, 0, new[] { t.Item1, t.Item2, t.Item3 });

        public static explicit operator int(Value v) => checked((int)v.AsLong);
        public static explicit operator long(Value v) => v.AsLong;
        public static explicit operator double(Value v) => v.AsDouble;
        public static explicit operator bool(Value v) => v.IsTruthy;
        public static explicit operator string(Value v) => v.AsString;

        // ---- equality and ordering (Python semantics) ---------------------------------------

        public bool Equals(Value other)
        {
            if (IsNumeric && other.IsNumeric)
            {
                if (Kind != ValueKind.Float && other.Kind != ValueKind.Float) return _int == other._int;
                return AsDouble == other.AsDouble;
            }
            if (Kind != other.Kind) return false;
            switch (Kind)
            {
                case ValueKind.None: return true;
                case ValueKind.String: return string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal);
                case ValueKind.Tuple:
                    var a = (Value[])_ref!;
                    var b = (Value[])other._ref!;
                    if (a.Length != b.Length) return false;
                    for (int i = 0; i < a.Length; i++)
                        if (!a[i].Equals(b[i])) return false;
                    return true;
                default: return false;
            }
        }

        public override bool Equals(object? obj) => obj is Value v && Equals(v);

        public override int GetHashCode()
        {
            switch (Kind)
            {
                case ValueKind.None: return 0;
                case ValueKind.Bool:
                case ValueKind.Int: return _int.GetHashCode();
                case ValueKind.Float:
                    if (Math.Floor(_float) == _float && Math.Abs(_float) < 9.2e18) return ((long)_float).GetHashCode();
                    return _float.GetHashCode();
                case ValueKind.String: return StringComparer.Ordinal.GetHashCode((string)_ref!);
                default:
                    int h = 17;
                    foreach (var item in (Value[])_ref!) h = unchecked(h * 31 + item.GetHashCode());
                    return h;
            }
        }

        /// <summary>
        /// Python's ordering: returns -1, 0 or 1, or null when Python would raise TypeError
        /// (e.g. comparing a string with a number, or anything with None).
        /// </summary>
        public static int? TryCompare(Value a, Value b)
        {
            if (a.IsNumeric && b.IsNumeric)
            {
                if (a.Kind != ValueKind.Float && b.Kind != ValueKind.Float) return a._int.CompareTo(b._int);
                double x = a.AsDouble, y = b.AsDouble;
                if (double.IsNaN(x) || double.IsNaN(y)) return null;
                return x < y ? -1 : x > y ? 1 : 0;
            }
            if (a.Kind != b.Kind) return null;
            switch (a.Kind)
            {
                case ValueKind.String:
                    return Math.Sign(string.CompareOrdinal((string)a._ref!, (string)b._ref!));
                case ValueKind.Tuple:
                    var l = (Value[])a._ref!;
                    var r = (Value[])b._ref!;
                    int n = Math.Min(l.Length, r.Length);
                    for (int i = 0; i < n; i++)
                    {
                        if (l[i].Equals(r[i])) continue;
                        return TryCompare(l[i], r[i]);
                    }
                    return l.Length.CompareTo(r.Length);
                default:
                    return null; // None < None raises in Python.
            }
        }

        /// <summary>
        /// The order value sets are listed in: Python's where it is defined, otherwise by repr
        /// (where Python's sorted() would raise, Tracr falls back to comparing strings).
        /// </summary>
        public static int SortOrder(Value a, Value b) => TryCompare(a, b) ?? Math.Sign(string.CompareOrdinal(a.Repr(), b.Repr()));

        /// <summary>Sorts values by <see cref="SortOrder"/>, stably (as Python's sorted()).</summary>
        public static List<Value> Sorted(IEnumerable<Value> values) => StableSort.Sorted(values, SortOrder);

        private static int Compare(Value a, Value b, string op) =>
            TryCompare(a, b) ?? throw new InvalidOperationException(
                $"'{op}' is not supported between {a.Repr()} and {b.Repr()}.");

        public static bool operator ==(Value a, Value b) => a.Equals(b);
        public static bool operator !=(Value a, Value b) => !a.Equals(b);
        public static bool operator <(Value a, Value b) => Compare(a, b, "<") < 0;
        public static bool operator >(Value a, Value b) => Compare(a, b, ">") > 0;
        public static bool operator <=(Value a, Value b) => Compare(a, b, "<=") <= 0;
        public static bool operator >=(Value a, Value b) => Compare(a, b, ">=") >= 0;

        // ---- arithmetic (Python semantics) -------------------------------------------------

        private static bool BothIntegers(Value a, Value b) =>
            a.Kind is ValueKind.Int or ValueKind.Bool && b.Kind is ValueKind.Int or ValueKind.Bool;

        private static InvalidOperationException Unsupported(string op, Value a, Value b) =>
            new InvalidOperationException($"Unsupported operand types for {op}: {a.Repr()} and {b.Repr()}.");

        public static Value operator +(Value a, Value b)
        {
            if (BothIntegers(a, b)) return FromInt(checked(a._int + b._int));
            if (a.IsNumeric && b.IsNumeric) return FromFloat(a.AsDouble + b.AsDouble);
            if (a.Kind == ValueKind.String && b.Kind == ValueKind.String) return FromString((string)a._ref! + (string)b._ref!);
            if (a.Kind == ValueKind.Tuple && b.Kind == ValueKind.Tuple)
            {
                var l = (Value[])a._ref!;
                var r = (Value[])b._ref!;
                var res = new Value[l.Length + r.Length];
                l.CopyTo(res, 0);
                r.CopyTo(res, l.Length);
                return new Value(ValueKind.Tuple, 0, 0, res);
            }
            throw Unsupported("+", a, b);
        }

        public static Value operator -(Value a, Value b)
        {
            if (BothIntegers(a, b)) return FromInt(checked(a._int - b._int));
            if (a.IsNumeric && b.IsNumeric) return FromFloat(a.AsDouble - b.AsDouble);
            throw Unsupported("-", a, b);
        }

        public static Value operator *(Value a, Value b)
        {
            if (BothIntegers(a, b)) return FromInt(checked(a._int * b._int));
            if (a.IsNumeric && b.IsNumeric) return FromFloat(a.AsDouble * b.AsDouble);
            if (a.Kind == ValueKind.String && b.Kind is ValueKind.Int or ValueKind.Bool) return Repeat((string)a._ref!, b._int);
            if (b.Kind == ValueKind.String && a.Kind is ValueKind.Int or ValueKind.Bool) return Repeat((string)b._ref!, a._int);
            throw Unsupported("*", a, b);
        }

        private static Value Repeat(string s, long n)
        {
            var sb = new StringBuilder();
            for (long i = 0; i < n; i++) sb.Append(s);
            return FromString(sb.ToString());
        }

        /// <summary>True division, as Python's <c>/</c>: always a float; division by zero throws <see cref="DivideByZeroException"/>.</summary>
        public static Value operator /(Value a, Value b)
        {
            if (!(a.IsNumeric && b.IsNumeric)) throw Unsupported("/", a, b);
            double d = b.AsDouble;
            if (d == 0) throw new DivideByZeroException($"division by zero ({a.Repr()} / {b.Repr()})");
            return FromFloat(a.AsDouble / d);
        }

        /// <summary>Python's modulo: the result takes the sign of the divisor.</summary>
        public static Value operator %(Value a, Value b)
        {
            if (!(a.IsNumeric && b.IsNumeric)) throw Unsupported("%", a, b);
            if (b.AsDouble == 0) throw new DivideByZeroException($"modulo by zero ({a.Repr()} % {b.Repr()})");
            if (BothIntegers(a, b))
            {
                long r = a._int % b._int;
                if (r != 0 && (r < 0) != (b._int < 0)) r += b._int;
                return FromInt(r);
            }
            double x = a.AsDouble, y = b.AsDouble;
            double m = x - Math.Floor(x / y) * y;
            return FromFloat(m);
        }

        /// <summary>Python's floor division <c>//</c>.</summary>
        public static Value FloorDiv(Value a, Value b)
        {
            if (!(a.IsNumeric && b.IsNumeric)) throw Unsupported("//", a, b);
            if (b.AsDouble == 0) throw new DivideByZeroException($"floor division by zero ({a.Repr()} // {b.Repr()})");
            if (BothIntegers(a, b))
            {
                long q = a._int / b._int;
                if ((a._int % b._int != 0) && ((a._int < 0) != (b._int < 0))) q--;
                return FromInt(q);
            }
            return FromFloat(Math.Floor(a.AsDouble / b.AsDouble));
        }

        public static Value operator -(Value a)
        {
            if (a.Kind is ValueKind.Int or ValueKind.Bool) return FromInt(checked(-a._int));
            if (a.Kind == ValueKind.Float) return FromFloat(-a._float);
            throw new InvalidOperationException($"Bad operand type for unary -: {a.Repr()}.");
        }

        public static Value operator +(Value a) => a.IsNumeric ? (a.Kind == ValueKind.Bool ? FromInt(a._int) : a) : throw new InvalidOperationException($"Bad operand type for unary +: {a.Repr()}.");

        /// <summary>Python's <c>a and b</c>: <paramref name="a"/> if it is falsy, else <paramref name="b"/>.</summary>
        public static Value And(Value a, Value b) => a.IsTruthy ? b : a;

        /// <summary>Python's <c>a or b</c>: <paramref name="a"/> if it is truthy, else <paramref name="b"/>.</summary>
        public static Value Or(Value a, Value b) => a.IsTruthy ? a : b;

        /// <summary>Python's <c>not a</c>.</summary>
        public static bool Not(Value a) => !a.IsTruthy;

        public static Value operator &(Value a, Value b) => And(a, b);
        public static Value operator |(Value a, Value b) => Or(a, b);
        public static bool operator !(Value a) => !a.IsTruthy;
        public static bool operator true(Value a) => a.IsTruthy;
        public static bool operator false(Value a) => !a.IsTruthy;

        /// <summary>Python's built-in <c>round</c> (banker's rounding) returning an int.</summary>
        public static Value Round(Value a) => FromInt((long)Math.Round(a.AsDouble, MidpointRounding.ToEven));

        public static Value Abs(Value a) => a.Kind is ValueKind.Float ? FromFloat(Math.Abs(a._float)) : FromInt(Math.Abs(a.AsLong));

        public static Value Min(Value a, Value b) => b < a ? b : a;

        public static Value Max(Value a, Value b) => b > a ? b : a;

        // ---- text --------------------------------------------------------------------------

        /// <summary>Python's <c>str()</c>: used for basis direction labels such as <c>tokens:a</c>.</summary>
        public override string ToString() => Kind == ValueKind.String ? (string)_ref! : Repr();

        /// <summary>Python's <c>repr()</c>: strings quoted, floats always with a decimal point.</summary>
        public string Repr()
        {
            switch (Kind)
            {
                case ValueKind.None: return "None";
                case ValueKind.Bool: return _int != 0 ? "True" : "False";
                case ValueKind.Int: return _int.ToString(CultureInfo.InvariantCulture);
                case ValueKind.Float: return FormatFloat(_float);
                case ValueKind.String: return "'" + ((string)_ref!).Replace("\\", "\\\\").Replace("'", "\\'") + "'";
                default:
                    var items = (Value[])_ref!;
                    if (items.Length == 1) return "(" + items[0].Repr() + ",)";
                    var sb = new StringBuilder("(");
                    for (int i = 0; i < items.Length; i++)
                    {
                        if (i > 0) sb.Append(", ");
                        sb.Append(items[i].Repr());
                    }
                    return sb.Append(')').ToString();
            }
        }

        /// <summary>Formats a double as Python's repr does (shortest round-trip digits, <c>1.0</c>, <c>1e-05</c>).</summary>
        public static string FormatFloat(double d)
        {
            if (double.IsNaN(d)) return "nan";
            if (double.IsPositiveInfinity(d)) return "inf";
            if (double.IsNegativeInfinity(d)) return "-inf";
            if (d == 0) return (1 / d) < 0 ? "-0.0" : "0.0";
            // Shortest round-trip digits in scientific form, then laid out the way Python does.
            string r = d.ToString("E16", CultureInfo.InvariantCulture);
            for (int precision = 0; precision <= 16; precision++)
            {
                string candidate = d.ToString("E" + precision, CultureInfo.InvariantCulture);
                if (double.Parse(candidate, CultureInfo.InvariantCulture) == d) { r = candidate; break; }
            }
            bool negative = r[0] == '-';
            if (negative) r = r.Substring(1);
            int ePos = r.IndexOf('E');
            string mantissa = r.Substring(0, ePos).Replace(".", "");
            int exponent = int.Parse(r.Substring(ePos + 1), CultureInfo.InvariantCulture);
            string digits = mantissa.TrimEnd('0');
            if (digits.Length == 0) digits = "0";
            string body;
            if (exponent >= -4 && exponent < 16)
            {
                if (exponent >= 0)
                {
                    string intPart = digits.Length > exponent + 1 ? digits.Substring(0, exponent + 1) : digits.PadRight(exponent + 1, '0');
                    string frac = digits.Length > exponent + 1 ? digits.Substring(exponent + 1) : "0";
                    body = intPart + "." + frac;
                }
                else
                {
                    body = "0." + new string('0', -exponent - 1) + digits;
                }
            }
            else
            {
                body = Scientific(digits, exponent);
            }
            return negative ? "-" + body : body;
        }

        private static string Scientific(string digits, int exponent)
        {
            string m = digits.Length == 1 ? digits : digits.Substring(0, 1) + "." + digits.Substring(1);
            string sign = exponent < 0 ? "-" : "+";
            return m + "e" + sign + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A stable sort, as Python's sorted(): equal items keep their order, which matters where the order is partial.</summary>
    internal static class StableSort
    {
        public static List<T> Sorted<T>(IEnumerable<T> items, Comparison<T> compare)
        {
            var list = items.ToList();
            var order = new int[list.Count];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            Array.Sort(order, (a, b) =>
            {
                int c = compare(list[a], list[b]);
                return c != 0 ? c : a.CompareTo(b);
            });
            var result = new List<T>(list.Count);
            foreach (int i in order) result.Add(list[i]);
            return result;
        }
    }
}
