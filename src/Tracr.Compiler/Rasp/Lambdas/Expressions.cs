using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;

namespace Tracr.Lambdas
{
    /// <summary>A constant of a known CLR type (a number, char, bool, string, <see cref="Value"/> or null).</summary>
    internal sealed class ConstantNode : LambdaNode
    {
        public ConstantNode(object? value, TypeRef type)
        {
            Value = value;
            Type = type ?? throw new ArgumentNullException(nameof(type));
        }

        public ConstantNode(Value value) : this(value, TypeRef.Value) { }

        public object? Value { get; }
        public TypeRef Type { get; }
        internal override bool IsSimple => true;
        internal override object? Evaluate(LambdaContext context) => Value;

        protected override IEnumerable<object?> Fields()
        {
            yield return Type;
            // Distinguish what Equals would merge: 1 and 1.0 as Values, 0.0 and -0.0.
            yield return Value switch
            {
                Tracr.Value v => v.Kind + ":" + v.Repr(),
                double d => BitConverter.DoubleToInt64Bits(d),
                float f => BitConverter.DoubleToInt64Bits(f),
                _ => Value,
            };
        }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names) => sb.Append(Literal(Value));

        internal static string Literal(object? value) => value switch
        {
            null => "null",
            string s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"",
            char c => "'" + (c == '\'' ? "\\'" : c == '\\' ? "\\\\" : c.ToString()) + "'",
            bool b => b ? "true" : "false",
            Tracr.Value v => v.Kind == ValueKind.String ? Literal(v.AsString) : v.Kind == ValueKind.Bool ? Literal(v.AsBool) : v.IsNone ? "Value.None" : v.Repr(),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    /// <summary>A parameter or local variable of the lambda (or of the helper being run).</summary>
    internal sealed class LocalNode : LambdaNode
    {
        public LocalNode(int slot) { Slot = slot; }
        public int Slot { get; }
        internal override bool IsSimple => true;
        internal override object? Evaluate(LambdaContext context) => context.Slots[Slot];
        protected override IEnumerable<object?> Fields() { yield return Slot; }
        public override void Write(StringBuilder sb, IReadOnlyList<string> names) => sb.Append(Name(names, Slot));
    }

    /// <summary><c>local = value</c>; its value is the value assigned.</summary>
    internal sealed class AssignNode : LambdaNode
    {
        public AssignNode(int slot, LambdaNode value)
        {
            Slot = slot;
            Value = value ?? throw new ArgumentNullException(nameof(value));
        }

        public int Slot { get; }
        public LambdaNode Value { get; }

        internal override object? Evaluate(LambdaContext context)
        {
            context.Budget.Tick();
            return context.Slots[Slot] = Value.Evaluate(context);
        }

        protected override IEnumerable<object?> Fields() { yield return Slot; yield return Value; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append(Name(names, Slot)).Append(" = ");
            Value.Write(sb, names);
        }
    }

    /// <summary>Evaluates its items in order; its value is the last one's (assignments with a result, <c>i++</c>).</summary>
    internal sealed class SequenceNode : LambdaNode
    {
        public SequenceNode(params LambdaNode[] items)
        {
            if (items is null || items.Length == 0) throw new ArgumentException("A sequence needs an item.", nameof(items));
            Items = items.ToArray();
        }

        public IReadOnlyList<LambdaNode> Items { get; }

        internal override object? Evaluate(LambdaContext context)
        {
            object? last = null;
            foreach (var item in Items) last = item.Evaluate(context);
            return last;
        }

        protected override IEnumerable<object?> Fields() { yield return Items; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            // The last item is the value; the others are the hidden temporaries of i++ and friends.
            Items[Items.Count - 1].Write(sb, names);
        }
    }

    /// <summary>A binary operator: built-in (<see cref="CSharpSemantics"/>) on <see cref="OperandType"/>, or the user-defined <see cref="Operator"/> method (those of <see cref="Value"/>).</summary>
    internal sealed class BinaryNode : LambdaNode
    {
        public BinaryNode(LambdaOperator op, TypeRef operandType, bool isChecked, LambdaNode left, LambdaNode right, MemberRef? userOperator = null)
        {
            Op = op;
            OperandType = operandType ?? throw new ArgumentNullException(nameof(operandType));
            IsChecked = isChecked;
            Left = left ?? throw new ArgumentNullException(nameof(left));
            Right = right ?? throw new ArgumentNullException(nameof(right));
            Operator = userOperator;
        }

        public LambdaOperator Op { get; }
        public TypeRef OperandType { get; }
        public bool IsChecked { get; }
        public LambdaNode Left { get; }
        public LambdaNode Right { get; }
        public MemberRef? Operator { get; }

        internal override object? Evaluate(LambdaContext context)
        {
            context.Budget.Tick();
            var a = Left.Evaluate(context);
            if (Operator is null)
            {
                if (Op == LambdaOperator.ConditionalAnd && !(bool)a!) return false;
                if (Op == LambdaOperator.ConditionalOr && (bool)a!) return true;
                return CSharpSemantics.Binary(Op, OperandType.Name, IsChecked, a, Right.Evaluate(context));
            }
            // User-defined && and || (x && y is T.false(x) ? x : T.&(x, y)).
            if (Op == LambdaOperator.ConditionalAnd || Op == LambdaOperator.ConditionalOr)
            {
                bool decided = Op == LambdaOperator.ConditionalAnd ? !((Value)a!).IsTruthy : ((Value)a!).IsTruthy;
                if (decided) return a;
            }
            return BaseLibrary.Invoke(Operator, null, new[] { a, Right.Evaluate(context) }, context);
        }

        protected override IEnumerable<object?> Fields()
        {
            yield return Op; yield return OperandType; yield return IsChecked; yield return Left; yield return Right; yield return Operator;
        }

        internal static string Symbol(LambdaOperator op) => op switch
        {
            LambdaOperator.Add => "+",
            LambdaOperator.Subtract => "-",
            LambdaOperator.Multiply => "*",
            LambdaOperator.Divide => "/",
            LambdaOperator.Remainder => "%",
            LambdaOperator.LeftShift => "<<",
            LambdaOperator.RightShift => ">>",
            LambdaOperator.UnsignedRightShift => ">>>",
            LambdaOperator.And => "&",
            LambdaOperator.Or => "|",
            LambdaOperator.ExclusiveOr => "^",
            LambdaOperator.Equals => "==",
            LambdaOperator.NotEquals => "!=",
            LambdaOperator.LessThan => "<",
            LambdaOperator.LessThanOrEqual => "<=",
            LambdaOperator.GreaterThan => ">",
            LambdaOperator.GreaterThanOrEqual => ">=",
            LambdaOperator.ConditionalAnd => "&&",
            _ => "||",
        };

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            WriteOperand(sb, Left, names);
            sb.Append(' ').Append(Symbol(Op)).Append(' ');
            WriteOperand(sb, Right, names);
        }
    }

