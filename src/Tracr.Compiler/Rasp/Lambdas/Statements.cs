using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Tracr.Lambdas
{
    /// <summary><c>{ statements }</c>.</summary>
    internal sealed class BlockStatement : LambdaStatement
    {
        public BlockStatement(params LambdaStatement[] statements) { Statements = statements?.ToArray() ?? Array.Empty<LambdaStatement>(); }
        public IReadOnlyList<LambdaStatement> Statements { get; }

        internal override Flow Execute(LambdaContext context)
        {
            foreach (var statement in Statements)
            {
                var flow = statement.Execute(context);
                if (flow != Flow.Normal) return flow;
            }
            return Flow.Normal;
        }

        protected override IEnumerable<object?> Fields() { yield return Statements; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append("{ ");
            foreach (var s in Statements) { s.Write(sb, names); sb.Append(' '); }
            sb.Append('}');
        }
    }

    /// <summary>An expression evaluated for its effect (an assignment, a call).</summary>
    internal sealed class ExpressionStatement : LambdaStatement
    {
        public ExpressionStatement(LambdaNode expression) { Expression = expression ?? throw new ArgumentNullException(nameof(expression)); }
        public LambdaNode Expression { get; }

        internal override Flow Execute(LambdaContext context)
        {
            context.Budget.Tick();
            Expression.Evaluate(context);
            return Flow.Normal;
        }

        protected override IEnumerable<object?> Fields() { yield return Expression; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            Expression.Write(sb, names);
            sb.Append(';');
        }
    }

    /// <summary><c>return value;</c></summary>
    internal sealed class ReturnStatement : LambdaStatement
    {
        public ReturnStatement(LambdaNode? value) { Value = value; }
        public LambdaNode? Value { get; }

        internal override Flow Execute(LambdaContext context)
        {
            context.ReturnValue = Value?.Evaluate(context);
            return Flow.Return;
        }

        protected override IEnumerable<object?> Fields() { yield return Value; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append("return");
            if (Value != null) { sb.Append(' '); Value.Write(sb, names); }
            sb.Append(';');
        }
    }

    /// <summary><c>if (condition) then else otherwise</c>.</summary>
    internal sealed class IfStatement : LambdaStatement
    {
        public IfStatement(LambdaNode condition, LambdaStatement then, LambdaStatement? otherwise)
        {
            Condition = condition ?? throw new ArgumentNullException(nameof(condition));
            Then = then ?? throw new ArgumentNullException(nameof(then));
            Otherwise = otherwise;
        }

        public LambdaNode Condition { get; }
        public LambdaStatement Then { get; }
        public LambdaStatement? Otherwise { get; }

        internal override Flow Execute(LambdaContext context)
        {
            context.Budget.Tick();
            if ((bool)Condition.Evaluate(context)!) return Then.Execute(context);
            return Otherwise?.Execute(context) ?? Flow.Normal;
        }

        protected override IEnumerable<object?> Fields() { yield return Condition; yield return Then; yield return Otherwise; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append("if (");
            Condition.Write(sb, names);
            sb.Append(") ");
            Then.Write(sb, names);
            if (Otherwise is null) return;
            sb.Append(" else ");
            Otherwise.Write(sb, names);
        }
    }

    /// <summary>
    /// <c>while</c>, <c>do</c> and <c>for</c> loops: the condition (before or after the body), the body, and the
    /// statements run at the bottom of each iteration (a for loop's increments, also after <c>continue</c>).
    /// </summary>
    internal sealed class LoopStatement : LambdaStatement
    {
        public LoopStatement(LambdaNode? condition, bool conditionFirst, LambdaStatement body, params LambdaStatement[] atBottom)
        {
            Condition = condition;
            ConditionFirst = conditionFirst;
            Body = body ?? throw new ArgumentNullException(nameof(body));
            AtBottom = atBottom?.ToArray() ?? Array.Empty<LambdaStatement>();
        }

        public LambdaNode? Condition { get; }
        public bool ConditionFirst { get; }
        public LambdaStatement Body { get; }
        public IReadOnlyList<LambdaStatement> AtBottom { get; }

        internal override Flow Execute(LambdaContext context)
        {
            bool first = true;
            while (true)
            {
                context.Budget.Tick();
                if ((ConditionFirst || !first) && Condition != null && !(bool)Condition.Evaluate(context)!) return Flow.Normal;
                first = false;
                var flow = Body.Execute(context);
                if (flow == Flow.Return) return flow;
                if (flow == Flow.Break) return Flow.Normal;
                foreach (var s in AtBottom) s.Execute(context);
            }
        }

        protected override IEnumerable<object?> Fields() { yield return Condition; yield return ConditionFirst; yield return Body; yield return AtBottom; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append(ConditionFirst ? "while (" : "do ");
            if (ConditionFirst) { if (Condition is null) sb.Append("true"); else Condition.Write(sb, names); sb.Append(") "); }
            Body.Write(sb, names);
            foreach (var s in AtBottom) { sb.Append(' '); s.Write(sb, names); }
            if (!ConditionFirst) { sb.Append(" while ("); if (Condition is null) sb.Append("true"); else Condition.Write(sb, names); sb.Append(");"); }
        }
    }

    /// <summary><c>foreach (var x in collection) body</c> over any enumerable (arrays, strings, lists, LINQ).</summary>
    internal sealed class ForEachStatement : LambdaStatement
    {
        public ForEachStatement(int slot, LambdaNode collection, LambdaStatement body)
        {
            Slot = slot;
            Collection = collection ?? throw new ArgumentNullException(nameof(collection));
            Body = body ?? throw new ArgumentNullException(nameof(body));
        }

        public int Slot { get; }
        public LambdaNode Collection { get; }
        public LambdaStatement Body { get; }

        internal override Flow Execute(LambdaContext context)
        {
            var items = (IEnumerable)(Collection.Evaluate(context) ?? throw new NullReferenceException("Object reference not set to an instance of an object (foreach over null)."));
            foreach (var item in items)
            {
                context.Budget.Tick();
                context.Slots[Slot] = item;
                var flow = Body.Execute(context);
                if (flow == Flow.Return) return flow;
                if (flow == Flow.Break) break;
            }
            return Flow.Normal;
        }

        protected override IEnumerable<object?> Fields() { yield return Slot; yield return Collection; yield return Body; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append("foreach (var ").Append(LambdaNode.Name(names, Slot)).Append(" in ");
            Collection.Write(sb, names);
            sb.Append(") ");
            Body.Write(sb, names);
        }
    }

    /// <summary><c>break;</c> or <c>continue;</c></summary>
    internal sealed class JumpStatement : LambdaStatement
    {
        public JumpStatement(bool isBreak) { IsBreak = isBreak; }
        public bool IsBreak { get; }
        internal override Flow Execute(LambdaContext context) => IsBreak ? Flow.Break : Flow.Continue;
        protected override IEnumerable<object?> Fields() { yield return IsBreak; }
        public override void Write(StringBuilder sb, IReadOnlyList<string> names) => sb.Append(IsBreak ? "break;" : "continue;");
    }

    /// <summary>
    /// A switch statement: the subject is stored in <see cref="Slot"/>, the first section whose test holds runs
    /// (a null test is <c>default</c>, tried last), and its <c>break</c> ends the switch.
    /// </summary>
    internal sealed class SwitchStatement : LambdaStatement
    {
        public SwitchStatement(int slot, LambdaNode subject, LambdaNode?[] tests, LambdaStatement[] sections)
        {
            Slot = slot;
            Subject = subject ?? throw new ArgumentNullException(nameof(subject));
            Tests = tests?.ToArray() ?? throw new ArgumentNullException(nameof(tests));
            Sections = sections?.ToArray() ?? throw new ArgumentNullException(nameof(sections));
            if (Tests.Count != Sections.Count) throw new ArgumentException("One test per section.", nameof(tests));
        }

        public int Slot { get; }
        public LambdaNode Subject { get; }
        public IReadOnlyList<LambdaNode?> Tests { get; }
        public IReadOnlyList<LambdaStatement> Sections { get; }

        internal override Flow Execute(LambdaContext context)
        {
            context.Budget.Tick();
            context.Slots[Slot] = Subject.Evaluate(context);
            int chosen = -1;
            for (int i = 0; i < Tests.Count && chosen < 0; i++)
                if (Tests[i] != null && (bool)Tests[i]!.Evaluate(context)!) chosen = i;
            if (chosen < 0) for (int i = 0; i < Tests.Count && chosen < 0; i++) if (Tests[i] is null) chosen = i;
            if (chosen < 0) return Flow.Normal;
            var flow = Sections[chosen].Execute(context);
            return flow == Flow.Break ? Flow.Normal : flow;
        }

        protected override IEnumerable<object?> Fields() { yield return Slot; yield return Subject; yield return Tests; yield return Sections; }

        public override void Write(StringBuilder sb, IReadOnlyList<string> names)
        {
            sb.Append("switch (");
            Subject.Write(sb, names);
            sb.Append(") { ");
            for (int i = 0; i < Tests.Count; i++)
            {
                if (Tests[i] is null) sb.Append("default");
                else { sb.Append("case when "); Tests[i]!.Write(sb, names); }
                sb.Append(": ");
                Sections[i].Write(sb, names);
                sb.Append(' ');
            }
            sb.Append('}');
        }
    }
}
