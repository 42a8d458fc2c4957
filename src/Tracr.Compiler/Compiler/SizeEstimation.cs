using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Tracr.Craft;

namespace Tracr.Compiler
{
    /// <summary>
    /// What compiling a program will allocate, computed from the value sets alone (no matrix exists yet):
    /// every craft block's matrices, the MLP layers' combined matrices, the embeddings, the residual width
    /// and the MLP neurons. The compiler's matrices are dense doubles, so <see cref="Weights"/> × 8 bytes is
    /// its memory for them.
    /// </summary>
    internal sealed class SizeEstimate
    {
        public SizeEstimate(IReadOnlyDictionary<string, NodeSize> nodes, IReadOnlyList<LayerSize> mlpLayers, int residualWidth, long embeddingWeights)
        {
            Nodes = nodes;
            MlpLayers = mlpLayers;
            ResidualWidth = residualWidth;
            EmbeddingWeights = embeddingWeights;
            Weights = nodes.Values.Sum(n => n.BlockWeights + n.TransientWeights) + mlpLayers.Sum(l => l.Weights) + embeddingWeights;
            MlpNeurons = mlpLayers.Sum(l => l.Hidden);
        }

        /// <summary>Per node label: its block's size.</summary>
        public IReadOnlyDictionary<string, NodeSize> Nodes { get; }

        /// <summary>Every MLP half layer: the MLPs of its nodes combined into one.</summary>
        public IReadOnlyList<LayerSize> MlpLayers { get; }

        /// <summary>d_model of the assembled transformer.</summary>
        public int ResidualWidth { get; }

        /// <summary>Token and position embedding entries.</summary>
        public long EmbeddingWeights { get; }

        /// <summary>Hidden neurons over all MLP layers.</summary>
        public long MlpNeurons { get; }

        /// <summary>Every matrix entry the compiler allocates for the model (an upper bound: discretising MLPs are counted with every input value).</summary>
        public long Weights { get; }

        /// <summary>What the node costs: its block plus its share of its layer's combined MLP.</summary>
        public long ShareOf(string label)
        {
            var node = Nodes[label];
            long share = node.BlockWeights + node.TransientWeights;
            foreach (var layer in MlpLayers)
                if (layer.Weights > 0 && layer.HiddenByNode.TryGetValue(label, out long h)) share += h * (layer.Inputs + layer.Outputs);
            return share;
        }
    }

    /// <summary>One node's block: the matrices it keeps, those made and dropped while building it, its MLP neurons.</summary>
    internal sealed class NodeSize
    {
        public NodeSize(long blockWeights, long transientWeights, long hidden, string what)
        {
            BlockWeights = blockWeights;
            TransientWeights = transientWeights;
            Hidden = hidden;
            What = what;
        }

        /// <summary>Entries of the matrices the node's craft block holds.</summary>
        public long BlockWeights { get; }

        /// <summary>Entries of matrices built and combined away while making the block (a SelectorWidth's two MLPs).</summary>
        public long TransientWeights { get; }

        /// <summary>Hidden neurons of the node's MLP (0 for a head).</summary>
        public long Hidden { get; }

        /// <summary>The block in words, with its shape (for the refusal message).</summary>
        public string What { get; }
    }

    /// <summary>One MLP half layer after <c>Mlp.CombineInParallel</c>: [inputs × hidden] and [hidden × outputs].</summary>
    internal sealed class LayerSize
    {
        public LayerSize(int halfLayer, long inputs, long outputs, IReadOnlyDictionary<string, long> hiddenByNode)
        {
            HalfLayer = halfLayer;
            Inputs = inputs;
            Outputs = outputs;
            HiddenByNode = hiddenByNode;
            Hidden = hiddenByNode.Values.Sum();
        }

        public int HalfLayer { get; }
        public long Inputs { get; }
        public long Outputs { get; }
        public long Hidden { get; }
        public IReadOnlyDictionary<string, long> HiddenByNode { get; }
        /// <summary>The combined matrices; a layer of one MLP reuses that MLP's and allocates nothing.</summary>
        public long Weights => HiddenByNode.Count == 1 ? 0 : Hidden * (Inputs + Outputs);
    }

    /// <summary>
    /// Pass 3b (between basis inference and expression to craft): estimates the model's size from the value
    /// sets, mirroring the constructions of <see cref="ExprToCraft"/> and the layer allocation of
    /// <see cref="CraftGraphToModel"/>, and refuses a program over <see cref="CompilerOptions.MaxWeights"/>
    /// before any matrix exists. Without it a program like reverse at MaxSeqLen 1000 (a SequenceMap MLP of a
    /// million neurons over 2,002 inputs) exhausts the process instead of getting an error.
    /// </summary>
    internal static class SizeEstimation
    {
        public const string Stage = "estimate_size";

