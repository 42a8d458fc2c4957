using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Tracr.Craft;

namespace Tracr.Compiler
{
    /// <summary>
    /// Pass 5: places every block in a layer (Tracr's <c>craft_graph_to_model</c>). A node's depth is
    /// the longest path from the inputs counting S-ops; depth d goes to layer d (attention half for
    /// heads, MLP half for MLPs), so independent nodes at the same depth run in parallel. When a
    /// depth holds only heads and the next only MLPs, the two share a layer.
    /// </summary>
    internal static class CraftGraphToModel
    {
        public static (CraftModel Model, Dictionary<string, int> Allocation) Build(ProgramGraph graph, CancellationToken cancellationToken = default)
        {
            var allocation = AllocateToLayers(graph, n => KindOf(n.Block));

            var byHalfLayer = new SortedDictionary<int, List<CraftBlock>>();
            void Place(int halfLayer, CraftBlock block)
            {
                if (!byHalfLayer.TryGetValue(halfLayer, out var list)) byHalfLayer[halfLayer] = list = new List<CraftBlock>();
                list.Add(block);
            }

            var residual = new List<BasisDirection>();
            foreach (var node in graph.Nodes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!allocation.TryGetValue(node.Label, out int half)) continue;
                residual.AddRange(node.Block!.ResidualSpace.Basis);
                if (node.Block is AttentionThenMlp pair)
                {
                    Place(half, pair.Attention);
                    Place(half + 1, pair.Mlp);
                }
                else
                {
                    Place(half, node.Block);
                }
            }

            var layers = new List<CraftLayer>();
            foreach (var entry in byHalfLayer)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.Key % 2 == 0)
                    layers.Add(new AttentionLayer(entry.Key, entry.Value.Cast<AttentionHead>().ToList()));
                else
                {
                    // A lone MLP is its own layer: combining it would copy both matrices unchanged (measured: half of
                    // reverse's compile memory is that copy of its SequenceMap MLP).
                    var mlps = entry.Value.Cast<Mlp>().ToList();
                    layers.Add(new MlpLayer(entry.Key, mlps.Count == 1 ? mlps[0] : Mlp.CombineInParallel(mlps)));
                }
            }
            return (new CraftModel(layers, new VectorSpace(residual)), allocation);
        }

        /// <summary>Longest path from the sources, where each S-op adds one and a selector adds nothing.</summary>
        private static void ComputeDepths(ProgramGraph graph)
        {
            foreach (var node in graph.TopologicalOrder())
            {
                int depth = 0;
                foreach (var child in node.Children)
                    depth = Math.Max(depth, graph[child].ComputationalDepth + (node.IsSOp ? 1 : 0));
                node.ComputationalDepth = node.Children.Count == 0 ? 0 : depth;
            }
        }

        private static CraftBlockKind KindOf(CraftBlock? block) => block switch
        {
            AttentionHead _ => CraftBlockKind.Attention,
            Mlp _ => CraftBlockKind.Mlp,
            AttentionThenMlp _ => CraftBlockKind.AttentionThenMlp,
            _ => CraftBlockKind.None,
        };

        /// <summary>
        /// Node label → half layer. Reads only each node's kind of block, so the size estimate (before any
        /// block exists) allocates exactly as the build does.
        /// </summary>
        internal static Dictionary<string, int> AllocateToLayers(ProgramGraph graph, Func<GraphNode, CraftBlockKind> kindOf)
        {
            ComputeDepths(graph);
            bool IsAttention(GraphNode n) => kindOf(n) == CraftBlockKind.Attention;
            bool IsMlp(GraphNode n) => kindOf(n) == CraftBlockKind.Mlp;
            var depthByNode = new Dictionary<GraphNode, int>();
            var nodesByDepth = new SortedDictionary<int, List<GraphNode>>();
            foreach (var node in graph.Nodes)
            {
                if (kindOf(node) == CraftBlockKind.None) continue;
                depthByNode[node] = node.ComputationalDepth;
                if (!nodesByDepth.TryGetValue(node.ComputationalDepth, out var list)) nodesByDepth[node.ComputationalDepth] = list = new List<GraphNode>();
                list.Add(node);
            }
            var result = new Dictionary<string, int>(StringComparer.Ordinal);
            if (depthByNode.Count == 0) return result;

            List<GraphNode> At(int d) => nodesByDepth.TryGetValue(d, out var l) ? l : new List<GraphNode>();

            // Tracr's heuristic: a depth of only heads followed by a depth of only MLPs fit in one layer.
            int minDepth = nodesByDepth.Keys.First(), maxDepth = nodesByDepth.Keys.Last();
            for (int depth = minDepth; depth < maxDepth; depth++)
            {
                if (At(depth).All(IsAttention) && At(depth + 1).All(IsMlp))
                {
                    for (int update = depth + 1; update <= maxDepth; update++)
                    {
                        foreach (var n in At(update)) depthByNode[n] = update - 1;
                        var lower = At(update - 1);
                        lower.AddRange(At(update));
                        nodesByDepth[update - 1] = lower;
                        nodesByDepth[update] = new List<GraphNode>();
                    }
                    maxDepth--;
                }
            }

            // Depth d occupies layer d-1: heads in its attention half, MLPs in its MLP half.
            int currentLayer = 0, currentDepth = 1;
            foreach (var kv in depthByNode.OrderBy(kv => kv.Value))
            {
                while (kv.Value > currentDepth)
                {
                    currentDepth++;
                    currentLayer += 2;
                }
                if (kv.Value != currentDepth)
                    throw new InvalidOperationException($"Internal error: node '{kv.Key.Label}' has a block but depth {kv.Value}.");
                result[kv.Key.Label] = currentLayer + (IsMlp(kv.Key) ? 1 : 0);
            }
            return result;
        }
    }

    /// <summary>What a node's craft block is, for layer allocation.</summary>
    internal enum CraftBlockKind { None, Attention, Mlp, AttentionThenMlp }
}
