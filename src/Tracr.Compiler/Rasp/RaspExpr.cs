using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr
{
    /// <summary>How an S-op's values are laid out in the residual stream.</summary>
#if TRACR_PUBLIC_API
    public
#endif
    enum Encoding
    {
        /// <summary>One residual direction per possible value (one-hot).</summary>
        Categorical,

        /// <summary>A single residual direction holding the value as a number.</summary>
        Numerical,
    }

    /// <summary>
    /// A RASP expression: an S-op (a sequence of values) or a selector (an attention pattern).
    /// Expressions are immutable: <see cref="RaspExprExtensions.Named{T}"/>,
    /// <see cref="Rasp.Numerical{T}"/> and <see cref="Rasp.Categorical{T}"/> return annotated copies.
    /// </summary>
    abstract partial class RaspExpr
    {
        private string? _name;

        /// <summary>The expression's name: the one given with <c>Named</c>, or the default for its kind (e.g. <c>map</c>).</summary>
        public string Name => _name ?? DefaultName;

        /// <summary>
        /// The expression this one replaced when the compiler lowered the program (e.g. <c>length</c> into a
        /// SelectorWidth, or a parent rebuilt over a lowered child), so errors found on the lowered program can
        /// be traced back to what the user wrote. Null for expressions the user built.
        /// </summary>
        internal RaspExpr? LoweredFrom { get; set; }

        /// <summary>True when the user gave this expression a name.</summary>
        public bool HasExplicitName => _name != null;

        /// <summary>Tracr's default name for this kind of expression (<c>map</c>, <c>select</c>, ...).</summary>
        public abstract string DefaultName { get; }

        /// <summary>The expressions this one reads, in Tracr's order.</summary>
        public abstract IReadOnlyList<RaspExpr> Children { get; }

        /// <summary>
        /// <paramref name="root"/> and its descendants, each once, every expression after its children, walked with an
        /// explicit stack so that a program thousands of operations deep cannot overflow the thread's stack (a source
        /// generator runs on threads with 1 MB). An expression <paramref name="skip"/> accepts is neither yielded nor
        /// descended into; it is asked again when the walk reaches it, so a caller may settle expressions as it goes.
        /// </summary>
        internal static IEnumerable<RaspExpr> PostOrder(RaspExpr root, Func<RaspExpr, bool>? skip = null)
        {
            var yielded = new HashSet<RaspExpr>();
            var pending = new Stack<(RaspExpr Expr, bool ChildrenDone)>();
            pending.Push((root, false));
            while (pending.Count > 0)
            {
                var (expr, childrenDone) = pending.Pop();
                if (yielded.Contains(expr) || (skip != null && skip(expr))) continue;
                if (childrenDone)
                {
                    yielded.Add(expr);
                    yield return expr;
                    continue;
                }
                pending.Push((expr, true));
                foreach (var child in expr.Children) pending.Push((child, false));
            }
        }

        /// <summary>A copy with the same annotations and function reading <paramref name="children"/> instead (in <see cref="Children"/> order).</summary>
        internal RaspExpr WithChildren(IReadOnlyList<RaspExpr> children)
        {
            if (children.Count != Children.Count) throw new ArgumentException($"{GetType().Name} has {Children.Count} children, not {children.Count}.");
            var copy = (RaspExpr)MemberwiseClone();
            copy.SetChildren(children);
            return copy;
        }

        /// <summary>Replaces the children of a fresh copy (only <see cref="WithChildren"/> calls it).</summary>
        private protected virtual void SetChildren(IReadOnlyList<RaspExpr> children) { }

        internal RaspExpr WithName(string name)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A RASP expression name must be non-empty.", nameof(name));
            var copy = (RaspExpr)MemberwiseClone();
            copy._name = name;
            return copy;
        }

        // Reference identity: the graph of a program is a graph of expression instances.
        public sealed override bool Equals(object? obj) => ReferenceEquals(this, obj);

        public sealed override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

        public override string ToString() => Name;
    }

    /// <summary>Annotation helpers available on every expression.</summary>
    static partial class RaspExprExtensions
    {
        /// <summary>Returns a copy of <paramref name="expr"/> with the given name (Tracr's <c>.named()</c>).</summary>
        public static T Named<T>(this T expr, string name) where T : RaspExpr => (T)expr.WithName(name);
    }

    // SOp's == builds a Map (Tracr's `tokens == "a"`); object equality stays reference identity from RaspExpr.
