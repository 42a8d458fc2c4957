using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Tracr.Lambdas
{
    /// <summary>
    /// Lambdas as data: the functions of Map, SequenceMap and Select as a small, immutable, structurally
    /// equatable tree (the generator's incremental pipeline compares them), which basis inference runs over value
    /// sets exactly as Tracr calls the Python lambda. The tree records what the C# compiler bound: each operator's
    /// operand type and checked-ness, each conversion, each base-library member. It evaluates with real CLR values
    /// (int, char, double, string, arrays, List, ...) and calls the base library by reflection, so a lambda means
    /// exactly what the same C# means when it runs (<see cref="CSharpSemantics"/>, <see cref="BaseLibrary"/>).
    /// Bodies may hold statements, and call helper methods and local functions (<see cref="Helpers"/>), recursion included.
    /// </summary>
    internal sealed class LambdaFunction : IEquatable<LambdaFunction>
    {
        /// <param name="parameterNames">The lambda's parameters: slots 0..n-1.</param>
        /// <param name="slotNames">Names of all variable slots (parameters first, then locals), for display.</param>
        /// <param name="body">The body; it returns the lambda's result.</param>
        /// <param name="helpers">Helper methods and local functions the body calls, by index.</param>
        public LambdaFunction(IReadOnlyList<string> parameterNames, IReadOnlyList<string> slotNames, LambdaStatement body, IReadOnlyList<LambdaHelper>? helpers = null)
        {
            ParameterNames = parameterNames?.ToArray() ?? throw new ArgumentNullException(nameof(parameterNames));
            SlotNames = slotNames?.ToArray() ?? throw new ArgumentNullException(nameof(slotNames));
            if (SlotNames.Count < ParameterNames.Count) throw new ArgumentException("Every parameter needs a slot.", nameof(slotNames));
            Body = body ?? throw new ArgumentNullException(nameof(body));
            Helpers = helpers?.ToArray() ?? Array.Empty<LambdaHelper>();
        }

        /// <summary>An expression lambda: <c>(parameters) =&gt; body</c>.</summary>
        public LambdaFunction(IReadOnlyList<string> parameterNames, LambdaNode body)
            : this(parameterNames, parameterNames, new ReturnStatement(body ?? throw new ArgumentNullException(nameof(body))))
        {
        }

        public IReadOnlyList<string> ParameterNames { get; }
        public IReadOnlyList<string> SlotNames { get; }
        public LambdaStatement Body { get; }
        public IReadOnlyList<LambdaHelper> Helpers { get; }
        public int Arity => ParameterNames.Count;

        /// <summary>Calls the lambda with CLR arguments (a <see cref="Value"/> for each parameter of a RASP lambda).</summary>
        public object? Invoke(params object?[] args)
        {
            if (args.Length != Arity) throw new ArgumentException($"The lambda takes {Arity} argument(s), not {args.Length}.");
            var slots = new object?[SlotNames.Count];
            Array.Copy(args, slots, args.Length);
            return InvokeWithSlots(slots);
        }

        /// <summary>Runs the body on the given variable slots (the build-time interpreter passes a method's variables this way and reads them back).</summary>
        internal object? InvokeWithSlots(object?[] slots)
        {
            var context = new LambdaContext(this, slots, new LambdaBudget());
            using (InvariantCulture.Enter())
            {
                Body.Execute(context);
                return context.ReturnValue;
            }
        }

        /// <summary>For <c>Map</c>.</summary>
        public Func<Value, Value> ToFunc1() =>
            Arity == 1 ? x => AsValue(Invoke(x)) : throw new InvalidOperationException($"The lambda takes {Arity} arguments, not 1.");

        /// <summary>For <c>SequenceMap</c>.</summary>
        public Func<Value, Value, Value> ToFunc2() =>
            Arity == 2 ? (x, y) => AsValue(Invoke(x, y)) : throw new InvalidOperationException($"The lambda takes {Arity} arguments, not 2.");

        /// <summary>For a <c>Select</c> predicate <c>(key, query) =&gt; bool</c>.</summary>
        public Func<Value, Value, bool> ToPredicate() =>
            Arity == 2 ? (k, q) => Invoke(k, q) is var r && r is bool b ? b : AsValue(r).IsTruthy : throw new InvalidOperationException($"The predicate takes {Arity} arguments, not 2.");

        private static Value AsValue(object? result) => result is Value v ? v : Value.From(result);

        public override string ToString()
        {
            var sb = new StringBuilder();
            sb.Append(Arity == 1 ? ParameterNames[0] : "(" + string.Join(", ", ParameterNames) + ")").Append(" => ");
            WriteBody(sb, Body, SlotNames);
            return sb.ToString();
        }

        /// <summary>An expression body as the expression (<c>x =&gt; x + 1</c>), a statement body as a block.</summary>
        internal static void WriteBody(StringBuilder sb, LambdaStatement body, IReadOnlyList<string> names)
        {
            var single = body is BlockStatement { Statements.Count: 1 } block ? block.Statements[0] : body;
            if (single is ReturnStatement ret && ret.Value != null) ret.Value.Write(sb, names);
            else body.Write(sb, names);
        }

        public bool Equals(LambdaFunction? other) =>
            other is not null && ParameterNames.SequenceEqual(other.ParameterNames, StringComparer.Ordinal) &&
            SlotNames.SequenceEqual(other.SlotNames, StringComparer.Ordinal) && Body.Equals(other.Body) && Helpers.SequenceEqual(other.Helpers);

        public override bool Equals(object? obj) => obj is LambdaFunction f && Equals(f);

        public override int GetHashCode() => unchecked(Body.GetHashCode() * 31 + Arity);
    }

    /// <summary>A helper method or local function a lambda calls (<see cref="HelperCallNode"/>): its own slots, its own body.</summary>
    internal sealed class LambdaHelper : IEquatable<LambdaHelper>
    {
        public LambdaHelper(string name, int parameterCount, IReadOnlyList<string> slotNames, LambdaStatement body)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            ParameterCount = parameterCount;
            SlotNames = slotNames?.ToArray() ?? throw new ArgumentNullException(nameof(slotNames));
            Body = body ?? throw new ArgumentNullException(nameof(body));
        }

        public string Name { get; }
        public int ParameterCount { get; }
        public IReadOnlyList<string> SlotNames { get; }
        public LambdaStatement Body { get; }

        public bool Equals(LambdaHelper? other) =>
            other is not null && Name == other.Name && ParameterCount == other.ParameterCount &&
            SlotNames.SequenceEqual(other.SlotNames, StringComparer.Ordinal) && Body.Equals(other.Body);

        public override bool Equals(object? obj) => obj is LambdaHelper h && Equals(h);

        public override int GetHashCode() => unchecked(StringComparer.Ordinal.GetHashCode(Name) * 31 + Body.GetHashCode());
    }

    /// <summary>Structural identity for lambda trees: kind and fields, recursively.</summary>
    internal abstract class LambdaTree : IEquatable<LambdaTree>
    {
        /// <summary>The fields that make two nodes equal.</summary>
        protected abstract IEnumerable<object?> Fields();

        /// <summary>C#-like text, used in docs, remarks and error messages.</summary>
        public abstract void Write(StringBuilder sb, IReadOnlyList<string> slotNames);

        public bool Equals(LambdaTree? other) =>
            other is not null && other.GetType() == GetType() && Fields().SequenceEqual(other.Fields(), FieldComparer.Instance);

        public override bool Equals(object? obj) => obj is LambdaTree n && Equals(n);

        public override int GetHashCode()
        {
            int h = GetType().Name.GetHashCode();
            foreach (var f in Fields()) h = unchecked(h * 31 + FieldComparer.Instance.GetHashCode(f));
            return h;
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            Write(sb, Array.Empty<string>());
            return sb.ToString();
        }

        /// <summary>Fields compare by value; arrays of fields element-wise.</summary>
        private sealed class FieldComparer : IEqualityComparer<object?>
        {
            public static readonly FieldComparer Instance = new FieldComparer();

            public new bool Equals(object? x, object? y)
            {
                if (x is System.Collections.IList a && y is System.Collections.IList b && !(x is string))
                {
                    if (a.Count != b.Count) return false;
                    for (int i = 0; i < a.Count; i++) if (!Equals(a[i], b[i])) return false;
                    return true;
                }
                return object.Equals(x, y);
            }

            public int GetHashCode(object? o)
            {
                if (o is System.Collections.IList list && !(o is string))
                {
                    int h = 17;
                    foreach (var item in list) h = unchecked(h * 31 + GetHashCode(item));
                    return h;
                }
                return o?.GetHashCode() ?? 0;
            }
        }
    }

    /// <summary>An expression of a lambda body.</summary>
    internal abstract class LambdaNode : LambdaTree
    {
        /// <summary>Evaluates the expression to a CLR value of the type C# gave it.</summary>
        internal abstract object? Evaluate(LambdaContext context);

        /// <summary>Written without parentheses when an operand (a name, a constant, a call).</summary>
        internal virtual bool IsSimple => false;

        internal static void WriteOperand(StringBuilder sb, LambdaNode node, IReadOnlyList<string> names)
        {
            bool simple = node.IsSimple;
            if (!simple) sb.Append('(');
            node.Write(sb, names);
            if (!simple) sb.Append(')');
        }

        internal static string Name(IReadOnlyList<string> names, int slot) => slot < names.Count ? names[slot] : "$" + slot;
    }

    /// <summary>How a statement ends: normally, or by return, break or continue.</summary>
    internal enum Flow
    {
        Normal,
        Return,
        Break,
        Continue,
    }

    /// <summary>A statement of a lambda body.</summary>
    internal abstract class LambdaStatement : LambdaTree
    {
        internal abstract Flow Execute(LambdaContext context);
    }
}
