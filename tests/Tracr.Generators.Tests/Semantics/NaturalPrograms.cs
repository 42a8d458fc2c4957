namespace Tracr.Generators.Tests.Semantics
{
    /// <summary>
    /// Programs written the way a Tracr user writes them in C#: Python-like lambdas with Math, strings, collections,
    /// helpers and loops, one per method, grouped by the categories of issue 9. Each must build at build time and its
    /// model must agree with the same method run as C# (<see cref="NaturalProgramTests"/>).
    /// </summary>
    internal static class NaturalPrograms
    {
        public const string Source = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Tracr;
            using static Tracr.Rasp;

            namespace Natural;

            public static partial class P
            {
                // ---- None, null and default ------------------------------------------------------------------

                [RaspProgram(1, 2, 3, 4, MaxSeqLen = 4)]
                public static SOp NoneBelowThree() => Map(x => x > 2 ? x : Value.None, Tokens);

                [RaspProgram(1, 2, 3, 4, MaxSeqLen = 4)]
                public static SOp NullBelowThree() => Map(x => (int)x > 2 ? x : null, Tokens);

                [RaspProgram(1, 2, 3, 4, MaxSeqLen = 4)]
                public static SOp DefaultForOdd() => Map(x => (int)x % 2 == 0 ? x : default, Tokens);

                [RaspProgram(1, 2, 3, MaxSeqLen = 4)]
                public static SOp PreviousOrNone()
                {
                    var prev = Select(Indices, Indices, (k, q) => k == q - 1);
                    return Aggregate(prev, Tokens, Value.None);
                }

                [RaspProgram(1, 2, 3, MaxSeqLen = 4)]
                public static SOp FirstHasNoPrevious()
                {
                    var prev = Aggregate(Select(Indices, Indices, (k, q) => k == q - 1), Tokens);
                    return SequenceMap((x, p) => p.IsNone ? 0 : x + p, Tokens, prev);
                }

                // ---- Value helpers: FloorDiv, Round, truthiness, tuples ----------------------------------------

                [RaspProgram(-3, -1, 0, 2, 5, MaxSeqLen = 3)]
                public static SOp HalfFloored() => Map(x => Value.FloorDiv(x, 2), Tokens);

                [RaspProgram(1, 2, 3, 4, 5, MaxSeqLen = 3)]
                public static SOp RoundedThirds() => Map(x => Value.Round(x / 3), Tokens);

                [RaspProgram(0, 1, 2, MaxSeqLen = 4)]
                public static SOp TruthyScore() => Map(x => x ? 300 : 0, Tokens);

                [RaspProgram(1, 2, 3, MaxSeqLen = 4)]
                public static SOp PairsThenFirst()
                {
                    var pairs = SequenceMap((a, b) => (a, b), Tokens, Indices);
                    return Map(p => p[0] * 10 + p[1], pairs);
                }

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp TupleArity() => Map(x => (x, x * 2, x * 3).Item3 - x, Tokens);

                // ---- System.Math --------------------------------------------------------------------------------

                [RaspProgram(0, 1, 2, 3, MaxSeqLen = 3)]
                public static SOp SineSign() => Map(x => Math.Sin((double)x) > 0 ? 1 : 0, Tokens);

                [RaspProgram(1, 2, 4, 8, MaxSeqLen = 3)]
                public static SOp LogBaseTwo() => Map(x => Math.Log((double)x, 2), Tokens);

                [RaspProgram(0, 1, 2, 3, MaxSeqLen = 3)]
                public static SOp RoundedExp() => Map(x => Math.Round(Math.Exp((double)x), 2), Tokens);

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp Hypotenuse() => SequenceMap((a, b) => Math.Sqrt(Math.Pow((double)a, 2) + Math.Pow((double)b, 2)), Tokens, Indices);

                [RaspProgram(0, 1, 2, 3, MaxSeqLen = 3)]
                public static SOp TanhBucket() => Map(x => (int)Math.Floor(Math.Tanh((double)x) * 10), Tokens);

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp AngleDegrees() => SequenceMap((a, b) => Math.Round(Math.Atan2((double)a, (double)b + 1) * 180 / Math.PI), Tokens, Indices);

                [RaspProgram(1, 2, 3, 4, MaxSeqLen = 3)]
                public static SOp FloatCube() => Map(x => MathF.Round(MathF.Pow((float)x, 3) / 7f, 3), Tokens);

                // ---- statements in lambdas ----------------------------------------------------------------------

                [RaspProgram(1, 2, 3, 4, 5, MaxSeqLen = 3)]
                public static SOp TriangleNumber() => Map(x =>
                {
                    int sum = 0;
                    for (int i = 1; i <= (int)x; i++) sum += i;
                    return sum;
                }, Tokens);

                [RaspProgram(1, 6, 7, 12, MaxSeqLen = 3)]
                public static SOp CollatzSteps() => Map(x =>
                {
                    long n = (long)x;
                    int steps = 0;
                    while (n != 1)
                    {
                        n = n % 2 == 0 ? n / 2 : 3 * n + 1;
                        steps++;
                    }
                    return steps;
                }, Tokens);

                [RaspProgram(1, 2, 3, 4, MaxSeqLen = 3)]
                public static SOp SwitchName() => Map(x =>
                {
                    switch ((int)x)
                    {
                        case 1: return "one";
                        case 2:
                        case 3: return "few";
                        default: return "many";
                    }
                }, Tokens);

                [RaspProgram(1, 2, 3, 4, MaxSeqLen = 3)]
                public static SOp EarlyReturn() => SequenceMap((a, b) =>
                {
                    if (a == b) return 0;
                    var d = (int)a - (int)b;
                    if (d < 0) return -d * 10;
                    return d;
                }, Tokens, Indices);

                [RaspProgram(1, 2, 3, 4, 5, 6, MaxSeqLen = 3)]
                public static SOp DivisorCount() => Map(x =>
                {
                    int count = 0;
                    int n = (int)x;
                    for (int d = 1; d <= n; d++)
                    {
                        if (n % d != 0) continue;
                        count += 1;
                    }
                    return count;
                }, Tokens);

                // ---- helper methods with loops and recursion -----------------------------------------------------

                static int Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

                static bool IsPrime(int n)
                {
                    if (n < 2) return false;
                    for (int d = 2; d * d <= n; d++)
                        if (n % d == 0) return false;
                    return true;
                }

                static int NextPrime(int n)
                {
                    int p = n + 1;
                    while (!IsPrime(p)) p++;
                    return p;
                }

                static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

                [RaspProgram(0, 1, 2, 3, 4, MaxSeqLen = 3)]
                public static SOp Factorials() => Map(x => Factorial((int)x), Tokens);

                [RaspProgram(1, 2, 3, 4, 5, 6, 7, MaxSeqLen = 3)]
                public static SOp Primes() => Map(x => IsPrime((int)x), Tokens);

                [RaspProgram(1, 2, 8, 13, MaxSeqLen = 3)]
                public static SOp NextPrimes() => Map(x => NextPrime((int)x), Tokens);

                [RaspProgram(2, 4, 6, 9, MaxSeqLen = 3)]
                public static SOp GcdWithPrevious()
                {
                    var prev = Aggregate(Select(Indices, Indices, (k, q) => k == q - 1), Tokens);
                    return SequenceMap((a, b) => b.IsNone ? a : Gcd((int)a, (int)b), Tokens, prev);
                }

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp MethodGroup() => Map(Squared, Tokens);

                static Value Squared(Value v) => v * v;

                // ---- strings and chars ----------------------------------------------------------------------------

                [RaspProgram("apple", "Banana", "cherry", MaxSeqLen = 3)]
                public static SOp Initials() => Map(x => ((string)x).Substring(0, 1).ToUpperInvariant(), Tokens);

                [RaspProgram("a1", "b", "c22", MaxSeqLen = 3)]
                public static SOp DigitCount() => Map(x => ((string)x).ToCharArray().Count(char.IsDigit), Tokens);

                [RaspProgram("abc", "aXc", "xyz", MaxSeqLen = 3)]
                public static SOp Shout() => Map(x => new string(((string)x).Select(char.ToUpperInvariant).ToArray()), Tokens);

                [RaspProgram("a-b", "c", "d-e-f", MaxSeqLen = 3)]
                public static SOp Dashes() => Map(x => string.Join("+", ((string)x).Split('-')), Tokens);

                [RaspProgram("x", "yy", "zzz", MaxSeqLen = 3)]
                public static SOp Padded() => Map(x => ((string)x).PadLeft(3, '.').Replace('z', 'Z'), Tokens);

                [RaspProgram('a', 'b', 'c', MaxSeqLen = 4)]
                public static SOp NextLetter() => Map(x => (char)(((string)x)[0] + 1), Tokens);

                [RaspProgram("10", "7", "x", MaxSeqLen = 3)]
                public static SOp ParsedOrMinus() => Map(x => int.TryParse((string)x, out var n) ? n * 2 : -1, Tokens);

                [RaspProgram("Hello", "World", MaxSeqLen = 3)]
                public static SOp Vowels() => Map(x => ((string)x).ToLowerInvariant().Count(c => "aeiou".IndexOf(c) >= 0), Tokens);

                // ---- collections built in the body and captured -------------------------------------------------

                [RaspProgram(1, 2, 3, 4, 5, MaxSeqLen = 3)]
                public static SOp InSet()
                {
                    var evens = new HashSet<int> { 2, 4 };
                    return Map(x => evens.Contains((int)x), Tokens);
                }

                [RaspProgram("a", "b", "c", MaxSeqLen = 3)]
                public static SOp Lookup()
                {
                    var scores = new Dictionary<string, int> { ["a"] = 10, ["b"] = 20 };
                    return Map(x => scores.TryGetValue((string)x, out var s) ? s : scores.GetValueOrDefault("z", -1), Tokens);
                }

                [RaspProgram(0, 1, 2, 3, MaxSeqLen = 3)]
                public static SOp TableLookup()
                {
                    int[] squares = new int[4];
                    for (int i = 0; i < squares.Length; i++) squares[i] = i * i;
                    return Map(x => squares[(int)x] + squares.Length, Tokens);
                }

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp ListInBody()
                {
                    var weights = new List<double>();
                    foreach (var w in new[] { 0.5, 1.5, 2.5 }) weights.Add(w * 2);
                    return Map(x => weights[(int)x - 1], Tokens);
                }

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp ArrayInLambda() => Map(x =>
                {
                    var digits = new[] { (int)x, (int)x + 1, (int)x * 3 };
                    Array.Reverse(digits);
                    return digits[0] * 100 + digits.Length;
                }, Tokens);

                [RaspProgram("a", "b", "c", MaxSeqLen = 3)]
                public static SOp Scores()
                {
                    var names = new[] { "a", "b", "c" };
                    var weights = new Dictionary<string, int>();
                    for (int i = 0; i < names.Length; i++) weights[names[i]] = i * i;
                    int bonus = weights.Values.Max();
                    return Map(x => weights[(string)x] + bonus, Tokens);
                }

                [RaspProgram(1, 2, 3, 4, 5, 6, 7, MaxSeqLen = 3)]
                public static SOp PrimeNames() => Map(x =>
                {
                    if (!IsPrime((int)x)) return Value.None;
                    return $"p{x}";
                }, Tokens);

                // ---- LINQ -------------------------------------------------------------------------------------------

                [RaspProgram("dcba", "bca", "a", MaxSeqLen = 3)]
                public static SOp Sorted() => Map(x => new string(((string)x).OrderBy(c => c).ToArray()), Tokens);

                [RaspProgram(1, 2, 3, 4, MaxSeqLen = 3)]
                public static SOp SumOfSquares() => Map(x => Enumerable.Range(1, (int)x).Select(i => i * i).Sum(), Tokens);

                [RaspProgram("aab", "abc", "zz", MaxSeqLen = 3)]
                public static SOp DistinctCount() => Map(x => ((string)x).Distinct().Count(), Tokens);

                [RaspProgram(1, 2, 3, 4, MaxSeqLen = 3)]
                public static SOp AnyAllMax()
                {
                    var table = new List<int> { 3, 1, 4, 1, 5 };
                    return Map(x => table.Where(t => t > (int)x).Any() && table.All(t => t > 0) ? table.Max() - (int)x : table.Min(), Tokens);
                }

                // ---- local functions and closures --------------------------------------------------------------------

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp LocalFunctionWithDegree()
                {
                    int degree = 3;
                    int Power(int b)
                    {
                        int r = 1;
                        for (int i = 0; i < degree; i++) r *= b;
                        return r;
                    }
                    return Map(x => Power((int)x), Tokens);
                }

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp ClosureSeesLastValue()
                {
                    int offset = 1;
                    var shifted = Map(x => x + offset, Tokens);
                    offset = 10;
                    return shifted;
                }

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp LoopOfMaps()
                {
                    var x = Tokens;
                    foreach (var k in new[] { 1, 2, 3 })
                        x = Map(v => v * k, x);
                    return x;
                }

                // ---- casts, overflow, division ---------------------------------------------------------------------

                [RaspProgram(97, 98, 99, MaxSeqLen = 3)]
                public static SOp CharFromCode() => Map(x => (char)(int)x, Tokens);

                [RaspProgram(100, 300, 556, MaxSeqLen = 3)]
                public static SOp ByteWrap() => Map(x => (byte)(int)x, Tokens);

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp FloatRounding() => Map(x => (double)(float)((double)x / 3), Tokens);

                [RaspProgram(1, 2, 3, 7, MaxSeqLen = 3)]
                public static SOp IntWraparound() => Map(x => (int)x * 1_000_000_000 % 7, Tokens);

                [RaspProgram(1, 2, 3, 4, MaxSeqLen = 3)]
                public static SOp IntegerDivision() => SequenceMap((a, b) => (int)b == 0 ? -1 : (int)a / (int)b + (int)a % (int)b, Tokens, Indices);

                [RaspProgram(1, 2, 3, MaxSeqLen = 3)]
                public static SOp StringFormat() => Map(x => $"{(double)x / 4:F2}|{(int)x,3}", Tokens);
            }
            """;
    }
}
