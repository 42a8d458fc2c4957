using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Tracr.Craft;
using Tracr.Craft.Chamber;

namespace Tracr.Compiler
{
    /// <summary>
    /// Pass 4: turns every S-op node into a craft block over named subspaces (Tracr's
    /// <c>expr_to_craft_graph</c>): Maps and SequenceMaps into MLPs, Select+Aggregate into an
    /// attention head, SelectorWidth into a head plus an MLP.
    /// </summary>
    internal static class ExprToCraft
    {
        public static readonly BasisDirection One = new BasisDirection("one");

        public static void AddCraftBlocks(ProgramGraph graph, BasisDirection bos, CompilerOptions options, CancellationToken cancellationToken = default)
        {
            // The chamber builders call back into the node's functions once per matrix row or entry; checking the
            // token there (SafeCall, Attend) stops a cancelled compile inside a big block, not only between blocks.
            foreach (var node in graph.Nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (node.Expr is SOp sop) node.Block = BlockFor(graph, node, sop, bos, options, cancellationToken);
            }
        }

        private static CraftBlock? BlockFor(ProgramGraph graph, GraphNode node, SOp expr, BasisDirection bos, CompilerOptions options, CancellationToken ct)
        {
            GraphNode N(RaspExpr e) => graph.NodeOf(e);
            string hiddenName = "_hidden_" + node.Label + "_";
            switch (expr)
            {
                case TokensType _:
                case IndicesType _:
                    return null;

                case Map map:
                {
                    var inner = N(map.Inner);
                    var input = inner.OutputSpace!;
                    var output = node.OutputSpace!;
                    if (map.Inner.IsCategorical && map.IsCategorical)
                        return CategoricalMlp.Map(input, output, d => ToDirection(node, SafeCall(ct, node, () => map.Function(d.Value), d.Value)), node.Label);
                    if (map.Inner.IsCategorical && map.IsNumerical)
                        return CategoricalMlp.MapToNumerical(input, output, v => ToNumber(node, SafeCall(ct, node, () => map.Function(v), v)), node.Label);
                    Func<Value, Value?> f = v => SafeCall(ct, node, () => map.Function(v), v);
                    if (map.IsCategorical)
                        return NumericalMlp.MapToCategorical(f, input.Basis[0], output, inner.ValueSet!, One, options.MlpExactness, hiddenName, node.Label, bos);
                    return NumericalMlp.Map(f, input.Basis[0], output.Basis[0], inner.ValueSet!, One, options.MlpExactness, hiddenName, node.Label, bos);
                }

                case LinearSequenceMap lin:
                    return NumericalMlp.LinearSequenceMap(N(lin.Fst).OutputSpace!.Basis[0], N(lin.Snd).OutputSpace!.Basis[0],
                        node.OutputSpace!.Basis[0], lin.FstFactor, lin.SndFactor, hiddenName, node.Label);

                case SequenceMap sm:
                {
                    var fst = N(sm.Fst);
                    var snd = N(sm.Snd);
                    if (ReferenceEquals(fst, snd))
                    {
                        // Both arguments are the same S-op: a Map of f(x, x).
                        return CategoricalMlp.Map(fst.OutputSpace!, node.OutputSpace!,
                            d => ToDirection(node, SafeCall(ct, node, () => sm.Function(d.Value, d.Value), d.Value)), node.Label);
                    }
                    return CategoricalMlp.SequenceMap(fst.OutputSpace!, snd.OutputSpace!, node.OutputSpace!, One,
                        (x, y) => ToDirection(node, SafeCall(ct, node, () => sm.Function(x.Value, y.Value), x.Value, y.Value)),
                        hiddenName, node.Label);
                }

                case Aggregate agg when !(agg.Selector is Select):
                    return CompositeAttention.Build(
                        SummedParts(graph, agg.Selector), N(agg.Source).OutputSpace!, node.OutputSpace!, bos, One, options.Causal,
                        alwaysAttendToBos: false, useBosForDefaultOutput: true, options.SoftmaxColdness, node.Label);

                case SelectorWidth sw when !(sw.Selector is Select):
                    return SelectorWidthBlock.BuildComposite(
                        SummedParts(graph, sw.Selector), node.OutputSpace!, bos, One, node.ValueSet!, sw.IsCategorical,
                        options.Causal, options.SoftmaxColdness, options.MlpExactness, node.Label);

                case Aggregate agg:
                {
                    var select = (Select)agg.Selector;
                    return CategoricalAttention.Build(
                        N(select.Queries).OutputSpace!, N(select.Keys).OutputSpace!, N(agg.Source).OutputSpace!, node.OutputSpace!,
                        bos, One, Attend(graph, select, ct), options.Causal,
                        alwaysAttendToBos: false, useBosForDefaultOutput: true, options.SoftmaxColdness, node.Label);
                }

                case SelectorWidth sw:
                {
                    var select = (Select)sw.Selector;
                    return SelectorWidthBlock.Build(
                        N(select.Queries).OutputSpace!, N(select.Keys).OutputSpace!, node.OutputSpace!, bos, One, Attend(graph, select, ct),
                        node.ValueSet!, sw.IsCategorical, options.Causal, options.SoftmaxColdness, options.MlpExactness, node.Label);
                }

                default:
                    throw new RaspCompilationException("expr_to_craft", new UnsupportedExpression(expr, node.Label, UnsupportedKind.Other,
                        $"{expr.GetType().Name} cannot be translated to a model component."));
            }

            BasisDirection? ToDirection(GraphNode n, Value? v) => v is null || v.Value.IsNone ? null : new BasisDirection(n.Label, v.Value);
        }