#pragma warning disable CS0660, CS0661
    /// <summary>A sequence operation: maps an input sequence to a sequence of values of the same length.</summary>
    abstract partial class SOp : RaspExpr
    {
        /// <summary>The encoding of this S-op in the residual stream (categorical unless annotated).</summary>
        public Encoding Encoding { get; private set; } = Encoding.Categorical;

        public bool IsNumerical => Encoding == Encoding.Numerical;

        public bool IsCategorical => Encoding == Encoding.Categorical;

        internal SOp WithEncoding(Encoding encoding)
        {
            var copy = (SOp)MemberwiseClone();
            copy.Encoding = encoding;
            return copy;
        }

        // ---- Tracr's operator sugar: constants give a Map, S-ops give a SequenceMap. ----

        private static SOp Binary(SOp a, SOp b, Func<Value, Value, Value> f, string op) => new SequenceMap(f, a, b, "x " + op + " y");
        private static SOp Left(SOp a, Value c, Func<Value, Value> f, string text) => new Map(f, a, true, text);

        public static SOp operator +(SOp a, SOp b) => Binary(a, b, (x, y) => x + y, "+");
        public static SOp operator +(SOp a, Value c) => Left(a, c, x => x + c, "x + " + c.Repr());
        public static SOp operator +(Value c, SOp a) => Left(a, c, x => c + x, c.Repr() + " + x");
        public static SOp operator -(SOp a, SOp b) => Binary(a, b, (x, y) => x - y, "-");
        public static SOp operator -(SOp a, Value c) => Left(a, c, x => x - c, "x - " + c.Repr());
        public static SOp operator -(Value c, SOp a) => Left(a, c, x => c - x, c.Repr() + " - x");
        public static SOp operator *(SOp a, SOp b) => Binary(a, b, (x, y) => x * y, "*");
        public static SOp operator *(SOp a, Value c) => Left(a, c, x => x * c, "x * " + c.Repr());
        public static SOp operator *(Value c, SOp a) => Left(a, c, x => c * x, c.Repr() + " * x");
        public static SOp operator /(SOp a, SOp b) => Binary(a, b, (x, y) => x / y, "/");
        public static SOp operator /(SOp a, Value c) => Left(a, c, x => x / c, "x / " + c.Repr());
        public static SOp operator /(Value c, SOp a) => Left(a, c, x => c / x, c.Repr() + " / x");
        public static SOp operator -(SOp a) => new Map(x => -x, a, true, "-x");

        public static SOp operator <(SOp a, Value c) => Left(a, c, x => x < c, "x < " + c.Repr());
        public static SOp operator >(SOp a, Value c) => Left(a, c, x => x > c, "x > " + c.Repr());
        public static SOp operator <=(SOp a, Value c) => Left(a, c, x => x <= c, "x <= " + c.Repr());
        public static SOp operator >=(SOp a, Value c) => Left(a, c, x => x >= c, "x >= " + c.Repr());
        public static SOp operator ==(SOp a, Value c) => Left(a, c, x => x == c, "x == " + c.Repr());
        public static SOp operator !=(SOp a, Value c) => Left(a, c, x => x != c, "x != " + c.Repr());

        /// <summary>Python's <c>x and y</c> elementwise.</summary>
        public static SOp operator &(SOp a, SOp b) => Binary(a, b, Value.And, "and");
        public static SOp operator &(SOp a, Value c) => Left(a, c, x => Value.And(x, c), "x and " + c.Repr());
        public static SOp operator &(Value c, SOp a) => Left(a, c, x => Value.And(c, x), c.Repr() + " and x");

        /// <summary>Python's <c>x or y</c> elementwise.</summary>
        public static SOp operator |(SOp a, SOp b) => Binary(a, b, Value.Or, "or");
        public static SOp operator |(SOp a, Value c) => Left(a, c, x => Value.Or(x, c), "x or " + c.Repr());
        public static SOp operator |(Value c, SOp a) => Left(a, c, x => Value.Or(c, x), c.Repr() + " or x");

        /// <summary>Python's <c>not x</c> elementwise (Tracr's <c>~sop</c>).</summary>
        public static SOp operator ~(SOp a) => new Map(x => Value.Not(x), a, true, "not x");

        /// <summary>Python's <c>not x</c> elementwise.</summary>
        public static SOp operator !(SOp a) => ~a;
    }