    /// <summary>A unary operator, built-in or user-defined (<see cref="Value"/>'s <c>-</c>, <c>!</c>, <c>true</c>).</summary>
    internal sealed class UnaryNode : LambdaNode
    {
        public UnaryNode(LambdaUnaryOperator op, TypeRef operandType, bool isChecked, LambdaNode operand, MemberRef? userOperator = null)
        {
            Op = op;
            OperandType = operandType ?? throw new ArgumentNullException(nameof(operandType));
            IsChecked = isChecked;
            Operand = operand ?? throw new ArgumentNullException(nameof(operand));
            Operator = userOperator;
        }

        public LambdaUnaryOperator Op { get; }
        public TypeRef OperandType { get; }
        public bool IsChecked { get; }
        public LambdaNode Operand { get; }
        public MemberRef? Operator { get; }
        internal override bool IsSimple => Op == LambdaUnaryOperator.True || Op == LambdaUnaryOperator.False ? Operand.IsSimple : false;

        internal override object? Evaluate(LambdaContext context)
        {
            context.Budget.Tick();
            var a = Operand.Evaluate(context);
            return Operator is null
                ? CSharpSemantics.Unary(Op, OperandType.Name, IsChecked, a)
                : BaseLibrary.Invoke(Operator, null, new[] { a }, context);
        }