        /// <summary>
        /// The parts of a summed-scores head for a composite selector that lowering left in place (a conjunction of
        /// per-pair conditions, see CompositeSelectors.cs); parts over one query and one key node are one part.
        /// </summary>
        private static IReadOnlyList<CompositeAttention.Part> SummedParts(ProgramGraph graph, Selector selector)
        {
            var node = graph.NodeOf(selector);
            var parts = CompositeSelectors.SummedParts(selector) ?? throw new RaspCompilationException("expr_to_craft",
                new UnsupportedExpression(selector, node.Label, UnsupportedKind.UncompilableSelector,
                    $"the composite selector '{selector.Name}' is not a conjunction of conditions over one keys/queries pair each; it should have been lowered to tuple keys."));
            return parts.Select(p =>
            {
                var queries = graph.NodeOf(p.Queries);
                var keys = graph.NodeOf(p.Keys);
                return new CompositeAttention.Part(queries.Label, queries.OutputSpace!, keys.Label, keys.OutputSpace!, (query, key) =>
                {
                    try
                    {
                        return p.Holds(key.Value, query.Value);
                    }
                    catch (Exception e)
                    {
                        throw new RaspCompilationException("expr_to_craft", new UnsupportedExpression(selector, node.Label, UnsupportedKind.FunctionFailed,
                            $"a selector predicate failed on key {key.Value.Repr()} and query {query.Value.Repr()}: {e.Message}"));
                    }
                });
            }).ToList();
        }

        // Craft calls attention functions as (query, key); RASP predicates take (key, query).
        private static Func<BasisDirection, BasisDirection, bool> Attend(ProgramGraph graph, Select select, CancellationToken ct)
        {
            var node = graph.NodeOf(select);
            return (query, key) =>
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    return select.Predicate.Invoke(key.Value, query.Value);
                }
                catch (Exception e)
                {
                    throw new RaspCompilationException("expr_to_craft", new UnsupportedExpression(select, node.Label, UnsupportedKind.FunctionFailed,
                        $"the selector predicate failed on key {key.Value.Repr()} and query {query.Value.Repr()}: {e.Message}"));
                }
            };
        }

        private static double? ToNumber(GraphNode node, Value? v)
        {
            if (v is null || v.Value.IsNone) return null;
            if (!v.Value.IsNumeric)
                throw new RaspCompilationException("expr_to_craft", new UnsupportedExpression(node.Expr, node.Label, UnsupportedKind.NonNumericNumerical,
                    $"a numerical Map must produce numbers, but it produced {v.Value.Repr()}."));
            return v.Value.AsDouble;
        }

        private static Value? SafeCall(CancellationToken ct, GraphNode node, Func<Value> f, params Value[] inputs)
        {
            ct.ThrowIfCancellationRequested();
            return NodeFunctions.Call(node, "expr_to_craft", f, () => string.Join(", ", inputs.Select(i => i.Repr())));
        }
    }
}
