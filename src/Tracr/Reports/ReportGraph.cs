using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr.Reports
{
    /// <summary>A RASP node as the residual stream shows it: the dimensions named <c>name:value</c> (categorical) or <c>name</c> (numerical).</summary>
    internal sealed class ReportNode
    {
        public ReportNode(string name, bool numerical, List<int> dims, List<string> values)
        {
            Name = name;
            Numerical = numerical;
            Dims = dims;
            Values = values;
        }

        public string Name { get; }
        public bool Numerical { get; }

        /// <summary>Residual dimensions of the node, in residual order.</summary>
        public List<int> Dims { get; }

        /// <summary>The value set: one value per dimension (categorical), or the compiler's value set when known (numerical).</summary>
        public List<string> Values { get; set; }

        /// <summary>Index of the block that writes the node, or -1 for the embedded inputs (tokens, indices, one).</summary>
        public int Block { get; set; } = -1;

        /// <summary>Nodes whose dimensions the writing block reads to compute this one.</summary>
        public SortedSet<string> Inputs { get; } = new SortedSet<string>(StringComparer.Ordinal);
    }

    /// <summary>
    /// The program graph read from a compiled model's weights alone, so that models compiled at build time (which
    /// carry no RASP graph) get the same report: nodes from the residual labels, an edge wherever the block that
    /// writes a node reads another node's dimensions (for a combined MLP, through the hidden units that feed the
    /// node's outputs).
    /// </summary>
    internal sealed class ReportGraph
    {
        private ReportGraph(List<ReportNode> nodes, int[] nodeOfDim)
        {
            Nodes = nodes;
            NodeOfDim = nodeOfDim;
        }

        public List<ReportNode> Nodes { get; }

        /// <summary>The index in <see cref="Nodes"/> of each residual dimension's node.</summary>
        public int[] NodeOfDim { get; }

        public ReportNode NodeOf(int dim) => Nodes[NodeOfDim[dim]];

        /// <param name="numericalValues">Value sets of numerical nodes, when the compiler's graph is at hand.</param>
        public static ReportGraph From(PackedModel packed, IReadOnlyDictionary<string, IReadOnlyList<Value>>? numericalValues)
        {
            var nodes = new List<ReportNode>();
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);
            var nodeOfDim = new int[packed.Width];
            for (int d = 0; d < packed.Width; d++)
            {
                string label = packed.ResidualLabels[d];
                int colon = label.IndexOf(':');
                string name = colon < 0 ? label : label.Substring(0, colon);
                if (!byName.TryGetValue(name, out int index))
                {
                    index = nodes.Count;
                    byName[name] = index;
                    nodes.Add(new ReportNode(name, colon < 0 && name != "one", new List<int>(), new List<string>()));
                }
                nodes[index].Dims.Add(d);
                nodes[index].Values.Add(colon < 0 ? "" : label.Substring(colon + 1));
                nodeOfDim[d] = index;
            }
            foreach (var n in nodes.Where(n => n.Numerical))
                n.Values = numericalValues != null && numericalValues.TryGetValue(n.Name, out var vs)
                    ? vs.Select(v => v.ToString()).ToList()
                    : new List<string>();
            if (byName.TryGetValue("one", out int one)) nodes[one].Values = new List<string> { "1" };

            var graph = new ReportGraph(nodes, nodeOfDim);
            for (int b = 0; b < packed.Blocks.Length; b++)
            {
                if (packed.Blocks[b] is PackedAttention attention)
                {
                    foreach (var head in attention.Heads)
                        foreach (int o in head.OutputDims)
                        {
                            var target = graph.NodeOf(o);
                            graph.Write(target, b);
                            foreach (int i in head.QueryDims.Concat(head.KeyDims).Concat(head.ValueDims)) graph.Read(target, i);
                        }
                }
                else if (packed.Blocks[b] is PackedMlp mlp)
                {
                    // Hidden unit h feeds output j when W2[h, j] != 0, and reads input i when W1[i, h] != 0.
                    var readsOfHidden = new List<int>[mlp.HiddenSize];
                    for (int h = 0; h < mlp.HiddenSize; h++) readsOfHidden[h] = new List<int>();
                    ForEach(mlp.W1, (i, h, v) => readsOfHidden[h].Add(mlp.InputDims[i]));
                    ForEach(mlp.W2, (h, j, v) =>
                    {
                        var target = graph.NodeOf(mlp.OutputDims[j]);
                        graph.Write(target, b);
                        foreach (int i in readsOfHidden[h]) graph.Read(target, i);
                    });
                }
            }
            return graph;
        }

        private void Write(ReportNode node, int block)
        {
            if (node.Block < 0) node.Block = block;
        }

        private void Read(ReportNode target, int dim)
        {
            var source = NodeOf(dim);
            if (source != target) target.Inputs.Add(source.Name);
        }

        private static void ForEach(RunMatrix m, Action<int, int, double> visit)
        {
            for (int r = 0; r < m.Rows; r++)
                for (int i = m.RowStart[r]; i < m.RowStart[r + 1]; i++)
                    if (m.RunValue[i] != 0)
                        for (int c = m.RunColumn[i]; c < m.RunColumn[i] + m.RunLength[i]; c++) visit(r, c, m.RunValue[i]);
        }
    }
}