#pragma warning restore CS0660, CS0661

    /// <summary>The input tokens.</summary>
    sealed partial class TokensType : SOp
    {
        internal TokensType() { }
        public override string DefaultName => "tokens";
        public override IReadOnlyList<RaspExpr> Children => Array.Empty<RaspExpr>();
    }

    /// <summary>The position of each token (0-based).</summary>
    sealed partial class IndicesType : SOp
    {
        internal IndicesType() { }
        public override string DefaultName => "indices";
        public override IReadOnlyList<RaspExpr> Children => Array.Empty<RaspExpr>();
    }

    /// <summary>The length of the input, at every position.</summary>
    sealed partial class LengthType : SOp
    {
        internal LengthType() { }
        public override string DefaultName => "length";
        public override IReadOnlyList<RaspExpr> Children => Array.Empty<RaspExpr>();
    }

    /// <summary>Applies a function to every element of an S-op.</summary>
    sealed partial class Map : SOp
    {
        public Map(Func<Value, Value> f, SOp inner, bool simplify = true, string? functionText = null)
        {
            if (f is null) throw new ArgumentNullException(nameof(f));
            if (inner is null) throw new ArgumentNullException(nameof(inner));
            Function = f;
            Inner = inner;
            FunctionText = functionText;
            if (simplify && inner is Map innerMap)
            {
                // Tracr combines nested Maps into one (and so one MLP). The functions are kept as a list applied in a
                // loop, not as nested closures, so a chain of many Maps cannot overflow the stack when it is called.
                _composition = new Composition(f, innerMap._composition ?? new Composition(innerMap.Function, null));
                Function = _composition.Apply;
                Inner = innerMap.Inner;
                // The text stays bounded, so a long chain costs neither quadratic time nor a huge doc comment.
                _textShortened = innerMap._textShortened || (functionText?.Length ?? 0) + (innerMap.FunctionText?.Length ?? 0) > MaxComposedText;
                FunctionText = functionText == null || innerMap.FunctionText == null ? null
                    : !_textShortened ? "(" + functionText + ") after (" + innerMap.FunctionText + ")"
                    : "(" + functionText + ") after " + (_composition.Count - 1).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " more functions";
            }
        }

        private const int MaxComposedText = 200;
        private readonly Composition? _composition;
        private readonly bool _textShortened;

        /// <summary>f after the functions of <c>inner</c>, innermost first.</summary>
        private sealed class Composition
        {
            private readonly Func<Value, Value> _outer;
            private readonly Composition? _inner;
            private Func<Value, Value>[]? _stages;

            public Composition(Func<Value, Value> outer, Composition? inner)
            {
                _outer = outer;
                _inner = inner;
                Count = 1 + (inner?.Count ?? 0);
            }

            public int Count { get; }

            public Value Apply(Value x)
            {
                // Flattened on first use (a benign race: two threads build equal arrays).
                var stages = _stages ??= Flatten();
                foreach (var stage in stages) x = stage(x);
                return x;
            }

            private Func<Value, Value>[] Flatten()
            {
                var stages = new Func<Value, Value>[Count];
                var c = this;
                for (int i = Count - 1; i >= 0; i--, c = c._inner!) stages[i] = c._outer;
                return stages;
            }
        }

        public Func<Value, Value> Function { get; }
        public SOp Inner { get; private set; }

        /// <summary>A readable form of the function (e.g. <c>x + 1</c>), when known.</summary>
        public string? FunctionText { get; }

        public override string DefaultName => "map";
        public override IReadOnlyList<RaspExpr> Children => new RaspExpr[] { Inner };
        private protected override void SetChildren(IReadOnlyList<RaspExpr> c) => Inner = (SOp)c[0];
    }

    /// <summary>Applies a function to the elements of two S-ops, position by position.</summary>
    partial class SequenceMap : SOp
    {
        public SequenceMap(Func<Value, Value, Value> f, SOp fst, SOp snd, string? functionText = null)
        {
            Function = f ?? throw new ArgumentNullException(nameof(f));
            Fst = fst ?? throw new ArgumentNullException(nameof(fst));
            Snd = snd ?? throw new ArgumentNullException(nameof(snd));
            FunctionText = functionText;
        }

        public Func<Value, Value, Value> Function { get; }
        public SOp Fst { get; private set; }
        public SOp Snd { get; private set; }
        public string? FunctionText { get; }

        public override string DefaultName => "sequence_map";
        public override IReadOnlyList<RaspExpr> Children => new RaspExpr[] { Fst, Snd };
        private protected override void SetChildren(IReadOnlyList<RaspExpr> c) { Fst = (SOp)c[0]; Snd = (SOp)c[1]; }
    }

    /// <summary><c>fstFactor * x + sndFactor * y</c> on two numerical S-ops (compiled without discretising).</summary>
    sealed partial class LinearSequenceMap : SequenceMap
    {
        public LinearSequenceMap(SOp fst, SOp snd, double fstFactor, double sndFactor)
            : base((x, y) => Value.FromFloat(fstFactor) * x + Value.FromFloat(sndFactor) * y, fst, snd,
                Value.FormatFloat(fstFactor) + " * x + " + Value.FormatFloat(sndFactor) + " * y")
        {
            FstFactor = fstFactor;
            SndFactor = sndFactor;
        }

        public double FstFactor { get; }
        public double SndFactor { get; }
        public override string DefaultName => "linear_sequence_map";
    }

    /// <summary>The same value at every position.</summary>
    sealed partial class Full : SOp
    {
        public Full(Value fill) { Fill = fill; }
        public Value Fill { get; }
        public override string DefaultName => "full";
        public override IReadOnlyList<RaspExpr> Children => Array.Empty<RaspExpr>();
    }

    /// <summary>A fixed sequence of values (for tests); with <c>checkLength</c> the input must have the same length.</summary>
    sealed partial class ConstantSOp : SOp
    {
        public ConstantSOp(IEnumerable<Value> values, bool checkLength = true)
        {
            Values = (values ?? throw new ArgumentNullException(nameof(values))).ToArray();
            CheckLength = checkLength;
        }

        public IReadOnlyList<Value> Values { get; }
        public bool CheckLength { get; }
        public override string DefaultName => "constant_sop";
        public override IReadOnlyList<RaspExpr> Children => Array.Empty<RaspExpr>();
    }

    /// <summary>Counts the selected keys of every query (the number of 1s in each row of the selector).</summary>
    sealed partial class SelectorWidth : SOp
    {
        public SelectorWidth(Selector selector) { Selector = selector ?? throw new ArgumentNullException(nameof(selector)); }
        public Selector Selector { get; private set; }
        public override string DefaultName => "selector_width";
        public override IReadOnlyList<RaspExpr> Children => new RaspExpr[] { Selector };
        private protected override void SetChildren(IReadOnlyList<RaspExpr> c) => Selector = (Selector)c[0];
    }

    /// <summary>
    /// Averages the selected values of <see cref="Source"/> for every query: numerically (a mean) or
    /// categorically (moving a single selected value); <see cref="Default"/> where nothing is selected.
    /// </summary>
    sealed partial class Aggregate : SOp
    {
        public Aggregate(Selector selector, SOp sop, Value @default = default)
        {
            Selector = selector ?? throw new ArgumentNullException(nameof(selector));
            Source = sop ?? throw new ArgumentNullException(nameof(sop));
            if (@default.Kind == ValueKind.Tuple)
                throw new ArgumentException("An aggregate default must be None, a number, a bool or a string.", nameof(@default));
            Default = @default;
        }

        public Selector Selector { get; private set; }

        /// <summary>The S-op whose values are aggregated (Tracr's <c>sop</c>).</summary>
        public SOp Source { get; private set; }

        public Value Default { get; }
        public override string DefaultName => "aggregate";
        public override IReadOnlyList<RaspExpr> Children => new RaspExpr[] { Selector, Source };
        private protected override void SetChildren(IReadOnlyList<RaspExpr> c) { Selector = (Selector)c[0]; Source = (SOp)c[1]; }
    }

    // ---- Selectors -----------------------------------------------------------------------------

    /// <summary>A selector: for every query position, the set of key positions it attends to.</summary>
    abstract partial class Selector : RaspExpr
    {
        public static Selector operator &(Selector a, Selector b) => Rasp.SelectorAnd(a, b);
        public static Selector operator |(Selector a, Selector b) => Rasp.SelectorOr(a, b);
        public static Selector operator ~(Selector a) => Rasp.SelectorNot(a);
        public static Selector operator !(Selector a) => Rasp.SelectorNot(a);
    }

    /// <summary>The comparisons Tracr offers for <c>Select</c>; each is called as <c>predicate(key, query)</c>.</summary>