        // Residual subspaces are identified by key; two blocks touching the same key share its directions.
        private const string OneKey = "\0one", BosKey = "\0bos", PadKey = "\0pad";
        private static string SelectorWidthKey(string label) => "\0sw:" + label;

        private sealed class Block
        {
            public CraftBlockKind Kind;
            public long Weights, Transient, Hidden;
            public string What = "";
            public Dictionary<string, long> Residual = new Dictionary<string, long>(StringComparer.Ordinal);
            public Dictionary<string, long> MlpInputs = new Dictionary<string, long>(StringComparer.Ordinal);
            public Dictionary<string, long> MlpOutputs = new Dictionary<string, long>(StringComparer.Ordinal);
        }

        /// <summary>Estimates the model and throws a <see cref="RaspCompilationException"/> (ModelTooLarge) when it exceeds the budget.</summary>
        public static SizeEstimate EstimateAndCheck(ProgramGraph graph, int vocabSize, int maxSeqLen, CompilerOptions options, CancellationToken cancellationToken)
        {
            var estimate = Estimate(graph, vocabSize, maxSeqLen, cancellationToken);
            if (estimate.Weights > options.MaxWeights)
            {
                // Name the node that costs most; the embeddings (vocab and positions x residual width) have no node of their own.
                var culprit = estimate.Nodes.Keys.OrderByDescending(estimate.ShareOf).ThenBy(l => l, StringComparer.Ordinal).FirstOrDefault();
                bool nodeCostsMost = culprit != null && estimate.ShareOf(culprit) >= estimate.EmbeddingWeights;
                string blame = nodeCostsMost
                    ? $"this node accounts for {N(estimate.ShareOf(culprit!))} of them: {estimate.Nodes[culprit!].What}"
                    : $"the token and position embeddings account for {N(estimate.EmbeddingWeights)} of them ({N(vocabSize + 2L)} tokens and " +
                      $"{N(maxSeqLen + 1L)} positions over a residual of width {N(estimate.ResidualWidth)})";
                throw TooLarge(nodeCostsMost ? graph[culprit!] : graph.Sink, Stage,
                    $"compiling the program would allocate {N(estimate.Weights)} weights ({Bytes(estimate.Weights)} as doubles), more than the budget of " +
                    $"{N(options.MaxWeights)} (CompilerOptions.MaxWeights); {blame}. " +
                    $"The model would have residual width {N(estimate.ResidualWidth)} and {N(estimate.MlpNeurons)} MLP neurons.");
            }
            return estimate;
        }

        public static SizeEstimate Estimate(ProgramGraph graph, int vocabSize, int maxSeqLen, CancellationToken cancellationToken)
        {
            var blocks = new Dictionary<string, Block>(StringComparer.Ordinal);
            foreach (var node in graph.Nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (node.Expr is SOp sop && BlockOf(graph, node, sop) is Block block) blocks[node.Label] = block;
            }

            // Layers as CraftGraphToModel will allocate them; each MLP half layer is combined into one MLP.
            var allocation = CraftGraphToModel.AllocateToLayers(graph, n => blocks.TryGetValue(n.Label, out var b) ? b.Kind : CraftBlockKind.None);
            // A SelectorWidth's MLP runs in the half layer after its head.
            var mlpsByHalfLayer = new SortedDictionary<int, List<string>>();
            foreach (var kv in allocation)
            {
                var kind = blocks[kv.Key].Kind;
                if (kind != CraftBlockKind.Mlp && kind != CraftBlockKind.AttentionThenMlp) continue;
                int half = kind == CraftBlockKind.AttentionThenMlp ? kv.Value + 1 : kv.Value;
                if (!mlpsByHalfLayer.TryGetValue(half, out var list)) mlpsByHalfLayer[half] = list = new List<string>();
                list.Add(kv.Key);
            }
            var layers = new List<LayerSize>();
            foreach (var group in mlpsByHalfLayer)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var inputs = new Dictionary<string, long>(StringComparer.Ordinal);
                var outputs = new Dictionary<string, long>(StringComparer.Ordinal);
                var hidden = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var label in group.Value)
                {
                    var b = blocks[label];
                    foreach (var kv in b.MlpInputs) inputs[kv.Key] = kv.Value;
                    foreach (var kv in b.MlpOutputs) outputs[kv.Key] = kv.Value;
                    hidden[label] = b.Hidden;
                }
                layers.Add(new LayerSize(group.Key, inputs.Values.Sum(), outputs.Values.Sum(), hidden));
            }

