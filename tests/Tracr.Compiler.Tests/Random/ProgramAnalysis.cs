using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Tests.RandomPrograms
{
    /// <summary>
    /// An independent, test-side model of what the compiler must accept: value-set inference with
    /// Tracr's rules (the image of a function over its inputs' value sets) and the list of Tracr's
    /// compilation rules a program breaks. The generator uses it to build programs that must
    /// compile; the differential check uses it to judge whether a refusal was legitimate.
    /// </summary>
    /// <remarks>
    /// Value sets here may be supersets of the compiler's (e.g. <c>length</c> gets 0..max_seq_len),
    /// which is what the generator needs: functions must be total, and robust, on every value the
    /// compiler could evaluate them at.
    /// </remarks>
    internal sealed class ProgramAnalysis
    {
        private readonly IReadOnlyList<Value> _vocab;
        private readonly int _maxSeqLen;
        private readonly Dictionary<RaspExpr, IReadOnlyList<Value>> _sets = new Dictionary<RaspExpr, IReadOnlyList<Value>>();

        public ProgramAnalysis(IReadOnlyList<Value> vocab, int maxSeqLen)
        {
            _vocab = vocab;
            _maxSeqLen = maxSeqLen;
        }

        /// <summary>Distinct values (Python equality: 1 == 1.0 == True) in first-seen order.</summary>
        public static List<Value> Distinct(IEnumerable<Value> values)
        {
            var seen = new HashSet<Value>();
            var list = new List<Value>();
            foreach (var v in values)
                if (seen.Add(v)) list.Add(v);
            return list;
        }

        /// <summary>
        /// The values <paramref name="sop"/> can take. Throws when a function fails on a value of its
        /// input's value set (the compiler evaluates it there too).
        /// </summary>
        public IReadOnlyList<Value> ValueSet(SOp sop)
        {
            if (_sets.TryGetValue(sop, out var cached)) return cached;
            IReadOnlyList<Value> result;
            switch (sop)
            {
                case TokensType _:
                    result = Distinct(_vocab);
                    break;
                case IndicesType _:
                    result = Enumerable.Range(0, _maxSeqLen).Select(i => Value.FromInt(i)).ToList();
                    break;
                case LengthType _:
                case SelectorWidth _:
                    result = Enumerable.Range(0, _maxSeqLen + 1).Select(i => Value.FromInt(i)).ToList();
                    break;
                case Map m:
                    result = Distinct(ValueSet(m.Inner).Select(m.Function));
                    break;
                case SequenceMap s:
                {
                    // Like basis inference: the whole product, even when both inputs are the same S-op.
                    var a = ValueSet(s.Fst);
                    var b = ValueSet(s.Snd);
                    result = Distinct(a.SelectMany(x => b.Select(y => s.Function(x, y))));
                    break;
                }
                case Full f:
                    result = new[] { f.Fill };
                    break;
                case ConstantSOp c:
                    result = Distinct(c.Values);
                    break;
                case Aggregate a when a.IsCategorical:
                    result = ValueSet(a.Source);
                    break;
                case Aggregate a:
                    result = IsBinary(ValueSet(a.Source)) ? Fractions(_maxSeqLen) : Means(ValueSet(a.Source), _maxSeqLen);
                    break;
                default:
                    throw new NotSupportedException($"No value set rule for {sop.GetType().Name}.");
            }
            _sets[sop] = result;
            return result;
        }

        /// <summary>Every mean of at most <paramref name="maxSeqLen"/> values from {0, 1}: k/n, computed as the evaluator does.</summary>
        public static IReadOnlyList<Value> Fractions(int maxSeqLen)
        {
            var values = new List<Value>();
            for (int n = 1; n <= maxSeqLen; n++)
                for (int k = 0; k <= n; k++)
                    values.Add(Value.FromFloat((double)k / n));
            return Distinct(values);
        }

        /// <summary>
        /// Every mean of 1..maxSeqLen values drawn (with repetition) from <paramref name="values"/>, and the default 0;
        /// the sums are rounded to 1e-9 so that sums reached in different orders count once. Stops past 5,000 values.
        /// </summary>
        public static IReadOnlyList<Value> Means(IReadOnlyList<Value> values, int maxSeqLen)
        {
            var xs = values.Select(v => v.AsDouble).Distinct().ToList();
            var means = new List<Value> { Value.FromInt(0) };
            var sums = new HashSet<double> { 0 };
            for (int n = 1; n <= maxSeqLen && means.Count <= 5000; n++)
            {
                sums = new HashSet<double>(sums.SelectMany(s => xs.Select(x => Math.Round(s + x, 9))));
                means.AddRange(sums.Select(s => Value.FromFloat(s / n)));
            }
            return Distinct(means);
        }

        /// <summary>True for an And/Or/Not tree of Selects (what the compiler compiles); false when a constant selector is inside.</summary>
        public static bool BuiltFromSelects(Selector s) => s switch
        {
            Select _ => true,
            SelectorAnd a => BuiltFromSelects(a.Fst) && BuiltFromSelects(a.Snd),
            SelectorOr o => BuiltFromSelects(o.Fst) && BuiltFromSelects(o.Snd),
            SelectorNot n => BuiltFromSelects(n.Inner),
            _ => false,
        };

        public static bool IsBinary(IReadOnlyList<Value> values) =>
            values.All(v => v.IsNumeric && (v.AsDouble == 0 || v.AsDouble == 1));

        /// <summary>
        /// Tracr's compilation rules that <paramref name="program"/> breaks, one message each; empty
        /// when the compiler must accept the program.
        /// </summary>
        public List<string> RuleViolations(SOp program, int maxValueSetSize = 20000)
        {
            var problems = new List<string>();
            foreach (var expr in ProgramPrinter.Nodes(program))
            {
                switch (expr)
                {
                    case TokensType t when t.IsNumerical:
                        problems.Add("numerical tokens");
                        break;
                    case IndicesType i when i.IsNumerical:
                        problems.Add("numerical indices");
                        break;
                    case Select s when !s.Keys.IsCategorical || !s.Queries.IsCategorical:
                        problems.Add("Select with numerical keys or queries");
                        break;
                    case Aggregate a:
                        if (a.Encoding != a.Source.Encoding) problems.Add("Aggregate encoding differs from its input's");
                        if (a.IsCategorical && !a.Default.IsNone) problems.Add("categorical Aggregate with a default other than None");
                        if (a.IsNumerical && !(a.Default.IsNumeric && a.Default.AsDouble == 0)) problems.Add("numerical Aggregate with a default other than 0");
                        if (!BuiltFromSelects(a.Selector)) problems.Add("Aggregate of a constant selector");
                        break;
                    case SelectorWidth w when !BuiltFromSelects(w.Selector):
                        problems.Add("SelectorWidth of a constant selector");
                        break;
                    case LinearSequenceMap l when !(l.IsNumerical && l.Fst.IsNumerical && l.Snd.IsNumerical):
                        problems.Add("LinearSequenceMap with a categorical input or output");
                        break;
                    case SequenceMap s when !(s is LinearSequenceMap) && !(s.IsCategorical && s.Fst.IsCategorical && s.Snd.IsCategorical):
                        problems.Add("SequenceMap with a numerical input or output");
                        break;
                }
                if (expr is SOp sop)
                {
                    IReadOnlyList<Value> set;
                    try { set = ValueSet(sop); }
                    catch (Exception e) when (e is InvalidOperationException || e is DivideByZeroException || e is OverflowException)
                    {
                        problems.Add($"a function fails on its input's value set: {e.Message}");
                        continue;
                    }
                    if (set.Count > maxValueSetSize) problems.Add($"value set of {set.Count} values");
                    if (sop.IsNumerical && set.Any(v => !v.IsNumeric)) problems.Add("numerical S-op with non-numeric values");
                }
            }
            return problems;
        }

        private IReadOnlyList<Value> SafeValueSet(SOp sop)
        {
            try { return ValueSet(sop); }
            catch (Exception e) when (e is InvalidOperationException || e is DivideByZeroException || e is OverflowException)
            {
                return Array.Empty<Value>();
            }
        }
    }
}
