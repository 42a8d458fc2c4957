using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Craft;

namespace Tracr.Compiler
{
    /// <summary>A node of the program graph: one RASP expression, with what the later passes learn about it.</summary>
    sealed partial class GraphNode
    {
        internal GraphNode(string label, RaspExpr expr)
        {
            Label = label;
            Expr = expr;
        }

        /// <summary>Deterministic label, <c>name_id</c> with ids in breadth-first order from the output (<c>tokens</c> and <c>indices</c> keep their names).</summary>
        public string Label { get; }

        public RaspExpr Expr { get; }

        public List<string> Children { get; } = new List<string>();

        public List<string> Successors { get; } = new List<string>();

        /// <summary>The values an S-op node can take, sorted (set by basis inference; null for selectors).</summary>
        public IReadOnlyList<Value>? ValueSet { get; internal set; }

        /// <summary>The residual directions of an S-op node (set by basis inference).</summary>
        public VectorSpace? OutputSpace { get; internal set; }

        /// <summary>The longest path from an input, counting S-ops (selectors add nothing).</summary>
        public int ComputationalDepth { get; internal set; }

        /// <summary>The craft block computing this node (null for tokens, indices and selectors).</summary>
        public CraftBlock? Block { get; internal set; }

        public bool IsSOp => Expr is SOp;

        public override string ToString() => Label;
    }

    /// <summary>The program as a graph of expressions (Tracr's <c>rasp_to_graph</c> output).</summary>
    sealed partial class ProgramGraph
    {
        private readonly Dictionary<string, GraphNode> _byLabel = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        private readonly Dictionary<RaspExpr, GraphNode> _byExpr = new Dictionary<RaspExpr, GraphNode>();

        /// <summary>Nodes in the order they were discovered (breadth-first from the output).</summary>
        public List<GraphNode> Nodes { get; } = new List<GraphNode>();

        public GraphNode Sink { get; internal set; } = null!;

        /// <summary>The nodes with no inputs (tokens, indices).</summary>
        public List<GraphNode> Sources { get; } = new List<GraphNode>();

        public GraphNode this[string label] => _byLabel[label];

        public GraphNode NodeOf(RaspExpr expr) => _byExpr[expr];

        public bool TryGetNode(string label, out GraphNode node) => _byLabel.TryGetValue(label, out node!);

        internal GraphNode Add(string label, RaspExpr expr)
        {
            var node = new GraphNode(label, expr);
            _byLabel.Add(label, node);
            _byExpr.Add(expr, node);
            _expressions.Add((expr, node));
            Nodes.Add(node);
            return node;
        }

        internal void Alias(RaspExpr expr, GraphNode node)
        {
            _byExpr[expr] = node;
            _expressions.Add((expr, node));
        }

        private readonly List<(RaspExpr, GraphNode)> _expressions = new List<(RaspExpr, GraphNode)>();

        /// <summary>Every expression instance of the program with its node (several instances of tokens share one node).</summary>
        public IReadOnlyList<(RaspExpr Expr, GraphNode Node)> Expressions => _expressions;

        internal bool TryGetByExpr(RaspExpr expr, out GraphNode node) => _byExpr.TryGetValue(expr, out node!);

        /// <summary>Nodes ordered so that every node comes after its children.</summary>
        public IEnumerable<GraphNode> TopologicalOrder()
        {
            var done = new HashSet<GraphNode>();
            var order = new List<GraphNode>();
            void Visit(GraphNode n)
            {
                if (!done.Add(n)) return;
                foreach (var c in n.Children) Visit(_byLabel[c]);
                order.Add(n);
            }
            // Iterative deepening is unnecessary: RASP graphs are shallow (depth = number of layers).
            foreach (var n in Nodes) Visit(n);
            return order;
        }
    }

    /// <summary>
    /// Pass 2: lowers the primitives Tracr cannot compile directly (<c>length</c>, <c>Full</c>,
    /// <c>ConstantSOp</c>) into compilable expressions, then builds the graph breadth-first from the
    /// output. Labels are <c>name_id</c> with ids counted per compilation, so layouts are reproducible
    /// (Tracr counts ids process-wide).
    /// </summary>
    internal static class RaspToGraph
    {
        public static ProgramGraph Extract(SOp program, CompilerOptions? options = null, System.Threading.CancellationToken cancellationToken = default)
        {
            var lowered = Lowering.Lower(program, options?.CompositeSelectors ?? CompositeSelectorConstruction.Auto);
            var graph = new ProgramGraph();
            int nextId = 1;
            var queue = new Queue<RaspExpr>();

            GraphNode Ensure(RaspExpr expr)
            {
                if (graph.TryGetByExpr(expr, out var existing)) return existing;
                string label = expr switch
                {
                    TokensType _ => "tokens",
                    IndicesType _ => "indices",
                    _ => expr.Name + "_" + nextId++,
                };
                // Every tokens (indices) instance is the same input.
                if (graph.TryGetNode(label, out var shared))
                {
                    graph.Alias(expr, shared);
                    return shared;
                }
                return graph.Add(label, expr);
            }

            graph.Sink = Ensure(lowered);
            queue.Enqueue(lowered);
            var visited = new HashSet<GraphNode>();
            while (queue.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var expr = queue.Dequeue();
                var node = graph.NodeOf(expr);
                if (!visited.Add(node)) continue;
                foreach (var child in expr.Children)
                {
                    var childNode = Ensure(child);
                    node.Children.Add(childNode.Label);
                    if (!childNode.Successors.Contains(node.Label)) childNode.Successors.Add(node.Label);
                    queue.Enqueue(child);
                }
                if (expr.Children.Count == 0) graph.Sources.Add(node);
            }
            return graph;
        }
    }