        protected override IEnumerable<object?> Fields() { yield return Op; yield return OperandType; yield return IsChecked; yield return Operand; yield return Operator; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            if (Op == LambdaUnaryOperator.True || Op == LambdaUnaryOperator.False) { Operand.Write(sb, names); return; }
            sb.Append(Op switch { LambdaUnaryOperator.Minus => "-", LambdaUnaryOperator.Plus => "+", LambdaUnaryOperator.BitwiseNegation => "~", _ => "!" });
            WriteOperand(sb, Operand, names);
        }
    }

    /// <summary>
    /// A conversion as C# bound it: numeric (checked or not, <see cref="CSharpSemantics.Convert"/>), identity, boxing or
    /// reference (the value is kept), or user-defined (<see cref="Operator"/>, with C#'s standard conversion of the
    /// operand to the operator's parameter type before it and to the target type after it).
    /// </summary>
    internal sealed class ConvertNode : LambdaNode
    {
        public ConvertNode(TypeRef target, bool isChecked, bool isExplicit, LambdaNode operand, MemberRef? userOperator = null)
        {
            Target = target ?? throw new ArgumentNullException(nameof(target));
            IsChecked = isChecked;
            IsExplicit = isExplicit;
            Operand = operand ?? throw new ArgumentNullException(nameof(operand));
            Operator = userOperator;
        }

        public TypeRef Target { get; }
        public bool IsChecked { get; }
        public bool IsExplicit { get; }
        public LambdaNode Operand { get; }
        public MemberRef? Operator { get; }
        internal override bool IsSimple => !IsExplicit && Operand.IsSimple;

        internal override object? Evaluate(LambdaContext context)
        {
            var value = Operand.Evaluate(context);
            if (Operator is null) return CSharpSemantics.Convert(value, Target.Name, IsChecked);
            context.Budget.Tick();
            var parameter = Operator.ParameterTypes[0];
            var result = BaseLibrary.Invoke(Operator, null, new[] { CSharpSemantics.Convert(value, parameter.Name, IsChecked) }, context);
            return CSharpSemantics.Convert(result, Target.Name, IsChecked);
        }

        protected override IEnumerable<object?> Fields() { yield return Target; yield return IsChecked; yield return IsExplicit; yield return Operand; yield return Operator; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            if (!IsExplicit) { Operand.Write(sb, names); return; }
            sb.Append('(').Append(Target).Append(')');
            WriteOperand(sb, Operand, names);
        }
    }

    /// <summary><c>condition ? whenTrue : whenFalse</c> (only the chosen branch is evaluated).</summary>
    internal sealed class ConditionalNode : LambdaNode
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

        internal override object? Evaluate(LambdaContext context)
        {
            context.Budget.Tick();
            return (bool)Condition.Evaluate(context)! ? WhenTrue.Evaluate(context) : WhenFalse.Evaluate(context);
        }

