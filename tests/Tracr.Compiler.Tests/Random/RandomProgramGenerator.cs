using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Tracr.Tests.RandomPrograms
{
    /// <summary>A random RASP program with the compile settings it is tested under.</summary>
    public sealed class GeneratedProgram
    {
        internal GeneratedProgram(int seed, SOp program, IReadOnlyList<Value> vocab, int maxSeqLen, bool causal, string? deliberateViolation)
        {
            Seed = seed;
            Program = program;
            Vocab = vocab;
            MaxSeqLen = maxSeqLen;
            Causal = causal;
            DeliberateViolation = deliberateViolation;
        }

        public int Seed { get; }
        public SOp Program { get; }
        public IReadOnlyList<Value> Vocab { get; }
        public int MaxSeqLen { get; }
        public bool Causal { get; }

        /// <summary>
        /// Null for a well-formed program (the compiler must accept it); otherwise the Tracr rule the
        /// program breaks on purpose (the compiler must refuse it with a <see cref="RaspCompilationException"/>).
        /// </summary>
        public string? DeliberateViolation { get; }

        public override string ToString() =>
            $"seed {Seed}: vocab {ProgramPrinter.List(Vocab)}, max_seq_len {MaxSeqLen}, causal {Causal}" +
            (DeliberateViolation != null ? $", deliberately invalid ({DeliberateViolation})" : "") + "\n" +
            ProgramPrinter.Print(Program);
    }

    /// <summary>
    /// Generates random well-formed RASP programs from a seed: every node kind (Map categorical and
    /// numerical in all four encoding combinations, SequenceMap, LinearSequenceMap, Full, Length,
    /// Indices, Tokens, Select with every Comparison and custom predicates, fused &amp; | ~ selectors,
    /// categorical and numerical Aggregate and SelectorWidth), over int or string vocabs of 2..6
    /// tokens, max_seq_len 2..8, causal or not.
    /// </summary>
    /// <remarks>
    /// <para>Programs are built bottom-up from a pool of S-ops; each new node reads recent ones, so
    /// programs are deep rather than wide. The output is the last node.</para>
    /// <para>Well-formed means: the compiler must accept the program (Tracr's encoding rules, binary
    /// numerical means, fusable selectors only), and the compiled model must be defined wherever the
    /// evaluator is. So every function is total on its input's value set and has a small image;
    /// functions of numerical inputs are robust (constant, or continuous, within 1e-9 of every
    /// value the input can take, so float noise cannot flip them); None (an empty categorical
    /// Aggregate) only flows into categorical Maps, SequenceMaps and Aggregate sources, where the
    /// model's zero vector is None too; a categorical Aggregate's selector provably selects at most
    /// one key (unique keys, functional predicate) or only keys with equal values, except in a
    /// small share of programs where the check skips the inputs on which it does not.</para>
    /// <para>About 4% of programs break one of Tracr's rules on purpose, to check the compiler refuses them.</para>
    /// </remarks>
    public static class RandomProgramGenerator
    {
        public static GeneratedProgram Generate(int seed) => new Builder(seed).Build();

        private enum VKind { Int, Bool, Float, Str, Mixed }

        private enum Op { CatMap, NumMapFromCat, NumToNumMap, NumToCatMap, SequenceMap, Linear, Full, Length, SelectorWidth, CatAggregate, NumAggregate }

        private enum AggregateMode { AtMostOne, AllEqual, Unchecked }

        private sealed class Node
        {
            public Node(SOp expr, IReadOnlyList<Value> values, bool mayBeNone, bool unique)
            {
                Expr = expr;
                Values = values;
                MayBeNone = mayBeNone;
                Unique = unique;
                Kind = KindOf(values);
            }

            public SOp Expr { get; }

            /// <summary>The node's value set (as the compiler infers it, or a superset).</summary>
            public IReadOnlyList<Value> Values { get; }

            public VKind Kind { get; }

            /// <summary>The node can be None at some position (an empty categorical Aggregate upstream).</summary>
            public bool MayBeNone { get; }

            /// <summary>The node's values at different positions always differ (indices, injective maps of them).</summary>
            public bool Unique { get; }

            public bool Cat => Expr.IsCategorical;
            public bool Num => Expr.IsNumerical;
            public bool Integral => Kind == VKind.Int || Kind == VKind.Bool;
        }

        private sealed class Fn1
        {
            public Fn1(string text, Func<Value, Value> f) { Text = text; F = f; }
            public string Text { get; }
            public Func<Value, Value> F { get; }
        }

        private sealed class Fn2
        {
            public Fn2(string text, Func<Value, Value, Value> f) { Text = text; F = f; }
            public string Text { get; }
            public Func<Value, Value, Value> F { get; }
        }

        /// <summary>Thrown by an operation that cannot be built from the current pool; the builder tries another.</summary>
        private sealed class Infeasible : Exception
        {
            public Infeasible(string why) : base(why) { }
        }

        private static VKind KindOf(IReadOnlyList<Value> values)
        {
            bool anyString = values.Any(v => v.Kind == ValueKind.String);
            bool anyOther = values.Any(v => v.Kind != ValueKind.String);
            if (anyString && anyOther) return VKind.Mixed;
            if (anyString) return VKind.Str;
            if (values.Any(v => !v.IsNumeric)) return VKind.Mixed;
            if (values.All(v => v.Kind == ValueKind.Bool)) return VKind.Bool;
            if (values.All(v => v.IsIntegral)) return VKind.Int;
            return VKind.Float;
        }

        private static bool Comparable(Node a, Node b) =>
            a.Kind != VKind.Mixed && b.Kind != VKind.Mixed && (a.Kind == VKind.Str) == (b.Kind == VKind.Str);

        private const int MaxCategoricalValues = 24;
        private const int MaxNumericalValues = 80;
        private const int MaxNumericalMapInputValues = 48;
        private const double MinNumericalGap = 1e-3;

        private static readonly string[] Letters = { "a", "b", "c", "d", "e", "f", "g", "h" };
        private static readonly string[] Words = { "x", "y", "zz", "ab", "q", "hi", "no", "w" };

        private sealed class Builder
        {
            private readonly int _seed;
            private readonly Random _rng;
            private readonly List<Value> _vocab;
            private readonly int _maxSeqLen;
            private readonly bool _causal;
            private readonly ProgramAnalysis _analysis;
            private readonly List<Node> _pool = new List<Node>();
            private readonly bool _clashingNames;
            private int _names;

            /// <summary>
            /// A fresh name (n1, n2, ...), or in a tenth of the programs one that clashes with other
            /// nodes or with the compiler's own labels (tokens, indices, one): names must not matter.
            /// </summary>
            private string NextName(string prefix)
            {
                ++_names;
                return _clashingNames
                    ? Pick(new[] { "x", "tokens", "indices", "one", "map", "aggregate", "tokens:a" })
                    : prefix + _names.ToString(CultureInfo.InvariantCulture);
            }

            public Builder(int seed)
            {
                _seed = seed;
                _rng = new Random(seed);
                int vocabSize = _rng.Next(2, 7);
                if (Chance(0.5))
                {
                    var ints = Enumerable.Range(0, 10).OrderBy(_ => _rng.Next()).Take(vocabSize);
                    _vocab = ints.Select(i => Value.FromInt(i)).ToList();
                }
                else
                {
                    var source = Chance(0.5) ? Letters : Words;
                    _vocab = source.OrderBy(_ => _rng.Next()).Take(vocabSize).Select(s => Value.FromString(s)).ToList();
                }
                _maxSeqLen = _rng.Next(2, 9);
                _causal = Chance(0.3);
                _clashingNames = Chance(0.1);
                _analysis = new ProgramAnalysis(_vocab, _maxSeqLen);
            }

            public GeneratedProgram Build()
            {
                Add(Rasp.Tokens, false, false, name: false);
                Add(Rasp.Indices, false, true, name: false);
                if (Chance(0.25)) Add(Chance(0.3) ? Rasp.Numerical(Rasp.Length) : Rasp.Length, false, false, name: false);
                if (Chance(0.15)) Add(new Full(RandomCategoricalConstant()), false, false);

                int ops = Chance(0.15) ? _rng.Next(8, 13) : _rng.Next(1, 8);
                int built = 0;
                for (int attempt = 0; built < ops && attempt < ops * 40; attempt++)
                {
                    var op = PickOp();
                    if (TryBuild(() => Apply(op))) built++;
                }
                if (built == 0) Apply(Op.CatMap);

                // Sometimes fold nodes the output does not read into it, so programs are also wide:
                // several heads in one attention layer, several MLPs combined in one layer.
                if (Chance(0.35))
                {
                    int folds = _rng.Next(1, 3);
                    for (int j = 0; j < folds; j++)
                    {
                        var last = _pool[_pool.Count - 1];
                        var used = new HashSet<RaspExpr>(ProgramPrinter.Nodes(last.Expr));
                        var dangling = _pool.Where(n => !used.Contains(n.Expr) && !(n.Expr is TokensType) && !(n.Expr is IndicesType)).ToList();
                        if (dangling.Count == 0) break;
                        var other = Pick(dangling);
                        TryBuild(() => Combine(last, other));
                    }
                }

                string? violation = null;
                SOp program = _pool[_pool.Count - 1].Expr;
                if (Chance(0.04))
                    (program, violation) = MakeDeliberatelyInvalid();

                var problems = new ProgramAnalysis(_vocab, _maxSeqLen).RuleViolations(program);
                if ((violation == null) != (problems.Count == 0))
                    throw new InvalidOperationException(
                        $"Generator bug (seed {_seed}): deliberate violation '{violation ?? "none"}' but rule check found [{string.Join("; ", problems)}].\n" +
                        ProgramPrinter.Print(program));
                return new GeneratedProgram(_seed, program, _vocab, _maxSeqLen, _causal, violation);
            }

            /// <summary>Runs one operation; when it cannot be built from this pool (or a function fails on a value set), drops its partial work.</summary>
            private bool TryBuild(Action build)
            {
                int before = _pool.Count;
                try
                {
                    build();
                    return true;
                }
                catch (Exception e) when (e is Infeasible || e is InvalidOperationException || e is DivideByZeroException || e is OverflowException)
                {
                    _pool.RemoveRange(before, _pool.Count - before);
                    return false;
                }
            }

            /// <summary>A node reading both <paramref name="a"/> and <paramref name="b"/> (a SequenceMap or LinearSequenceMap, converting encodings first when they differ).</summary>
            private void Combine(Node a, Node b)
            {
                if (Chance(0.5)) (a, b) = (b, a);
                if (a.Num != b.Num)
                {
                    var cat = a.Cat ? a : b;
                    var num = a.Num ? a : b;
                    Node from, to;
                    if (!cat.MayBeNone)
                        (from, to) = (cat, AddMap(NumericFunctionOfCategorical(cat), cat, numerical: true, false, false));
                    else if (SuitableNumericalInput(num.Values))
                        (from, to) = (num, AddMap(FunctionOfNumerical(num, numericalOutput: false), num, numerical: false, false, false));
                    else
                        throw new Infeasible("cannot convert encodings");
                    if (ReferenceEquals(a, from)) a = to;
                    else b = to;
                }
                if (a.Num)
                {
                    double[] factors = { 1, -1, 2, 0.5 };
                    Add(Rasp.Numerical(new LinearSequenceMap(a.Expr, b.Expr, Pick(factors), Pick(factors))), false, false);
                    return;
                }
                // Keep the SequenceMap's table small: bucket large inputs first.
                if (a.Values.Count * b.Values.Count > 48)
                {
                    if (a.Values.Count >= b.Values.Count) a = AddMap(Table(a.Values, SmallOutputs(0)), a, numerical: false, a.MayBeNone, false);
                    else b = AddMap(Table(b.Values, SmallOutputs(0)), b, numerical: false, b.MayBeNone, false);
                    if (a.Values.Count * b.Values.Count > 48) throw new Infeasible("product too large");
                }
                var fn = SequenceFunction(a, b);
                Add(new SequenceMap(fn.F, a.Expr, b.Expr, fn.Text), a.MayBeNone || b.MayBeNone, false);
            }

            // ---- randomness helpers ----------------------------------------------------------

            private bool Chance(double p) => _rng.NextDouble() < p;

            private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

            private Op PickOp()
            {
                var weights = new (Op, int)[]
                {
                    (Op.CatMap, 14), (Op.NumMapFromCat, 7), (Op.NumToNumMap, 7), (Op.NumToCatMap, 7),
                    (Op.SequenceMap, 12), (Op.Linear, 5), (Op.Full, 2), (Op.Length, 1),
                    (Op.SelectorWidth, 10), (Op.CatAggregate, 16), (Op.NumAggregate, 12),
                };
                int total = weights.Sum(w => w.Item2);
                int r = _rng.Next(total);
                foreach (var (op, w) in weights)
                {
                    if (r < w) return op;
                    r -= w;
                }
                throw new InvalidOperationException("unreachable");
            }

            /// <summary>A pool node matching <paramref name="filter"/>, recent ones more likely (weight = rank).</summary>
            private Node PickNode(Func<Node, bool> filter, string what)
            {
                var candidates = _pool.Where(filter).ToList();
                if (candidates.Count == 0) throw new Infeasible("no " + what);
                int total = candidates.Count * (candidates.Count + 1) / 2;
                int r = _rng.Next(total);
                for (int i = 0; i < candidates.Count; i++)
                {
                    if (r < i + 1) return candidates[i];
                    r -= i + 1;
                }
                return candidates[candidates.Count - 1];
            }

            private Node PickCat(bool allowNone) => PickNode(n => n.Cat && (allowNone || !n.MayBeNone) && n.Kind != VKind.Mixed, "categorical node");

            private Node PickNumericalMapInput() => PickNode(n => n.Num && !n.MayBeNone && SuitableNumericalInput(n.Values), "numerical node");

            private static bool SuitableNumericalInput(IReadOnlyList<Value> values)
            {
                if (values.Count > MaxNumericalMapInputValues || values.Any(v => !v.IsNumeric)) return false;
                var sorted = values.Select(v => v.AsDouble).OrderBy(d => d).ToArray();
                for (int i = 1; i < sorted.Length; i++)
                    if (sorted[i] - sorted[i - 1] < MinNumericalGap) return false;
                return true;
            }

            private Node Add(SOp expr, bool mayBeNone, bool unique, bool name = true)
            {
                if (name) expr = expr.Named(NextName("n"));
                var values = _analysis.ValueSet(expr);
                if (values.Count == 0) throw new Infeasible("empty value set");
                if (expr.IsCategorical && values.Count > MaxCategoricalValues) throw new Infeasible("value set too large");
                if (expr.IsNumerical && (values.Count > MaxNumericalValues || values.Any(v => !v.IsNumeric))) throw new Infeasible("bad numerical value set");
                var node = new Node(expr, values, mayBeNone, unique);
                _pool.Add(node);
                return node;
            }

            private Value RandomCategoricalConstant() => _rng.Next(3) switch
            {
                0 => Pick(_vocab),
                1 => Value.FromInt(_rng.Next(0, 5)),
                _ => Value.FromString(Pick(Letters)),
            };

            // ---- operations --------------------------------------------------------------------

            private void Apply(Op op)
            {
                switch (op)
                {
                    case Op.CatMap:
                    {
                        var x = PickCat(allowNone: true);
                        var fn = CategoricalFunction(x);
                        var image = ProgramAnalysis.Distinct(x.Values.Select(fn.F));
                        AddMap(fn, x, numerical: false, x.MayBeNone, unique: x.Unique && image.Count == x.Values.Count);
                        break;
                    }
                    case Op.NumMapFromCat:
                    {
                        var x = PickCat(allowNone: false);
                        AddMap(NumericFunctionOfCategorical(x), x, numerical: true, false, false);
                        break;
                    }
                    case Op.NumToNumMap:
                    {
                        var x = PickNumericalMapInput();
                        AddMap(FunctionOfNumerical(x, numericalOutput: true), x, numerical: true, false, false);
                        break;
                    }
                    case Op.NumToCatMap:
                    {
                        var x = PickNumericalMapInput();
                        AddMap(FunctionOfNumerical(x, numericalOutput: false), x, numerical: false, false, false);
                        break;
                    }
                    case Op.SequenceMap:
                    {
                        var a = PickCat(allowNone: true);
                        var b = Chance(0.15) ? a : PickCat(allowNone: true);
                        if (a.Values.Count * b.Values.Count > 48) throw new Infeasible("product too large");
                        var fn = SequenceFunction(a, b);
                        Add(new SequenceMap(fn.F, a.Expr, b.Expr, fn.Text), a.MayBeNone || b.MayBeNone, false);
                        break;
                    }
                    case Op.Linear:
                    {
                        var a = PickNode(n => n.Num && !n.MayBeNone, "numerical node");
                        var b = Chance(0.2) ? a : PickNode(n => n.Num && !n.MayBeNone, "numerical node");
                        double[] factors = { 1, -1, 2, 0.5, 3, -0.5 };
                        Add(Rasp.Numerical(new LinearSequenceMap(a.Expr, b.Expr, Pick(factors), Pick(factors))), false, false);
                        break;
                    }
                    case Op.Full:
                        if (Chance(0.6)) Add(new Full(RandomCategoricalConstant()), false, false);
                        else Add(Rasp.Numerical(new Full(Pick(new Value[] { 0, 1, 2, 0.5, -1 }))), false, false);
                        break;
                    case Op.Length:
                        if (_pool.Any(n => n.Expr is LengthType)) throw new Infeasible("length already there");
                        Add(Chance(0.3) ? Rasp.Numerical(Rasp.Length) : Rasp.Length, false, false, name: false);
                        break;
                    case Op.SelectorWidth:
                    {
                        Selector selector = Chance(0.3) ? MakeComposite() : MakeSelector(AggregateMode.Unchecked).Selector;
                        SOp width = new SelectorWidth(selector);
                        if (Chance(0.35)) width = Rasp.Numerical(width);
                        Add(width, false, false);
                        break;
                    }
                    case Op.CatAggregate:
                        AddCategoricalAggregate();
                        break;
                    case Op.NumAggregate:
                    {
                        Selector selector = Chance(0.3) ? MakeComposite() : MakeSelector(AggregateMode.Unchecked).Selector;
                        var source = Chance(0.35) ? NonBinaryNumericalSource() : BinaryNumericalSource();
                        Add(Rasp.Numerical(new Aggregate(selector, source.Expr, Value.FromInt(0))), false, false);
                        break;
                    }
                }
            }

            private Node AddMap(Fn1 fn, Node x, bool numerical, bool mayBeNone, bool unique)
            {
                // Tracr fuses a Map of a Map by default; test both.
                SOp map = new Map(fn.F, x.Expr, Chance(0.5), fn.Text);
                if (numerical) map = Rasp.Numerical(map);
                var m = (Map)map;
                if (m.Inner.IsNumerical)
                {
                    // The compiler discretises numerical inputs: f must not jump within float noise of any input value.
                    if (!SuitableNumericalInput(_analysis.ValueSet(m.Inner))) throw new Infeasible("numerical input values too close");
                    if (!Robust(m.Function, _analysis.ValueSet(m.Inner), numerical)) throw new Infeasible("function not robust");
                }
                return Add(map, mayBeNone, unique);
            }

            private static bool Robust(Func<Value, Value> f, IReadOnlyList<Value> values, bool numericalOutput)
            {
                foreach (var v in values)
                {
                    double d = v.AsDouble;
                    var at = f(v);
                    foreach (double sign in new[] { -1.0, 1.0 })
                    {
                        var near = f(Value.FromFloat(d + sign * 1e-9 * Math.Max(1, Math.Abs(d))));
                        if (numericalOutput ? Math.Abs(near.AsDouble - at.AsDouble) > 1e-6 : near != at) return false;
                    }
                }
                return true;
            }

            // ---- functions ---------------------------------------------------------------------

            private Fn1 Table(IReadOnlyList<Value> domain, IReadOnlyList<Value> outputs)
            {
                var table = new Dictionary<Value, Value>();
                foreach (var v in domain) table[v] = Pick(outputs);
                var fallback = outputs[0];
                string text = "{" + string.Join(", ", domain.Select(v => v.Repr() + ": " + table[v].Repr())) + "}.get(x, " + fallback.Repr() + ")";
                return new Fn1(text, x => table.TryGetValue(x, out var y) ? y : fallback);
            }

            private IReadOnlyList<Value> SmallOutputs(int kind)
            {
                int count = _rng.Next(2, 5);
                return kind switch
                {
                    0 => Enumerable.Range(0, count).Select(i => Value.FromInt(i)).ToList(),
                    1 => Letters.Take(count).Select(s => Value.FromString(s)).ToList(),
                    _ => new[] { Value.FromBool(false), Value.FromBool(true) },
                };
            }

            private Fn1 CategoricalFunction(Node x)
            {
                var options = new List<Func<Fn1>>();
                options.Add(() => Table(x.Values, SmallOutputs(_rng.Next(3))));
                if (x.Integral)
                {
                    options.Add(() =>
                    {
                        int a = _rng.Next(1, 4), b = _rng.Next(0, 5), m = _rng.Next(2, 7);
                        return new Fn1($"({a} * x + {b}) % {m}", v => (a * v + b) % m);
                    });
                    options.Add(() =>
                    {
                        int c = Pick(new[] { -2, -1, 1, 2, 3 });
                        return new Fn1(c < 0 ? $"x - {-c}" : $"x + {c}", v => v + c);
                    });
                    options.Add(() =>
                    {
                        int c = _rng.Next(0, 8);
                        return new Fn1($"{c} - x", v => c - v);
                    });
                    options.Add(() =>
                    {
                        var c = Pick(x.Values);
                        return Chance(0.5)
                            ? new Fn1($"min(x, {c.Repr()})", v => Value.Min(v, c))
                            : new Fn1($"max(x, {c.Repr()})", v => Value.Max(v, c));
                    });
                    options.Add(() =>
                    {
                        int d = _rng.Next(2, 4);
                        return new Fn1($"x // {d}", v => Value.FloorDiv(v, d));
                    });
                }
                if (x.Kind != VKind.Mixed) options.Add(() => CompareWithConstant(x));
                if (x.Kind == VKind.Bool) options.Add(() => new Fn1("not x", v => Value.FromBool(!v.IsTruthy)));
                return Pick(options)();
            }

            private Fn1 CompareWithConstant(Node x)
            {
                var c = Pick(x.Values);
                switch (_rng.Next(6))
                {
                    case 0: return new Fn1($"x < {c.Repr()}", v => v < c);
                    case 1: return new Fn1($"x <= {c.Repr()}", v => v <= c);
                    case 2: return new Fn1($"x > {c.Repr()}", v => v > c);
                    case 3: return new Fn1($"x >= {c.Repr()}", v => v >= c);
                    case 4: return new Fn1($"x == {c.Repr()}", v => v == c);
                    default: return new Fn1($"x != {c.Repr()}", v => v != c);
                }
            }

            /// <summary>A numeric-valued function of a categorical node (a categorical-to-numerical MLP).</summary>
            private Fn1 NumericFunctionOfCategorical(Node x)
            {
                var options = new List<Func<Fn1>>
                {
                    () => Indicator(x),
                    () => Table(x.Values, Pick(new[]
                    {
                        new Value[] { 0, 1 }, new Value[] { 0, 1, 2, 3 }, new Value[] { 0, 0.5, 2 }, new Value[] { -1, 1 },
                    }).OrderBy(_ => _rng.Next()).ToList()),
                };
                if (x.Kind != VKind.Mixed) options.Add(() => CompareWithConstant(x));
                if (x.Integral)
                {
                    options.Add(() => new Fn1("x", v => v));
                    options.Add(() =>
                    {
                        double a = Pick(new[] { 1.0, 2, -1, 0.5 });
                        int b = _rng.Next(-1, 3);
                        return new Fn1($"{Value.FormatFloat(a)} * x + {b}", v => Value.FromFloat(a) * v + b);
                    });
                }
                return Pick(options)();
            }

            /// <summary><c>1 if x in S else 0</c> for a random non-trivial subset S of the node's values.</summary>
            private Fn1 Indicator(Node x)
            {
                var subset = x.Values.Where(_ => Chance(0.5)).ToList();
                if (subset.Count == 0) subset.Add(Pick(x.Values));
                var set = new HashSet<Value>(subset);
                return new Fn1($"1 if x in {{{string.Join(", ", subset.Select(v => v.Repr()))}}} else 0", v => set.Contains(v) ? 1 : 0);
            }

            /// <summary>A function of a numerical node (a discretising MLP), numeric or categorical valued.</summary>
            private Fn1 FunctionOfNumerical(Node x, bool numericalOutput)
            {
                var sorted = x.Values.Select(v => v.AsDouble).OrderBy(d => d).ToArray();
                double Threshold()
                {
                    if (sorted.Length == 1) return sorted[0] + 0.5;
                    int i = _rng.Next(sorted.Length - 1);
                    return (sorted[i] + sorted[i + 1]) / 2;
                }
                string T(double t) => Value.FormatFloat(t);
                var options = new List<Func<Fn1>>();
                options.Add(() => NearestTable(sorted, numericalOutput
                    ? Pick(new[] { new Value[] { 0, 1 }, new Value[] { 0, 1, 2 }, new Value[] { -1, 0.5, 3 } })
                    : SmallOutputs(_rng.Next(3))));
                if (numericalOutput)
                {
                    options.Add(() => { double t = Threshold(); return new Fn1($"1 if x > {T(t)} else 0", v => v.AsDouble > t ? 1 : 0); });
                    options.Add(() =>
                    {
                        double a = Pick(new[] { 2.0, -1, 0.5, 3 }), b = Pick(new[] { 0.0, 1, -0.5 });
                        return new Fn1($"{T(a)} * x + {T(b)}", v => Value.FromFloat(a) * v + Value.FromFloat(b));
                    });
                    options.Add(() => new Fn1("x * x", v => v * v));
                    options.Add(() => { double t = Threshold(); return new Fn1($"min(x, {T(t)})", v => Value.FromFloat(Math.Min(v.AsDouble, t))); });
                }
                else
                {
                    options.Add(() => { double t = Threshold(); return new Fn1($"x > {T(t)}", v => v.AsDouble > t); });
                    options.Add(() => { int k = _rng.Next(2, 5); return new Fn1($"floor(x * {k})", v => Value.FromInt((long)Math.Floor(v.AsDouble * k))); });
                    options.Add(() => new Fn1("round(x)", v => Value.Round(v)));
                }
                return Pick(options)();
            }

            /// <summary>An arbitrary function of a numerical value given on its value set, applied to the nearest value.</summary>
            private Fn1 NearestTable(double[] sorted, IReadOnlyList<Value> outputs)
            {
                var table = sorted.Select(_ => Pick(outputs)).ToArray();
                string text = "nearest{" + string.Join(", ", sorted.Select((d, i) => Value.FormatFloat(d) + ": " + table[i].Repr())) + "}[x]";
                return new Fn1(text, v =>
                {
                    double d = v.AsDouble;
                    int best = 0;
                    for (int i = 1; i < sorted.Length; i++)
                        if (Math.Abs(sorted[i] - d) < Math.Abs(sorted[best] - d)) best = i;
                    return table[best];
                });
            }

            private Fn2 SequenceFunction(Node a, Node b)
            {
                var options = new List<Func<Fn2>>
                {
                    () =>
                    {
                        var outputs = SmallOutputs(_rng.Next(3));
                        var table = new Dictionary<Value, Value>();
                        var pairs = new List<string>();
                        foreach (var x in a.Values)
                            foreach (var y in b.Values)
                            {
                                var key = Value.Tuple(x, y);
                                if (table.ContainsKey(key)) continue;
                                table[key] = Pick(outputs);
                                pairs.Add($"({x.Repr()}, {y.Repr()}): {table[key].Repr()}");
                            }
                        var fallback = outputs[0];
                        return new Fn2("{" + string.Join(", ", pairs) + "}.get((x, y), " + fallback.Repr() + ")",
                            (x, y) => table.TryGetValue(Value.Tuple(x, y), out var r) ? r : fallback);
                    },
                };
                if (a.Integral && b.Integral)
                {
                    options.Add(() =>
                    {
                        int p = _rng.Next(1, 3), q = _rng.Next(1, 3), m = _rng.Next(2, 6);
                        return new Fn2($"({p} * x + {q} * y) % {m}", (x, y) => (p * x + q * y) % m);
                    });
                    options.Add(() => new Fn2("x + y", (x, y) => x + y));
                    options.Add(() => new Fn2("x - y", (x, y) => x - y));
                    options.Add(() => new Fn2("min(x, y)", Value.Min));
                    options.Add(() => new Fn2("max(x, y)", Value.Max));
                }
                if (Comparable(a, b))
                {
                    options.Add(() => new Fn2("x < y", (x, y) => x < y));
                    options.Add(() => new Fn2("x == y", (x, y) => x == y));
                }
                if (a.Kind == VKind.Bool && b.Kind == VKind.Bool)
                {
                    options.Add(() => new Fn2("x and y", Value.And));
                    options.Add(() => new Fn2("x or y", Value.Or));
                }
                if (a.Kind == VKind.Str && b.Kind == VKind.Str && a.Values.Count * b.Values.Count <= 16)
                    options.Add(() => new Fn2("x + y", (x, y) => x + y));
                return Pick(options)();
            }

            // ---- selectors ---------------------------------------------------------------------

            private Predicate RandomPredicate(Node keys, Node queries)
            {
                var options = new List<Func<Predicate>>
                {
                    () =>
                    {
                        var comparisons = new List<Comparison> { Comparison.EQ, Comparison.NEQ, Comparison.TRUE, Comparison.FALSE };
                        if (Comparable(keys, queries)) comparisons.AddRange(new[] { Comparison.LT, Comparison.LEQ, Comparison.GT, Comparison.GEQ });
                        return Predicate.FromComparison(Pick(comparisons));
                    },
                    () => Relation(keys, queries),
                    () => FunctionalRelation(keys, queries),
                };
                if (keys.Integral && queries.Integral)
                {
                    options.Add(() => ShiftEquals(keys, queries));
                    options.Add(() =>
                    {
                        int a = _rng.Next(1, 3), m = _rng.Next(2, 5), r = _rng.Next(0, m);
                        return Predicate.FromFunction((k, q) => (k + a * q) % m == r, $"(k + {a} * q) % {m} == {r}");
                    });
                    options.Add(() =>
                    {
                        int d = _rng.Next(-1, 3);
                        return Chance(0.5)
                            ? Predicate.FromFunction((k, q) => k < q + d, $"k < q + {d}")
                            : Predicate.FromFunction((k, q) => k > q - d, $"k > q - {d}");
                    });
                }
                return Pick(options)();
            }

            private Predicate ShiftEquals(Node keys, Node queries)
            {
                int d = _rng.Next(-2, 3);
                return Predicate.FromFunction((k, q) => k == q + d, $"k == q + {d}");
            }

            /// <summary>A random relation between the key and query value sets, listed explicitly.</summary>
            private Predicate Relation(Node keys, Node queries)
            {
                double density = 0.2 + 0.5 * _rng.NextDouble();
                var pairs = new HashSet<Value>();
                var shown = new List<string>();
                foreach (var k in keys.Values)
                    foreach (var q in queries.Values)
                        if (Chance(density) && pairs.Add(Value.Tuple(k, q))) shown.Add($"({k.Repr()}, {q.Repr()})");
                return Predicate.FromFunction((k, q) => pairs.Contains(Value.Tuple(k, q)), "(k, q) in {" + string.Join(", ", shown) + "}");
            }

            /// <summary>k == g(q) for a random partial g from query values to key values: at most one key value per query.</summary>
            private Predicate FunctionalRelation(Node keys, Node queries)
            {
                var g = new Dictionary<Value, Value>();
                foreach (var q in queries.Values)
                    if (Chance(0.8)) g[q] = Pick(keys.Values);
                string text = "k == {" + string.Join(", ", g.Select(kv => kv.Key.Repr() + ": " + kv.Value.Repr())) + "}.get(q)";
                return Predicate.FromFunction((k, q) => g.TryGetValue(q, out var target) && k == target, text);
            }

            private static Select MakeSelect(Node keys, Node queries, Predicate p) => new Select(keys.Expr, queries.Expr, p);

            /// <summary>
            /// A compilable selector (one Select, possibly fused from &amp; | ~ over the same keys and
            /// queries). For <see cref="AggregateMode.AtMostOne"/> the keys are unique and the
            /// predicate functional, checked on the value sets.
            /// </summary>
            private (Select Selector, Node Keys, Node Queries) MakeSelector(AggregateMode mode)
            {
                var keys = mode == AggregateMode.AtMostOne
                    ? PickNode(n => n.Cat && n.Unique && !n.MayBeNone, "unique node")
                    : PickCat(allowNone: false);
                var queries = Chance(0.3) ? keys : PickCat(allowNone: false);
                Selector selector;
                if (mode == AggregateMode.AtMostOne)
                {
                    int r = _rng.Next(10);
                    if (r < 5)
                        selector = MakeSelect(keys, queries, Pick(new Func<Predicate>[]
                        {
                            () => Predicate.FromComparison(Comparison.EQ),
                            () => queries.Integral && keys.Integral ? ShiftEquals(keys, queries) : Predicate.FromComparison(Comparison.EQ),
                            () => FunctionalRelation(keys, queries),
                        })());
                    else if (r < 7)
                        selector = Rasp.SelectorAnd(MakeSelect(keys, queries, FunctionalRelation(keys, queries)), MakeSelect(keys, queries, RandomPredicate(keys, queries)));
                    else if (r < 8)
                        selector = Rasp.SelectorNot(MakeSelect(keys, queries, Predicate.FromComparison(Comparison.NEQ)));
                    else if (Comparable(keys, queries))
                        selector = Rasp.SelectorAnd(MakeSelect(keys, queries, Predicate.FromComparison(Comparison.LEQ)), MakeSelect(keys, queries, Predicate.FromComparison(Comparison.GEQ)));
                    else
                        selector = MakeSelect(keys, queries, Predicate.FromComparison(Comparison.EQ));
                }
                else
                {
                    int r = _rng.Next(10);
                    if (r < 7)
                        selector = MakeSelect(keys, queries, RandomPredicate(keys, queries));
                    else if (r < 9)
                    {
                        // Fused & / |; sometimes one side reads a Full, which fusion substitutes.
                        var full = _pool.Where(n => n.Cat && n.Expr is Full).ToList();
                        Select first = full.Count > 0 && Chance(0.3)
                            ? new Select(Pick(full).Expr, queries.Expr, Predicate.FromComparison(Chance(0.5) ? Comparison.EQ : Comparison.NEQ))
                            : MakeSelect(keys, queries, RandomPredicate(keys, queries));
                        var second = MakeSelect(keys, queries, RandomPredicate(keys, queries));
                        selector = Chance(0.5) ? Rasp.SelectorAnd(first, second) : Rasp.SelectorOr(first, second);
                    }
                    else
                        selector = Rasp.SelectorNot(MakeSelect(keys, queries, RandomPredicate(keys, queries)));
                }
                if (!(selector is Select select)) throw new InvalidOperationException("Generator bug: a selector combination did not fuse into one Select.");
                select = select.Named(NextName("s"));
                if (mode == AggregateMode.AtMostOne && !Functional(select, keys, queries)) throw new Infeasible("predicate not functional");
                return (select, keys, queries);
            }

            /// <summary>
            /// &amp;, | and ~ of two or three Selects over different keys and queries, nested (what Tracr crashes on):
            /// the compiler sums the parts' scores for conjunctions and lowers the rest to tuple keys.
            /// </summary>
            private Selector MakeComposite()
            {
                Selector Leaf()
                {
                    var keys = PickCat(allowNone: false);
                    var queries = Chance(0.3) ? keys : PickCat(allowNone: false);
                    Selector leaf = MakeSelect(keys, queries, RandomPredicate(keys, queries)).Named(NextName("s"));
                    return Chance(0.2) ? new SelectorNot(leaf) : leaf;
                }
                Selector Combine(Selector a, Selector b) => _rng.Next(3) switch
                {
                    0 => new SelectorOr(a, b),
                    _ => new SelectorAnd(a, b),
                };
                var result = Combine(Leaf(), Leaf());
                if (Chance(0.4)) result = Chance(0.5) ? Combine(result, Leaf()) : Combine(Leaf(), result);
                if (Chance(0.15)) result = new SelectorNot(result);
                return result.Named(NextName("c"));
            }

            /// <summary>A numerical S-op over a few values other than just 0 and 1 to average (Tracr refuses those means).</summary>
            private Node NonBinaryNumericalSource()
            {
                bool Small(Node n) => n.Num && !n.MayBeNone && n.Values.Count <= 4 && !ProgramAnalysis.IsBinary(n.Values);
                if (_pool.Any(Small) && Chance(0.4)) return PickNode(Small, "small numerical node");
                var c = PickCat(allowNone: false);
                var outputs = Pick(new[] { new Value[] { 0, 2.5 }, new Value[] { -1, 1 }, new Value[] { 0, 1, 3 }, new Value[] { 0.5, 2, -1 } });
                return AddMap(Table(c.Values, Enumerable.Range(0, c.Values.Count).Select(_ => Pick(outputs)).ToList()), c, true, false, false);
            }

            private static bool Functional(Select s, Node keys, Node queries) =>
                queries.Values.All(q => keys.Values.Count(k => s.Predicate.Invoke(k, q)) <= 1);

            /// <summary>A categorical Aggregate whose selected values are provably unique or equal (or, rarely, unchecked).</summary>
            private void AddCategoricalAggregate()
            {
                double r = _rng.NextDouble();
                var mode = r < 0.45 ? AggregateMode.AtMostOne : r < 0.9 ? AggregateMode.AllEqual : AggregateMode.Unchecked;
                if (mode == AggregateMode.AllEqual)
                {
                    // Select keys whose values agree on g, then move a function of g(key): every selected value is equal.
                    var keys = PickCat(allowNone: false);
                    var queries = Chance(0.5) ? keys : PickNode(n => n.Cat && !n.MayBeNone && Comparable(n, keys), "query node");
                    Predicate p;
                    Fn1 source;
                    Node? sourceNode = null;
                    if (Chance(0.5))
                    {
                        var domain = ProgramAnalysis.Distinct(keys.Values.Concat(queries.Values));
                        var g = Table(domain, SmallOutputs(0));
                        p = Predicate.FromFunction((k, q) => g.F(k) == g.F(q), $"g(k) == g(q) for g = x => {g.Text}");
                        source = Chance(0.5) ? g : new Fn1($"g(x) + 1 for g = x => {g.Text}", v => g.F(v) + 1);
                    }
                    else
                    {
                        p = Predicate.FromComparison(Comparison.EQ);
                        if (Chance(0.4))
                        {
                            source = new Fn1("x", v => v);
                            sourceNode = keys;
                        }
                        else source = CategoricalFunction(keys);
                    }
                    Selector sel = MakeSelect(keys, queries, p);
                    if (Chance(0.3)) sel = Rasp.SelectorAnd(sel, MakeSelect(keys, queries, RandomPredicate(keys, queries)));
                    var select = ((Select)sel).Named(NextName("s"));
                    // Narrowing by a composite over other S-ops keeps every selected value equal.
                    Selector aggregateSelector = Chance(0.25) ? new SelectorAnd(select, MakeComposite()) : select;
                    sourceNode ??= AddMap(source, keys, numerical: false, false, false);
                    foreach (var q in queries.Values)
                        if (ProgramAnalysis.Distinct(keys.Values.Where(k => select.Predicate.Invoke(k, q)).Select(source.F)).Count > 1)
                            throw new Infeasible("selected values can differ");
                    bool neverEmpty = ReferenceEquals(aggregateSelector, select) && ReferenceEquals(keys, queries) && keys.Values.All(v => select.Predicate.Invoke(v, v));
                    Add(new Aggregate(aggregateSelector, sourceNode.Expr), !neverEmpty, false);
                }
                else
                {
                    var (select, keys, queries) = MakeSelector(mode);
                    var source = PickCat(allowNone: true);
                    bool neverEmpty = ReferenceEquals(keys, queries) && keys.Values.All(v => select.Predicate.Invoke(v, v));
                    Add(new Aggregate(select, source.Expr), !neverEmpty || source.MayBeNone, false);
                }
            }

            /// <summary>A numerical S-op over {0, 1} (ints or bools) to average: from the pool, or a new indicator Map.</summary>
            private Node BinaryNumericalSource()
            {
                bool Binary(Node n) => n.Num && !n.MayBeNone && n.Integral && ProgramAnalysis.IsBinary(n.Values);
                if (_pool.Any(Binary) && Chance(0.5)) return PickNode(Binary, "binary node");
                if (Chance(0.3) && _pool.Any(n => n.Num && !n.MayBeNone && SuitableNumericalInput(n.Values)))
                {
                    var x = PickNumericalMapInput();
                    var sorted = x.Values.Select(v => v.AsDouble).OrderBy(d => d).ToArray();
                    int i = _rng.Next(Math.Max(1, sorted.Length - 1));
                    double t = sorted.Length == 1 ? sorted[0] - 0.5 : (sorted[i] + sorted[i + 1]) / 2;
                    return AddMap(new Fn1($"1 if x > {Value.FormatFloat(t)} else 0", v => v.AsDouble > t ? 1 : 0), x, true, false, false);
                }
                var c = PickCat(allowNone: false);
                var fn = c.Kind != VKind.Mixed && Chance(0.3) ? CompareWithConstant(c) : Indicator(c);
                return AddMap(fn, c, true, false, false);
            }

            // ---- deliberately invalid programs ---------------------------------------------------

            private (SOp, string) MakeDeliberatelyInvalid()
            {
                var tokens = Rasp.Tokens;
                var indices = Rasp.Indices;
                var numIndices = Rasp.Numerical(new Map(x => x, indices, false, "x")).Named("num_indices");
                switch (_rng.Next(8))
                {
                    case 0:
                    {
                        var src = Rasp.Numerical(new Map(x => x + 2, indices, false, "x + 2")).Named("numbers");
                        return (new Aggregate(Rasp.Select(indices, indices, Comparison.LEQ), src, Value.FromInt(0)).Named("bad_mean"),
                            "categorical Aggregate of a numerical S-op");
                    }
                    case 1:
                    {
                        var constant = new ConstantSelector(Enumerable.Range(0, _maxSeqLen).Select(q => Enumerable.Range(0, _maxSeqLen).Select(k => k <= q).ToArray()).ToArray(), checkLength: false);
                        return (new SelectorWidth(Rasp.SelectorAnd(Rasp.Select(tokens, tokens, Comparison.EQ), constant)).Named("bad_width"),
                            "SelectorWidth of a constant selector");
                    }
                    case 2:
                        return (new SelectorWidth(Rasp.Select(numIndices, indices, Comparison.EQ)).Named("bad_width"), "Select with numerical keys");
                    case 3:
                        return (new SequenceMap((x, y) => x + y, numIndices, indices, "x + y").Named("bad_seqmap"), "SequenceMap with a numerical input");
                    case 4:
                    {
                        var src = _pool.Where(n => n.Cat).Select(n => n.Expr).LastOrDefault() ?? tokens;
                        return (new Aggregate(Rasp.Select(indices, indices, Comparison.EQ), src, Value.FromInt(0)).Named("bad_default"),
                            "categorical Aggregate with default 0");
                    }
                    case 5:
                    {
                        var src = Rasp.Numerical(new Map(x => x == _vocab[0] ? 1 : 0, tokens, false, "1 if x == first token else 0")).Named("binary");
                        return (Rasp.Numerical(new Aggregate(Rasp.Select(indices, indices, Comparison.LEQ), src, Value.FromInt(1))).Named("bad_default"),
                            "numerical Aggregate with default 1");
                    }
                    case 6:
                        return (new LinearSequenceMap(indices, indices, 1, 1).Named("bad_linear"), "LinearSequenceMap of categorical S-ops");
                    default:
                    {
                        var constant = new ConstantSelector(Enumerable.Range(0, _maxSeqLen).Select(q => Enumerable.Range(0, _maxSeqLen).Select(k => k == q).ToArray()).ToArray(), checkLength: false);
                        return (new Aggregate(constant, tokens).Named("bad_aggregate"), "Aggregate of a constant selector");
                    }
                }
            }
        }
    }
}
