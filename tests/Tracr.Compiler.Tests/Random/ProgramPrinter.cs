using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Tracr.Tests.RandomPrograms
{
    /// <summary>
    /// Prints a RASP expression DAG as numbered let-bindings, inputs first, so a failing random
    /// program can be read (and retyped as C#) from a test failure message:
    /// <code>
    /// v0 = indices
    /// v1 = map(x + 1, v0)                                  categorical  'n1'
    /// v2 = select(keys=v0, queries=v1, EQ)
    /// v3 = aggregate(v2, tokens, default=None)             categorical  'n2'
    /// </code>
    /// Shared sub-expressions are printed once.
    /// </summary>
    internal static class ProgramPrinter
    {
        /// <summary>Every expression of the DAG rooted at <paramref name="root"/>, children before parents.</summary>
        public static List<RaspExpr> Nodes(RaspExpr root)
        {
            var order = new List<RaspExpr>();
            var seen = new HashSet<RaspExpr>();
            void Visit(RaspExpr e)
            {
                if (!seen.Add(e)) return;
                foreach (var c in e.Children) Visit(c);
                order.Add(e);
            }
            Visit(root);
            return order;
        }

        public static string Print(RaspExpr root)
        {
            var ids = new Dictionary<RaspExpr, string>();
            var sb = new StringBuilder();
            int next = 0;
            foreach (var e in Nodes(root))
            {
                string id;
                if (e is TokensType && !e.HasExplicitName && !(e is SOp { IsNumerical: true })) id = "tokens";
                else if (e is IndicesType && !e.HasExplicitName && !(e is SOp { IsNumerical: true })) id = "indices";
                else
                {
                    id = "v" + next++;
                    string line = id + " = " + Describe(e, ids);
                    if (e is SOp sop)
                        line = line.PadRight(60) + "  " + (sop.IsNumerical ? "numerical" : "categorical") + (e.HasExplicitName ? "  '" + e.Name + "'" : "");
                    sb.AppendLine(line);
                }
                ids[e] = id;
            }
            sb.Append("output: ").Append(ids[root]);
            return sb.ToString();
        }

        private static string Describe(RaspExpr e, Dictionary<RaspExpr, string> ids)
        {
            string R(RaspExpr x) => ids[x];
            switch (e)
            {
                case TokensType _: return "tokens";
                case IndicesType _: return "indices";
                case LengthType _: return "length";
                case Map m: return $"map({m.FunctionText ?? "<fn>"}, {R(m.Inner)})";
                case LinearSequenceMap l:
                    return $"linear_sequence_map({R(l.Fst)}, {R(l.Snd)}, {Value.FormatFloat(l.FstFactor)}, {Value.FormatFloat(l.SndFactor)})";
                case SequenceMap s: return $"sequence_map({s.FunctionText ?? "<fn>"}, {R(s.Fst)}, {R(s.Snd)})";
                case Full f: return $"full({f.Fill.Repr()})";
                case ConstantSOp c: return $"constant([{string.Join(", ", c.Values.Select(v => v.Repr()))}])";
                case SelectorWidth w: return $"selector_width({R(w.Selector)})";
                case Aggregate a: return $"aggregate({R(a.Selector)}, {R(a.Source)}, default={a.Default.Repr()})";
                case Select s: return $"select(keys={R(s.Keys)}, queries={R(s.Queries)}, {s.Predicate.Text})";
                case SelectorAnd a: return $"{R(a.Fst)} & {R(a.Snd)}";
                case SelectorOr o: return $"{R(o.Fst)} | {R(o.Snd)}";
                case SelectorNot n: return $"~{R(n.Inner)}";
                case ConstantSelector _: return "constant_selector(...)";
                default: return e.GetType().Name;
            }
        }

        /// <summary>Python-like rendering of a list of values: <c>[1, 'a', True]</c>.</summary>
        public static string List(IEnumerable<Value> values) => "[" + string.Join(", ", values.Select(v => v.Repr())) + "]";
    }
}