#if TRACR_PUBLIC_API
    public
#endif
    enum Comparison
    {
        EQ,
        LT,
        LEQ,
        GT,
        GEQ,
        NEQ,
        TRUE,
        FALSE,
    }

    /// <summary>A selector predicate <c>(key, query) =&gt; bool</c>: a <see cref="Comparison"/> or a custom function.</summary>
    sealed partial class Predicate
    {
        private readonly Func<Value, Value, bool> _fn;

        private Predicate(Func<Value, Value, bool> fn, Comparison? comparison, string text)
        {
            _fn = fn;
            Comparison = comparison;
            Text = text;
        }

        /// <summary>The comparison, when this predicate is one of Tracr's built-in comparisons.</summary>
        public Comparison? Comparison { get; }

        /// <summary>A readable form, e.g. <c>EQ</c> or <c>custom</c>.</summary>
        public string Text { get; }

        public static Predicate FromComparison(Comparison c)
        {
            Func<Value, Value, bool> f = c switch
            {
                Tracr.Comparison.EQ => (k, q) => k == q,
                Tracr.Comparison.LT => (k, q) => k < q,
                Tracr.Comparison.LEQ => (k, q) => k <= q,
                Tracr.Comparison.GT => (k, q) => k > q,
                Tracr.Comparison.GEQ => (k, q) => k >= q,
                Tracr.Comparison.NEQ => (k, q) => k != q,
                Tracr.Comparison.TRUE => (k, q) => true,
                Tracr.Comparison.FALSE => (k, q) => false,
                _ => throw new ArgumentOutOfRangeException(nameof(c)),
            };
            return new Predicate((k, q) =>
            {
                // Tracr's comparisons refuse None operands.
                if (k.IsNone) throw new InvalidOperationException("key is None!");
                if (q.IsNone) throw new InvalidOperationException("query is None!");
                return f(k, q);
            }, c, c.ToString());
        }

        public static Predicate FromFunction(Func<Value, Value, bool> fn, string? text = null) =>
            new Predicate(fn ?? throw new ArgumentNullException(nameof(fn)), null, text ?? "custom");

        /// <summary>Applies the predicate to a key and a query.</summary>
        public bool Invoke(Value key, Value query) => _fn(key, query);

        public override string ToString() => Text;
    }

    /// <summary>The primitive selector: query position q attends to key position k when <c>predicate(keys[k], queries[q])</c>.</summary>
    sealed partial class Select : Selector
    {
        public Select(SOp keys, SOp queries, Predicate predicate)
        {
            Keys = keys ?? throw new ArgumentNullException(nameof(keys));
            Queries = queries ?? throw new ArgumentNullException(nameof(queries));
            Predicate = predicate ?? throw new ArgumentNullException(nameof(predicate));
        }

        public SOp Keys { get; private set; }
        public SOp Queries { get; private set; }
        public Predicate Predicate { get; }
        public override string DefaultName => "select";
        public override IReadOnlyList<RaspExpr> Children => new RaspExpr[] { Keys, Queries };
        private protected override void SetChildren(IReadOnlyList<RaspExpr> c) { Keys = (SOp)c[0]; Queries = (SOp)c[1]; }
    }

    /// <summary>A fixed selector matrix (rows are queries), for tests.</summary>
    sealed partial class ConstantSelector : Selector
    {
        public ConstantSelector(bool[][] value, bool checkLength = true)
        {
            Value = value ?? throw new ArgumentNullException(nameof(value));
            CheckLength = checkLength;
        }

        public bool[][] Value { get; }
        public bool CheckLength { get; }
        public override string DefaultName => "constant_selector";
        public override IReadOnlyList<RaspExpr> Children => Array.Empty<RaspExpr>();
    }

    /// <summary>Elementwise and of two selectors.</summary>
    sealed partial class SelectorAnd : Selector
    {
        public SelectorAnd(Selector fst, Selector snd)
        {
            Fst = fst ?? throw new ArgumentNullException(nameof(fst));
            Snd = snd ?? throw new ArgumentNullException(nameof(snd));
        }

        public Selector Fst { get; private set; }
        public Selector Snd { get; private set; }
        public override string DefaultName => "selector_and";
        public override IReadOnlyList<RaspExpr> Children => new RaspExpr[] { Fst, Snd };
        private protected override void SetChildren(IReadOnlyList<RaspExpr> c) { Fst = (Selector)c[0]; Snd = (Selector)c[1]; }
    }

    /// <summary>Elementwise or of two selectors.</summary>
    sealed partial class SelectorOr : Selector
    {
        public SelectorOr(Selector fst, Selector snd)
        {
            Fst = fst ?? throw new ArgumentNullException(nameof(fst));
            Snd = snd ?? throw new ArgumentNullException(nameof(snd));
        }

        public Selector Fst { get; private set; }
        public Selector Snd { get; private set; }
        public override string DefaultName => "selector_or";
        public override IReadOnlyList<RaspExpr> Children => new RaspExpr[] { Fst, Snd };
        private protected override void SetChildren(IReadOnlyList<RaspExpr> c) { Fst = (Selector)c[0]; Snd = (Selector)c[1]; }
    }

    /// <summary>Elementwise not of a selector.</summary>
    sealed partial class SelectorNot : Selector
    {
        public SelectorNot(Selector inner) { Inner = inner ?? throw new ArgumentNullException(nameof(inner)); }
        public Selector Inner { get; private set; }
        public override string DefaultName => "selector_not";
        public override IReadOnlyList<RaspExpr> Children => new RaspExpr[] { Inner };
        private protected override void SetChildren(IReadOnlyList<RaspExpr> c) => Inner = (Selector)c[0];
    }
}