            // The residual stream: every block's spaces, all tokens (with BOS and PAD), all indices, the output.
            var residual = new Dictionary<string, long>(StringComparer.Ordinal)
            {
                ["tokens"] = vocabSize, [BosKey] = 1, [PadKey] = 1, ["indices"] = maxSeqLen,
                [graph.Sink.Label] = Dims(graph.Sink),
            };
            foreach (var b in blocks.Values)
                foreach (var kv in b.Residual) residual[kv.Key] = kv.Value;
            long width = residual.Values.Sum();
            long embeddings = ((long)vocabSize + 2 + maxSeqLen + 1) * width;

            var nodes = blocks.ToDictionary(kv => kv.Key, kv => new NodeSize(kv.Value.Weights, kv.Value.Transient, kv.Value.Hidden, kv.Value.What), StringComparer.Ordinal);
            return new SizeEstimate(nodes, layers, (int)Math.Min(int.MaxValue, width), embeddings);
        }

        /// <summary>The block <see cref="ExprToCraft"/> will build for the node, as shapes only.</summary>
        private static Block? BlockOf(ProgramGraph graph, GraphNode node, SOp expr)
        {
            GraphNode Of(RaspExpr e) => graph.NodeOf(e);
            long o = Dims(node);
            switch (expr)
            {
                case TokensType _:
                case IndicesType _:
                    return null;

                case Map map:
                {
                    var inner = Of(map.Inner);
                    long a = Dims(inner);
                    if (map.Inner.IsCategorical && map.IsCategorical)
                        return Mlp(node, new[] { (inner.Label, a) }, a * o + o * o, o, $"a categorical Map MLP [{N(a)} inputs x {N(o)} neurons x {N(o)} outputs]");
                    if (map.Inner.IsCategorical)
                    {
                        long h = node.ValueSet!.Any(v => v.IsNumeric && v.AsDouble < 0) ? 2 : 1;
                        return Mlp(node, new[] { (inner.Label, a) }, a * h + h, h, $"a categorical-to-numerical Map MLP [{N(a)} inputs x {h} neurons]");
                    }
                    // Discretising MLP: a start neuron and a pair per threshold between distinct input values (at most all of them).
                    long hd = 1 + 2L * Math.Max(0, inner.ValueSet!.Count - 1);
                    return Mlp(node, new[] { (inner.Label, 1L), (OneKey, 1L), (BosKey, 1L) }, 3 * hd + hd * o, hd,
                        $"a discretising MLP over {N(inner.ValueSet!.Count)} input values [{N(hd)} neurons x {N(o)} outputs]");
                }

                case LinearSequenceMap lin:
                {
                    var inputs = new[] { (Of(lin.Fst).Label, 1L), (Of(lin.Snd).Label, 1L) }.Distinct().ToArray();
                    return Mlp(node, inputs, inputs.Length * 4 + 4, 4, "a linear SequenceMap MLP [4 neurons]");
                }

                case SequenceMap sm:
                {
                    var fst = Of(sm.Fst);
                    var snd = Of(sm.Snd);
                    long a = Dims(fst);
                    if (ReferenceEquals(fst, snd))
                        return Mlp(node, new[] { (fst.Label, a) }, a * o + o * o, o, $"a categorical Map MLP [{N(a)} inputs x {N(o)} neurons x {N(o)} outputs]");
                    long b = Dims(snd), pairs = a * b;
                    return Mlp(node, new[] { (fst.Label, a), (snd.Label, b), (OneKey, 1L) }, (a + b + 1) * pairs + pairs * o, pairs, SequenceMapWhat(a, b, o));
                }

                case Aggregate agg:
                {
                    var (q, k) = Sides(graph, agg.Selector);
                    var source = Of(agg.Source);
                    long v = Dims(source);
                    long qd = q.Sum(n => Dims(n)), kd = k.Sum(n => Dims(n));
                    var block = new Block
                    {
                        Kind = CraftBlockKind.Attention,
                        Weights = (qd + 2) * (kd + 1) + (v + 1) * o,
                        What = $"an attention head [{N(qd + 2)} query x {N(kd + 1)} key dimensions, {N(v + 1)} value x {N(o)} output]",
                    };
                    Add(block.Residual, q.Concat(k).Select(n => (n.Label, Dims(n))).ToArray());
                    Add(block.Residual, (source.Label, v), (node.Label, o), (BosKey, 1), (OneKey, 1));
                    return block;
                }

                case SelectorWidth sw:
                {
                    var (q, k) = Sides(graph, sw.Selector);
                    long qd = q.Sum(n => Dims(n)), kd = k.Sum(n => Dims(n));
                    long head = (qd + 2) * (kd + 1) + 1;
                    // The decoding MLP discretises 1/(w+1) over every width w; a second one-neuron MLP cleans BOS;
                    // both are combined into the block's MLP (the two parts are then garbage).
                    long hd = 1 + 2L * Math.Max(0, node.ValueSet!.Count - 1);
                    long decode = 2 * hd + hd * o, clean = 1 + (1 + o);
                    long hidden = hd + 1;
                    long combined = 3 * hidden + hidden * (1 + o);
                    string attnOut = SelectorWidthKey(node.Label);
                    var block = new Block
                    {
                        Kind = CraftBlockKind.AttentionThenMlp,
                        Weights = head + combined,
                        Transient = decode + clean,
                        Hidden = hidden,
                        What = $"a SelectorWidth head [{N(qd + 2)} x {N(kd + 1)}] and decoding MLP [{N(hidden)} neurons x {N(1 + o)} outputs]",
                    };
                    Add(block.MlpInputs, (attnOut, 1), (OneKey, 1), (BosKey, 1));
                    Add(block.MlpOutputs, (attnOut, 1), (node.Label, o));
                    Add(block.Residual, q.Concat(k).Select(n => (n.Label, Dims(n))).ToArray());
                    Add(block.Residual, (BosKey, 1), (OneKey, 1), (attnOut, 1), (node.Label, o));
                    return block;
                }

                default:
                    return null; // ExprToCraft reports it
            }
        }

        private static Block Mlp(GraphNode node, (string Key, long Dims)[] inputs, long weights, long hidden, string what)
        {
            var block = new Block { Kind = CraftBlockKind.Mlp, Weights = weights, Hidden = hidden, What = what };
            Add(block.MlpInputs, inputs);
            Add(block.MlpOutputs, (node.Label, Dims(node)));
            Add(block.Residual, inputs);
            Add(block.Residual, (node.Label, Dims(node)));
            return block;
        }

        private static void Add(Dictionary<string, long> keys, params (string Key, long Dims)[] spaces)
        {
            foreach (var (key, dims) in spaces) keys[key] = dims;
        }

        /// <summary>Residual dimensions of a node (set by basis inference): one per value, or one if numerical.</summary>
        /// <summary>
        /// The query and key nodes a head reads: one Select's, or for a composite selector that lowering left as a
        /// summed-scores head, every part's (a composite lowered to tuple keys is a plain Select by now).
        /// </summary>
        private static (GraphNode[] Queries, GraphNode[] Keys) Sides(ProgramGraph graph, Selector selector)
        {
            if (selector is Select select) return (new[] { graph.NodeOf(select.Queries) }, new[] { graph.NodeOf(select.Keys) });
            var parts = CompositeSelectors.SummedParts(selector) ?? Array.Empty<CompositeSelectors.Part>();
            return (parts.Select(p => graph.NodeOf(p.Queries)).Distinct().ToArray(), parts.Select(p => graph.NodeOf(p.Keys)).Distinct().ToArray());
        }

        private static long Dims(GraphNode node) => node.OutputSpace!.Dimensions;

        private static string SequenceMapWhat(long a, long b, long o) =>
            $"a categorical SequenceMap MLP with a hidden neuron per pair of input values ({N(a)} x {N(b)} = {N(a * b)} neurons) over {N(a + b + 1)} inputs" +
            (o > 0 ? $" and {N(o)} outputs" : "");

        /// <summary>
        /// Basis inference's guard, before it enumerates a categorical SequenceMap's input pairs: the MLP's first
        /// layer alone is (|A| + |B| + 1) × |A||B| weights, known from the input value sets.
        /// </summary>
        public static void CheckSequenceMapInputs(GraphNode node, long a, long b, CompilerOptions options)
        {
            long firstLayer = (a + b + 1) * a * b;
            if (firstLayer > options.MaxWeights)
                throw TooLarge(node, "basis_inference",
                    $"its MLP would need at least {N(firstLayer)} weights ({Bytes(firstLayer)} as doubles), more than the budget of {N(options.MaxWeights)} " +
                    $"(CompilerOptions.MaxWeights): {SequenceMapWhat(a, b, 0)}.");
        }

        /// <summary>Basis inference's guard on the products it enumerates (function calls, candidate values).</summary>
        public static void CheckProduct(GraphNode node, long product, string what, CompilerOptions options)
        {
            if (product > options.MaxValueSetProduct)
                throw new RaspCompilationException("basis_inference", new UnsupportedExpression(node.Expr, node.Label, UnsupportedKind.ValueSetProductTooLarge,
                    $"computing its value set means enumerating {what} = {N(product)} combinations, more than the limit of {N(options.MaxValueSetProduct)} " +
                    "(CompilerOptions.MaxValueSetProduct)."));
        }

        private static RaspCompilationException TooLarge(GraphNode node, string stage, string reason) =>
            new RaspCompilationException(stage, new UnsupportedExpression(node.Expr, node.Label, UnsupportedKind.ModelTooLarge, reason));

        internal static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

        private static string Bytes(long weights)
        {
            double bytes = weights * 8.0;
            return bytes >= 1e9 ? (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB"
                : (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
        }
    }
}