        protected override IEnumerable<object?> Fields() { yield return Condition; yield return WhenTrue; yield return WhenFalse; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            WriteOperand(sb, Condition, names);
            sb.Append(" ? ");
            WriteOperand(sb, WhenTrue, names);
            sb.Append(" : ");
            WriteOperand(sb, WhenFalse, names);
        }
    }

    /// <summary><c>value ?? whenNull</c>.</summary>
    internal sealed class CoalesceNode : LambdaNode
    {
        public CoalesceNode(LambdaNode value, LambdaNode whenNull)
        {
            Value = value ?? throw new ArgumentNullException(nameof(value));
            WhenNull = whenNull ?? throw new ArgumentNullException(nameof(whenNull));
        }

        public LambdaNode Value { get; }
        public LambdaNode WhenNull { get; }
        internal override object? Evaluate(LambdaContext context) => Value.Evaluate(context) ?? WhenNull.Evaluate(context);
        protected override IEnumerable<object?> Fields() { yield return Value; yield return WhenNull; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            WriteOperand(sb, Value, names);
            sb.Append(" ?? ");
            WriteOperand(sb, WhenNull, names);
        }
    }

    /// <summary>A call of a base-library or <see cref="Tracr.Value"/> method, property getter or field (instance or static), by reflection.</summary>
    internal sealed class CallNode : LambdaNode
    {
        public CallNode(MemberRef member, LambdaNode? instance, params LambdaNode[] arguments)
            : this(member, instance, arguments, null)
        {
        }

        /// <param name="outSlots">For each argument, the slot an <c>out</c>/<c>ref</c> argument writes back to (-1: none).</param>
        public CallNode(MemberRef member, LambdaNode? instance, LambdaNode[] arguments, int[]? outSlots)
        {
            Member = member ?? throw new ArgumentNullException(nameof(member));
            Instance = instance;
            Arguments = arguments?.ToArray() ?? Array.Empty<LambdaNode>();
            OutSlots = outSlots?.ToArray() ?? Array.Empty<int>();
            var why = BaseLibrary.WhyNot(member.DeclaringType.IsArray ? "System.Array" : member.DeclaringType.Name, member.Name);
            if (why != null) throw new ArgumentException($"'{member}' cannot be called from a lambda: {why}", nameof(member));
        }

        public MemberRef Member { get; }
        public LambdaNode? Instance { get; }
        public IReadOnlyList<LambdaNode> Arguments { get; }
        public IReadOnlyList<int> OutSlots { get; }
        internal override bool IsSimple => true;

        internal override object? Evaluate(LambdaContext context)
        {
            context.Budget.Tick();
            var instance = Instance?.Evaluate(context);
            var args = new object?[Arguments.Count];
            for (int i = 0; i < args.Length; i++) args[i] = Arguments[i].Evaluate(context);
            var result = BaseLibrary.Invoke(Member, instance, args, context);
            for (int i = 0; i < OutSlots.Count; i++)
                if (OutSlots[i] >= 0) context.Slots[OutSlots[i]] = args[i];
            return result;
        }

        protected override IEnumerable<object?> Fields() { yield return Member; yield return Instance; yield return Arguments; yield return OutSlots; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            string name = Member.Name;
            bool getter = name.StartsWith("get_", StringComparison.Ordinal);
            if (Instance != null) { WriteOperand(sb, Instance, names); }
            else sb.Append(Member.Kind == MemberKind.Constructor ? "new " + Member.DeclaringType : Member.DeclaringType.ToString());
            if (getter && name == "get_Item")
            {
                sb.Append('[');
                WriteArguments(sb, names);
                sb.Append(']');
                return;
            }
            if (Member.Kind != MemberKind.Constructor) sb.Append('.').Append(getter ? name.Substring(4) : name);
            if (getter || Member.Kind == MemberKind.Field) return;
            sb.Append('(');
            WriteArguments(sb, names);
            sb.Append(')');
        }

        private void WriteArguments(StringBuilder sb, IReadOnlyList<string> names)
        {
            for (int i = 0; i < Arguments.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                Arguments[i].Write(sb, names);
            }
        }
    }

    /// <summary>
    /// <c>new T(args) { initializers }</c> for base-library types; the initializers (calls of <c>Add</c>, indexer
    /// sets) reach the new object through <see cref="ReceiverNode"/>.
    /// </summary>
    internal sealed class NewNode : LambdaNode
    {
        public NewNode(CallNode constructor, params LambdaNode[] initializers)
        {
            Constructor = constructor ?? throw new ArgumentNullException(nameof(constructor));
            Initializers = initializers?.ToArray() ?? Array.Empty<LambdaNode>();
        }

        public CallNode Constructor { get; }
        public IReadOnlyList<LambdaNode> Initializers { get; }
        internal override bool IsSimple => true;

        internal override object? Evaluate(LambdaContext context)
        {
            var created = Constructor.Evaluate(context);
            if (Initializers.Count == 0) return created;
            context.Receivers.Push(created);
            try
            {
                foreach (var init in Initializers) init.Evaluate(context);
            }
            finally
            {
                context.Receivers.Pop();
            }
            context.Budget.CountResult(created, Constructor.Member);
            return created;
        }

        protected override IEnumerable<object?> Fields() { yield return Constructor; yield return Initializers; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            Constructor.Write(sb, names);
            if (Initializers.Count == 0) return;
            sb.Append(" { ");
            for (int i = 0; i < Initializers.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                Initializers[i].Write(sb, names);
            }
            sb.Append(" }");
        }
    }

    /// <summary>The object an initializer is building.</summary>
    internal sealed class ReceiverNode : LambdaNode
    {
        internal override bool IsSimple => true;
        internal override object? Evaluate(LambdaContext context) => context.Receivers.Peek();
        protected override IEnumerable<object?> Fields() { yield break; }
        public override void Write(StringBuilder sb, IReadOnlyList<string> names) => sb.Append("this");
    }

    /// <summary>
    /// A new array, list, set or other collection with the given items (spread items are enumerated in):
    /// array creation, collection expressions, and collections a lambda captures (as constant data).
    /// </summary>
    internal sealed class CollectionNode : LambdaNode
    {
        public CollectionNode(TypeRef type, LambdaNode[] items, bool[]? spread = null)
        {
            Type = type ?? throw new ArgumentNullException(nameof(type));
            Items = items?.ToArray() ?? throw new ArgumentNullException(nameof(items));
            Spread = spread?.ToArray() ?? new bool[Items.Count];
        }

        public TypeRef Type { get; }
        public IReadOnlyList<LambdaNode> Items { get; }
        public IReadOnlyList<bool> Spread { get; }
        internal override bool IsSimple => true;

        internal override object? Evaluate(LambdaContext context)
        {
            context.Budget.Tick();
            var values = new List<object?>(Items.Count);
            for (int i = 0; i < Items.Count; i++)
            {
                var v = Items[i].Evaluate(context);
                if (Spread[i]) foreach (var x in (IEnumerable)v!) values.Add(x);
                else values.Add(v);
            }
            context.Budget.Allocate(values.Count, Type);
            var type = Type.Resolve();
            if (Type.IsArray || Type.Name == "System.ReadOnlySpan`1" || Type.Name == "System.Span`1" ||
                Type.Name == "System.Collections.Generic.IEnumerable`1" || Type.Name == "System.Collections.Generic.IReadOnlyList`1" ||
                Type.Name == "System.Collections.Generic.IReadOnlyCollection`1")
            {
                var element = Type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
                var array = Array.CreateInstance(element, values.Count);
                for (int i = 0; i < values.Count; i++) array.SetValue(values[i], i);
                return array;
            }
            if (Type.Name == "System.Collections.Generic.IList`1" || Type.Name == "System.Collections.Generic.ICollection`1")
                type = typeof(List<>).MakeGenericType(type.GetGenericArguments());
            var collection = Activator.CreateInstance(type)!;
            if (collection is IDictionary dictionary)
            {
                foreach (var pair in values)
                {
                    var t = pair!.GetType();
                    dictionary.Add(t.GetField("Item1")!.GetValue(pair)!, t.GetField("Item2")!.GetValue(pair));
                }
                return collection;
            }
            var add = type.GetMethod("Add", new[] { type.GetGenericArguments()[0] }) ?? throw new LambdaException($"'{Type}' has no Add method");
            foreach (var v in values) add.Invoke(collection, new[] { v });
            return collection;
        }

        protected override IEnumerable<object?> Fields() { yield return Type; yield return Items; yield return Spread; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append('[');
            for (int i = 0; i < Items.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                if (Spread[i]) sb.Append("..");
                Items[i].Write(sb, names);
            }
            sb.Append(']');
        }
    }

    /// <summary><c>new T[size]</c>: an array of default values.</summary>
    internal sealed class NewArrayNode : LambdaNode
    {
        public NewArrayNode(TypeRef element, LambdaNode size)
        {
            Element = element ?? throw new ArgumentNullException(nameof(element));
            Size = size ?? throw new ArgumentNullException(nameof(size));
        }

        public TypeRef Element { get; }
        public LambdaNode Size { get; }

        internal override object? Evaluate(LambdaContext context)
        {
            long n = System.Convert.ToInt64(Size.Evaluate(context), CultureInfo.InvariantCulture);
            if (n < 0) throw new OverflowException($"Arithmetic operation resulted in an overflow (array size {n}).");
            context.Budget.Allocate(n, "new " + Element + "[" + n + "]");
            return Array.CreateInstance(Element.Resolve(), (int)n);
        }

        protected override IEnumerable<object?> Fields() { yield return Element; yield return Size; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append("new ").Append(Element).Append('[');
            Size.Write(sb, names);
            sb.Append(']');
        }
    }

    /// <summary><c>array[index]</c>, or <c>array[index] = value</c> when <see cref="Value"/> is set.</summary>
    internal sealed class ElementNode : LambdaNode
    {
        public ElementNode(LambdaNode array, LambdaNode index, LambdaNode? value = null)
        {
            Array = array ?? throw new ArgumentNullException(nameof(array));
            Index = index ?? throw new ArgumentNullException(nameof(index));
            Value = value;
        }

        public LambdaNode Array { get; }
        public LambdaNode Index { get; }
        public LambdaNode? Value { get; }
        internal override bool IsSimple => Value is null;

        internal override object? Evaluate(LambdaContext context)
        {
            context.Budget.Tick();
            var array = (Array)(Array.Evaluate(context) ?? throw new NullReferenceException("Object reference not set to an instance of an object (an array is null)."));
            long index = System.Convert.ToInt64(Index.Evaluate(context), CultureInfo.InvariantCulture);
            if (index < 0 || index >= array.Length) throw new IndexOutOfRangeException($"Index {index} was outside the bounds of the array of {array.Length}.");
            if (Value is null) return array.GetValue(index);
            var v = Value.Evaluate(context);
            array.SetValue(v, index);
            return v;
        }

        protected override IEnumerable<object?> Fields() { yield return Array; yield return Index; yield return Value; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            WriteOperand(sb, Array, names);
            sb.Append('[');
            Index.Write(sb, names);
            sb.Append(']');
            if (Value is null) return;
            sb.Append(" = ");
            Value.Write(sb, names);
        }
    }

    /// <summary>A C# tuple <c>(a, b, ...)</c> as the <c>ValueTuple</c> it is.</summary>
    internal sealed class TupleNode : LambdaNode
    {
        public TupleNode(TypeRef type, params LambdaNode[] items)
        {
            Type = type ?? throw new ArgumentNullException(nameof(type));
            Items = items?.ToArray() ?? throw new ArgumentNullException(nameof(items));
        }

        public TypeRef Type { get; }
        public IReadOnlyList<LambdaNode> Items { get; }
        internal override bool IsSimple => true;

        internal override object? Evaluate(LambdaContext context)
        {
            var values = Items.Select(i => i.Evaluate(context)).ToArray();
            return Activator.CreateInstance(Type.Resolve(), values);
        }

        protected override IEnumerable<object?> Fields() { yield return Type; yield return Items; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append('(');
            for (int i = 0; i < Items.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                Items[i].Write(sb, names);
            }
            sb.Append(')');
        }
    }

    /// <summary><c>default(T)</c>: zero, false, null, or <see cref="Tracr.Value.None"/>.</summary>
    internal sealed class DefaultNode : LambdaNode
    {
        public DefaultNode(TypeRef type) { Type = type ?? throw new ArgumentNullException(nameof(type)); }
        public TypeRef Type { get; }
        internal override bool IsSimple => true;

        internal override object? Evaluate(LambdaContext context)
        {
            var t = Type.Resolve();
            return t.IsValueType ? Activator.CreateInstance(t) : null;
        }

        protected override IEnumerable<object?> Fields() { yield return Type; }
        public override void Write(StringBuilder sb, IReadOnlyList<string> names) => sb.Append("default(").Append(Type).Append(')');
    }

    /// <summary>A call of a helper method or local function (<see cref="LambdaFunction.Helpers"/>): a new frame, bounded depth.</summary>
    internal sealed class HelperCallNode : LambdaNode
    {
        public HelperCallNode(int helper, string name, params LambdaNode[] arguments)
        {
            Helper = helper;
            HelperName = name ?? throw new ArgumentNullException(nameof(name));
            Arguments = arguments?.ToArray() ?? Array.Empty<LambdaNode>();
        }

        public int Helper { get; }
        public string HelperName { get; }
        public IReadOnlyList<LambdaNode> Arguments { get; }
        internal override bool IsSimple => true;

        internal override object? Evaluate(LambdaContext context)
        {
            context.Budget.Tick();
            var helper = context.Function.Helpers[Helper];
            var slots = new object?[helper.SlotNames.Count];
            for (int i = 0; i < Arguments.Count; i++) slots[i] = Arguments[i].Evaluate(context);
            context.Budget.Enter(helper.Name);
            try
            {
                var inner = new LambdaContext(context.Function, slots, context.Budget);
                helper.Body.Execute(inner);
                return inner.ReturnValue;
            }
            finally
            {
                context.Budget.Depth--;
            }
        }

        protected override IEnumerable<object?> Fields() { yield return Helper; yield return HelperName; yield return Arguments; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append(HelperName).Append('(');
            for (int i = 0; i < Arguments.Count; i++)
            {
                if (i > 0) sb.Append(", ");
                Arguments[i].Write(sb, names);
            }
            sb.Append(')');
        }
    }

    /// <summary>
    /// A lambda inside a lambda (<c>xs.Count(c =&gt; c == x)</c>): a delegate of <see cref="DelegateType"/> whose
    /// parameters are slots of the enclosing frame, so it sees (and shares) the enclosing variables as C# closures do.
    /// </summary>
    internal sealed class NestedLambdaNode : LambdaNode
    {
        public NestedLambdaNode(TypeRef delegateType, int[] parameterSlots, LambdaStatement body)
        {
            DelegateType = delegateType ?? throw new ArgumentNullException(nameof(delegateType));
            ParameterSlots = parameterSlots?.ToArray() ?? throw new ArgumentNullException(nameof(parameterSlots));
            Body = body ?? throw new ArgumentNullException(nameof(body));
        }

        public TypeRef DelegateType { get; }
        public IReadOnlyList<int> ParameterSlots { get; }
        public LambdaStatement Body { get; }
        internal override bool IsSimple => true;

        internal override object? Evaluate(LambdaContext context)
        {
            var type = DelegateType.Resolve();
            Func<object?[], object?> call = args =>
            {
                context.Budget.Enter("a nested lambda");
                try
                {
                    for (int i = 0; i < args.Length; i++) context.Slots[ParameterSlots[i]] = args[i];
                    var inner = new LambdaContext(context.Function, context.Slots, context.Budget);
                    Body.Execute(inner);
                    return inner.ReturnValue;
                }
                finally
                {
                    context.Budget.Depth--;
                }
            };
            return DelegateFactory.Create(type, call);
        }

        protected override IEnumerable<object?> Fields() { yield return DelegateType; yield return ParameterSlots; yield return Body; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append(ParameterSlots.Count == 1 ? Name(names, ParameterSlots[0]) : "(" + string.Join(", ", ParameterSlots.Select(s => Name(names, s))) + ")").Append(" => ");
            LambdaFunction.WriteBody(sb, Body, names);
        }
    }

    /// <summary>Makes delegates of base-library delegate types (Func, Predicate, Comparison) that run a lambda tree.</summary>
    internal static class DelegateFactory
    {
        public static Delegate Create(Type type, Func<object?[], object?> call)
        {
            var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            string? factory =
                definition == typeof(Func<>) ? nameof(F0) :
                definition == typeof(Func<,>) ? nameof(F1) :
                definition == typeof(Func<,,>) ? nameof(F2) :
                definition == typeof(Func<,,,>) ? nameof(F3) :
                definition == typeof(Predicate<>) ? nameof(P1) :
                definition == typeof(Comparison<>) ? nameof(C2) : null;
            if (factory is null) throw new LambdaException($"a lambda cannot become a '{type.Name}' at build time (Func, Predicate and Comparison can)");
            var method = typeof(DelegateFactory).GetMethod(factory, BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type.GetGenericArguments());
            return (Delegate)method.Invoke(null, new object[] { call })!;
        }

        private static Func<R> F0<R>(Func<object?[], object?> f) => () => (R)f(Array.Empty<object?>())!;
        private static Func<A, R> F1<A, R>(Func<object?[], object?> f) => a => (R)f(new object?[] { a })!;
        private static Func<A, B, R> F2<A, B, R>(Func<object?[], object?> f) => (a, b) => (R)f(new object?[] { a, b })!;
        private static Func<A, B, C, R> F3<A, B, C, R>(Func<object?[], object?> f) => (a, b, c) => (R)f(new object?[] { a, b, c })!;
        private static Predicate<A> P1<A>(Func<object?[], object?> f) => a => (bool)f(new object?[] { a })!;
        private static Comparison<A> C2<A>(Func<object?[], object?> f) => (a, b) => (int)f(new object?[] { a, b })!;
    }

    /// <summary><c>value is T</c> for a base-library type (type and declaration patterns), optionally storing the value in a slot.</summary>
    internal sealed class IsTypeNode : LambdaNode
    {
        public IsTypeNode(LambdaNode value, TypeRef type, int slot = -1)
        {
            Value = value ?? throw new ArgumentNullException(nameof(value));
            Type = type ?? throw new ArgumentNullException(nameof(type));
            Slot = slot;
        }

        public LambdaNode Value { get; }
        public TypeRef Type { get; }
        public int Slot { get; }

        internal override object? Evaluate(LambdaContext context)
        {
            var v = Value.Evaluate(context);
            bool match = v != null && Type.Resolve().IsInstanceOfType(v);
            if (match && Slot >= 0) context.Slots[Slot] = v;
            return match;
        }

        protected override IEnumerable<object?> Fields() { yield return Value; yield return Type; yield return Slot; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            WriteOperand(sb, Value, names);
            sb.Append(" is ").Append(Type);
            if (Slot >= 0) sb.Append(' ').Append(Name(names, Slot));
        }
    }

    /// <summary>Throws the exception its operand creates (<c>throw new ArgumentException(...)</c>, a switch with no matching arm).</summary>
    internal sealed class ThrowNode : LambdaNode
    {
        public ThrowNode(LambdaNode exception) { Exception = exception ?? throw new ArgumentNullException(nameof(exception)); }
        public LambdaNode Exception { get; }
        internal override object? Evaluate(LambdaContext context) => throw (Exception)Exception.Evaluate(context)!;
        protected override IEnumerable<object?> Fields() { yield return Exception; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append("throw ");
            Exception.Write(sb, names);
        }
    }
}