    /// <summary>
    /// Rewrites <c>length</c>, <c>Full</c> and <c>ConstantSOp</c> into expressions with a transformer construction,
    /// and composite selectors that need tuple keys into one Select (CompositeSelectors.cs).
    /// </summary>
    internal static class Lowering
    {
        public static SOp Lower(SOp program, CompositeSelectorConstruction composites = CompositeSelectorConstruction.Auto) =>
            (SOp)new Rewriter(composites).Rewrite(program);

        private sealed class Rewriter
        {
            private readonly CompositeSelectorConstruction _composites;
            private readonly Dictionary<RaspExpr, RaspExpr> _memo = new Dictionary<RaspExpr, RaspExpr>();
            // Tuple S-ops by their components, so keys and queries over the same S-ops share one node.
            private readonly List<(IReadOnlyList<SOp> Parts, SOp Tuple)> _tuples = new List<(IReadOnlyList<SOp>, SOp)>();

            public Rewriter(CompositeSelectorConstruction composites) { _composites = composites; }

            public RaspExpr Rewrite(RaspExpr e)
            {
                if (_memo.TryGetValue(e, out var done)) return done;
                var result = Lowering.Rewrite(e, Rewrite);
                // A composite selector the summed-scores head cannot compute exactly becomes one Select over tuples.
                if (result is Aggregate || result is SelectorWidth)
                {
                    var selector = (Selector)result.Children[0];
                    // (Leaves over numerical S-ops stay, so that validation names them.)
                    if (CompositeSelectors.IsComposite(selector) && CompositeSelectors.ReadsOnlyCategorical(selector) &&
                        (_composites == CompositeSelectorConstruction.TupleKeys || CompositeSelectors.SummedParts(selector) == null))
                    {
                        var select = CompositeSelectors.LowerToTuples(selector, TupleOf).Named(selector.Name);
                        select.LoweredFrom = selector;
                        var children = result.Children.ToArray();
                        children[0] = select;
                        var rebuilt = result.WithChildren(children);
                        rebuilt.LoweredFrom = e;
                        result = rebuilt;
                    }
                }
                _memo[e] = result;
                return result;
            }

            private SOp TupleOf(IReadOnlyList<SOp> sops)
            {
                foreach (var (parts, tuple) in _tuples)
                    if (parts.Count == sops.Count && parts.Zip(sops, CompositeSelectors.Same).All(x => x)) return tuple;
                var made = CompositeSelectors.TupleOf(sops);
                _tuples.Add((sops, made));
                return made;
            }
        }

        private static RaspExpr Rewrite(RaspExpr e, Func<RaspExpr, RaspExpr> rewriteChild)
        {
            RaspExpr result;
            switch (e)
            {
                case LengthType len:
                    // length = SelectorWidth(Select(tokens, tokens, TRUE)), as Tracr's make_length.
                    var all = new Select(Rasp.Tokens, Rasp.Tokens, Predicate.FromComparison(Comparison.TRUE)).Named("all_true_selector");
                    all.LoweredFrom = len;
                    result = WithAnnotationsOf(new SelectorWidth(all), len);
                    break;
                case Full full:
                    // A constant is a Map of the tokens that ignores its input: one MLP, exact.
                    var fill = full.Fill;
                    result = WithAnnotationsOf(new Map(_ => fill, Rasp.Tokens, false, "const " + fill.Repr()), full);
                    break;
                case ConstantSOp c:
                    var values = c.Values;
                    result = WithAnnotationsOf(new Map(i => (int)i < values.Count ? values[(int)i] : Value.None, Rasp.Indices, false, "constant"), c);
                    break;
                default:
                    // Anything else is kept, rebuilt (with its annotations) only where a child was lowered.
                    var original = e.Children;
                    var children = original.Select(rewriteChild).ToArray();
                    if (children.Where((child, i) => !ReferenceEquals(child, original[i])).Any())
                    {
                        result = e.WithChildren(children);
                        result.LoweredFrom = e;
                    }
                    else
                    {
                        result = e;
                    }
                    break;
            }
            return result;
        }

        private static SOp WithAnnotationsOf(SOp lowered, SOp original)
        {
            var result = (SOp)lowered.Named(original.Name).WithEncoding(original.Encoding);
            result.LoweredFrom = original;
            return result;
        }
    }
}
