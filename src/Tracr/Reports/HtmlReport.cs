using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr.Reports
{
    /// <summary>
    /// Renders one run of a compiled model as a self-contained HTML page (inline CSS and SVG, no script, nothing
    /// fetched): the program graph with encodings and value sets, the layer schedule, the residual stream after
    /// every block as a labelled heatmap, and every head's attention pattern.
    /// </summary>
    /// <remarks>
    /// Every drawn number carries its exact value in <c>data-value</c> (round-trip format) with its coordinates
    /// (<c>data-residual</c>, <c>data-pos</c>, <c>data-dim</c>; <c>data-layer</c>, <c>data-head</c>, <c>data-q</c>,
    /// <c>data-k</c>), so tools and tests can read the page back. Residual heatmaps draw only non-zero cells
    /// over a zero background: residuals are one-hot per node, so a model of width 4000 stays a few MB.
    /// </remarks>
    internal sealed class HtmlReport
    {
        private const int Cell = 14, Row = 13, MaxShownValues = 24;
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        private readonly StringBuilder _html = new StringBuilder();
        private readonly string _title;
        private readonly string _summary;
        private readonly PackedModel _packed;
        private readonly string[] _positions;
        private readonly ModelRun<string> _run;
        private readonly ReportGraph _graph;

        /// <param name="positions">A label per position: "BOS", then each input token.</param>
        /// <param name="run">The run, its outputs shown as text (one per input token).</param>
        public HtmlReport(string title, string summary, PackedModel packed, string[] positions, ModelRun<string> run,
            IReadOnlyDictionary<string, IReadOnlyList<Value>>? numericalValues)
        {
            _title = title;
            _summary = summary;
            _packed = packed;
            _positions = positions;
            _run = run;
            _graph = ReportGraph.From(packed, numericalValues);
        }

        public string Render()
        {
            _html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                 .Append("<title>").Append(E(_title)).Append(" — Tracr model report</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
            _html.Append("<h1>").Append(E(_title)).Append("</h1>\n<p class=\"summary\">").Append(E(_summary)).Append("</p>\n");
            Io();
            Graph();
            Schedule();
            Residuals();
            Attention();
            _html.Append("</body>\n</html>\n");
            return _html.ToString();
        }

        // ------------------------------------------------------------------ input and output

        private void Io()
        {
            _html.Append("<table class=\"io\" id=\"io\">\n<tr><th>position</th>");
            for (int p = 0; p < _positions.Length; p++) _html.Append("<td>").Append(p).Append("</td>");
            _html.Append("</tr>\n<tr><th>input</th>");
            foreach (var t in _positions) _html.Append("<td class=\"token\">").Append(E(t)).Append("</td>");
            _html.Append("</tr>\n<tr><th>output</th><td></td>");
            foreach (var o in _run.Outputs) _html.Append("<td class=\"output\">").Append(E(o)).Append("</td>");
            _html.Append("</tr>\n</table>\n");
        }

        // ------------------------------------------------------------------ program graph

        private void Graph()
        {
            _html.Append("<h2 id=\"graph\">Program graph</h2>\n<p>Read from the weights: a node per residual subspace, an edge where the block that writes a node reads another. Columns are blocks.</p>\n");
            var columns = _graph.Nodes.GroupBy(n => n.Block).OrderBy(g => g.Key).ToList();
            const int boxW = 160, boxH = 46, gapX = 36, gapY = 14;
            var position = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
            for (int c = 0; c < columns.Count; c++)
            {
                int r = 0;
                foreach (var n in columns[c]) position[n.Name] = (10 + c * (boxW + gapX), 30 + r++ * (boxH + gapY));
            }
            double width = 20 + columns.Count * (boxW + gapX) - gapX, height = 40 + columns.Max(g => g.Count()) * (boxH + gapY);
            Svg("graph-svg", width, height);
            for (int c = 0; c < columns.Count; c++)
            {
                string header = columns[c].Key < 0 ? "embedding" : _packed.Blocks[columns[c].Key].Name;
                _html.Append($"<text class=\"colhead\" x=\"{F(10 + c * (boxW + gapX))}\" y=\"16\">{E(header)}</text>\n");
            }
            foreach (var n in _graph.Nodes)
                foreach (var input in n.Inputs)
                {
                    var (x1, y1) = position[input];
                    var (x2, y2) = position[n.Name];
                    x1 += boxW;
                    y1 += boxH / 2.0;
                    y2 += boxH / 2.0;
                    double mid = (x1 + x2) / 2;
                    _html.Append($"<path class=\"edge\" data-from=\"{E(input)}\" data-to=\"{E(n.Name)}\" d=\"M{F(x1)},{F(y1)} C{F(mid)},{F(y1)} {F(mid)},{F(y2)} {F(x2)},{F(y2)}\"/>\n");
                }
            foreach (var n in _graph.Nodes)
            {
                var (x, y) = position[n.Name];
                string kind = n.Name == "one" ? "constant" : n.Numerical ? "numerical" : "categorical";
                _html.Append($"<g class=\"node {kind}\" data-node=\"{E(n.Name)}\" data-encoding=\"{kind}\">")
                     .Append($"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{boxW}\" height=\"{boxH}\" rx=\"6\"/>")
                     .Append($"<text x=\"{F(x + 8)}\" y=\"{F(y + 17)}\" class=\"name\">{E(Clip(n.Name, 22))}</text>")
                     .Append($"<text x=\"{F(x + 8)}\" y=\"{F(y + 35)}\" class=\"values\">{E(Clip(kind + ": " + ValueText(n, 8), 28))}</text>")
                     .Append($"<title>{E(n.Name)} ({kind}): {E(ValueText(n, MaxShownValues))}</title></g>\n");
            }
            _html.Append("</svg></div>\n");

            _html.Append("<table class=\"nodes\" id=\"nodes\">\n<tr><th>node</th><th>encoding</th><th>value set</th><th>residual dims</th><th>written by</th><th>reads</th></tr>\n");
            foreach (var n in _graph.Nodes)
            {
                string kind = n.Name == "one" ? "constant" : n.Numerical ? "numerical" : "categorical";
                _html.Append($"<tr data-node=\"{E(n.Name)}\"><td>{E(n.Name)}</td><td>{kind}</td><td class=\"valueset\">{E(ValueText(n, MaxShownValues))}</td>")
                     .Append($"<td>{n.Dims.Count} ({n.Dims[0]}–{n.Dims[^1]})</td><td>{E(n.Block < 0 ? "embedding" : _packed.Blocks[n.Block].Name)}</td>")
                     .Append($"<td>{E(string.Join(", ", n.Inputs))}</td></tr>\n");
            }
            _html.Append("</table>\n");
        }

        private static string ValueText(ReportNode n, int max)
        {
            if (n.Values.Count == 0) return "values not in the weights";
            var shown = n.Values.Take(max);
            return "{" + string.Join(", ", shown) + (n.Values.Count > max ? $", … (+{n.Values.Count - max})" : "") + "}";
        }

        // ------------------------------------------------------------------ layer schedule

        private void Schedule()
        {
            _html.Append("<h2 id=\"schedule\">Layer schedule</h2>\n<table class=\"schedule\">\n<tr><th>block</th><th>computes</th><th>reads</th><th>size</th></tr>\n");
            for (int b = 0; b < _packed.Blocks.Length; b++)
            {
                var block = _packed.Blocks[b];
                if (block is PackedAttention a)
                {
                    for (int h = 0; h < a.Heads.Length; h++)
                    {
                        var head = a.Heads[h];
                        _html.Append($"<tr data-block=\"{E(block.Name)}\" data-head=\"{h}\"><td>{E(block.Name)}, head {h}</td><td>{E(head.Node)}</td>")
                             .Append($"<td>query {E(Names(head.QueryDims))}; key {E(Names(head.KeyDims))}; value {E(Names(head.ValueDims))}</td>")
                             .Append($"<td>W_QK {head.QueryDims.Length}×{head.KeyDims.Length}, W_OV {head.ValueDims.Length}×{head.OutputDims.Length}{(head.Causal ? ", causal" : "")}</td></tr>\n");
                    }
                }
                else if (block is PackedMlp m)
                {
                    _html.Append($"<tr data-block=\"{E(block.Name)}\"><td>{E(block.Name)}</td><td>{E(string.Join(", ", m.Nodes))}</td>")
                         .Append($"<td>{E(Names(m.InputDims))}</td><td>{m.InputDims.Length} → {m.HiddenSize} hidden → {m.OutputDims.Length}</td></tr>\n");
                }
            }
            _html.Append("</table>\n");
        }

        private string Names(IEnumerable<int> dims) => string.Join(", ", dims.Select(d => _graph.NodeOf(d).Name).Distinct());

        // ------------------------------------------------------------------ residual stream

        private void Residuals()
        {
            _html.Append("<h2 id=\"residuals\">Residual stream</h2>\n<p>After the embedding and after every block; a row per residual dimension, a column per position. Blue is positive, red negative, white zero.</p>\n");
            int n = _positions.Length, width = _packed.Width;
            double max = _run.Residuals.Max(r => MaxAbs(r));
            int labelWidth = 8 + 7 * Math.Min(40, _packed.ResidualLabels.Max(l => l.Length));
            int groupWidth = Math.Max(n * Cell + 14, 70);
            double top = 84;
            Svg("residual-svg", labelWidth + _run.Residuals.Count * groupWidth, top + width * Row + 6);
            for (int d = 0; d < width; d++)
            {
                var node = _graph.NodeOf(d);
                bool firstOfNode = node.Dims[0] == d;
                if (firstOfNode && d > 0)
                    _html.Append($"<line class=\"nodesep\" x1=\"0\" x2=\"{labelWidth + _run.Residuals.Count * groupWidth}\" y1=\"{F(top + d * Row)}\" y2=\"{F(top + d * Row)}\"/>\n");
                _html.Append($"<text class=\"rowlabel\" data-dim=\"{d}\" x=\"{labelWidth - 6}\" y=\"{F(top + d * Row + Row - 3)}\">{E(Clip(_packed.ResidualLabels[d], 40))}</text>\n");
            }
            for (int i = 0; i < _run.Residuals.Count; i++)
            {
                var r = _run.Residuals[i];
                string name = i == 0 ? "embedding" : _run.LayerNames[i - 1];
                double x0 = labelWidth + i * groupWidth;
                _html.Append($"<g class=\"residual\" data-residual=\"{i}\" data-block=\"{E(name)}\">")
                     .Append($"<text class=\"colhead\" x=\"{F(x0)}\" y=\"12\">{E(i == 0 ? "embedding" : "after")}</text>")
                     .Append($"<text class=\"colhead\" x=\"{F(x0)}\" y=\"25\">{E(i == 0 ? "" : name.Replace(" attention", "").Replace(" mlp", ""))}</text>")
                     .Append($"<text class=\"colhead\" x=\"{F(x0)}\" y=\"38\">{E(i == 0 ? "" : name.EndsWith("mlp", StringComparison.Ordinal) ? "mlp" : "attention")}</text>");
                for (int p = 0; p < n; p++)
                    _html.Append($"<text class=\"poslabel\" x=\"{F(x0 + p * Cell + Cell / 2.0)}\" y=\"{F(top - 6)}\" transform=\"rotate(-60 {F(x0 + p * Cell + Cell / 2.0)} {F(top - 6)})\">{E(Clip(_positions[p], 6))}</text>");
                _html.Append($"<rect class=\"zero\" x=\"{F(x0)}\" y=\"{F(top)}\" width=\"{n * Cell}\" height=\"{width * Row}\"/>\n");
                for (int p = 0; p < n; p++)
                    for (int d = 0; d < width; d++)
                    {
                        double v = r[p, d];
                        if (v == 0) continue;
                        _html.Append($"<rect class=\"cell\" data-pos=\"{p}\" data-dim=\"{d}\" data-value=\"{R(v)}\" x=\"{F(x0 + p * Cell)}\" y=\"{F(top + d * Row)}\" width=\"{Cell}\" height=\"{Row}\" fill=\"{Color(v, max)}\">")
                             .Append($"<title>{E(_packed.ResidualLabels[d])} at {E(_positions[p])} ({p}): {R(v)}</title></rect>\n");
                    }
                _html.Append("</g>\n");
            }
            _html.Append("</svg></div>\n");
        }

        // ------------------------------------------------------------------ attention

        private void Attention()
        {
            _html.Append("<h2 id=\"attention\">Attention patterns</h2>\n<p>Softmax weights of every head: a row per query position, a column per key position.</p>\n<div class=\"heads\">\n");
            int n = _positions.Length;
            int labelWidth = 8 + 7 * Math.Min(8, _positions.Max(p => p.Length));
            foreach (var head in _run.Attention)
            {
                _html.Append($"<figure class=\"head\" data-layer=\"{head.Layer}\" data-head=\"{head.Head}\" data-node=\"{E(head.Node)}\"><figcaption>layer {head.Layer} head {head.Head}: {E(head.Node)}</figcaption>\n");
                double top = labelWidth;
                Svg("head-svg", labelWidth + n * Cell + 4, top + n * Cell + 4);
                for (int p = 0; p < n; p++)
                {
                    string label = E(Clip(_positions[p], 8));
                    _html.Append($"<text class=\"rowlabel\" x=\"{labelWidth - 4}\" y=\"{F(top + p * Cell + Cell - 3)}\">{label}</text>")
                         .Append($"<text class=\"poslabel\" x=\"{F(labelWidth + p * Cell + Cell / 2.0)}\" y=\"{F(top - 4)}\" transform=\"rotate(-60 {F(labelWidth + p * Cell + Cell / 2.0)} {F(top - 4)})\">{label}</text>\n");
                }
                for (int q = 0; q < n; q++)
                    for (int k = 0; k < n; k++)
                    {
                        double w = head.Weights[q, k];
                        _html.Append($"<rect class=\"cell\" data-q=\"{q}\" data-k=\"{k}\" data-value=\"{R(w)}\" x=\"{F(labelWidth + k * Cell)}\" y=\"{F(top + q * Cell)}\" width=\"{Cell}\" height=\"{Cell}\" fill=\"{Color(w, 1)}\">")
                             .Append($"<title>query {q} → key {k}: {R(w)}</title></rect>\n");
                    }
                _html.Append("</svg></div></figure>\n");
            }
            _html.Append("</div>\n");
        }

        // ------------------------------------------------------------------ helpers

        private void Svg(string cssClass, double width, double height) =>
            _html.Append($"<div class=\"scroll\"><svg class=\"{cssClass}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(width)} {F(height)}\">\n");

        private static double MaxAbs(double[,] m)
        {
            double max = 0;
            foreach (double v in m) max = Math.Max(max, Math.Abs(v));
            return max;
        }

        /// <summary>White at 0, saturating blue (positive) or red (negative) at |v| = max; small values stay visible.</summary>
        private static string Color(double v, double max)
        {
            double t = max <= 0 ? 0 : Math.Min(1, Math.Abs(v) / max);
            t = t == 0 ? 0 : 0.15 + 0.85 * Math.Sqrt(t);
            int fade = (int)Math.Round(255 * (1 - t));
            return v >= 0 ? $"rgb({fade},{(int)Math.Round(255 - 165 * t)},255)" : $"rgb(255,{fade},{fade})";
        }

        private static string Clip(string s, int max) => s.Length <= max ? s : s.Substring(0, max - 1) + "…";

        private static string E(string s) => WebUtility.HtmlEncode(s);

        private static string F(double v) => v.ToString("0.##", Inv);

        private static string R(double v) => v.ToString("R", Inv);

        private const string Css = @"body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 13px; margin: 16px; color: #222; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 22px 0 6px; border-bottom: 1px solid #ccc; }
.summary { color: #555; margin: 0 0 10px; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } .io td { text-align: center; min-width: 22px; } .io .output { font-weight: bold; }
.valueset { max-width: 520px; word-break: break-word; }
.scroll { overflow-x: auto; max-width: 100%; }
svg text { font-family: 'DejaVu Sans Mono', monospace; font-size: 10px; fill: #222; }
.colhead { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 11px; font-weight: bold; }
.rowlabel { text-anchor: end; } .poslabel { text-anchor: start; }
.edge { fill: none; stroke: #9aa; stroke-width: 1.2; }
.node rect { fill: #eef4ff; stroke: #57a; } .node.numerical rect { fill: #fff4e6; stroke: #c83; } .node.constant rect { fill: #f2f2f2; stroke: #888; }
.node .name { font-weight: bold; font-size: 11px; } .node .values { fill: #555; }
.zero { fill: #fff; stroke: #ccc; } .cell { stroke: #fff; stroke-width: 0.3; } .nodesep { stroke: #ddd; stroke-width: 0.6; }
.heads { display: flex; flex-wrap: wrap; gap: 12px; } figure.head { margin: 0; border: 1px solid #ddd; padding: 6px; }
figcaption { font-weight: bold; margin-bottom: 4px; }
";
    }
}
