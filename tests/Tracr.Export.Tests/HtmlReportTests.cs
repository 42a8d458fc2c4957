using System.Collections.Generic;
using System;
using System.Globalization;
using System.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Xunit;

namespace Tracr.Export.Tests
{
    /// <summary>
    /// The HTML report, parsed as a browser parses it (AngleSharp), shows every residual label, every block and
    /// head, and the run's exact numbers: every non-zero residual entry and every attention weight.
    /// </summary>
    public sealed class HtmlReportTests
    {
        public static readonly object[][] Cases =
        {
            new object[] { "library_reverse" }, new object[] { "library_sort_causal" }, new object[] { "lib_make_sort_freq" },
            new object[] { "lib_make_frac_prevs" }, new object[] { "integ_map" }, new object[] { "extra_two_heads_one_layer" },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Report_ShowsTheRunsNumbers(string name)
        {
            var c = ExportCases.Get(name);
            var input = c.Inputs[0];
            var run = c.Model.Apply(input);
            var doc = Parse(c.Model.ToHtmlReport(input, name));
            var packed = c.Model.Packed;

            // Every residual label, in residual order.
            var rows = doc.QuerySelectorAll(".residual-svg text.rowlabel");
            Assert.Equal(packed.ResidualLabels.Select(Clip), rows.Select(r => r.TextContent));
            Assert.Equal(Enumerable.Range(0, packed.Width).Select(d => d.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r.GetAttribute("data-dim")));

            // A heatmap per residual: the embedding, then each block by name; its cells are exactly the run's non-zeros.
            var groups = doc.QuerySelectorAll("g.residual");
            Assert.Equal(new[] { "embedding" }.Concat(run.LayerNames), groups.Select(g => g.GetAttribute("data-block")));
            for (int i = 0; i < run.Residuals.Count; i++)
            {
                var r = run.Residuals[i];
                var cells = groups[i].QuerySelectorAll("rect.cell")
                    .ToDictionary(e => (Int(e, "data-pos"), Int(e, "data-dim")), e => Double(e, "data-value"));
                int nonZero = 0;
                for (int p = 0; p < r.GetLength(0); p++)
                    for (int d = 0; d < r.GetLength(1); d++)
                    {
                        if (r[p, d] == 0) continue;
                        nonZero++;
                        Assert.True(cells.TryGetValue((p, d), out double shown), $"{name} residual {i}: no cell for {packed.ResidualLabels[d]} at position {p}");
                        Assert.Equal(r[p, d], shown);
                    }
                Assert.Equal(nonZero, cells.Count);
            }

            // Every block in the schedule, every head with its attention weights.
            var schedule = doc.QuerySelectorAll("table.schedule tr[data-block]").Select(e => e.GetAttribute("data-block")).Distinct();
            Assert.Equal(packed.Blocks.Select(b => b.Name), schedule);
            var heads = doc.QuerySelectorAll("figure.head");
            Assert.Equal(run.Attention.Count, heads.Length);
            foreach (var (head, figure) in run.Attention.Zip(heads))
            {
                Assert.Equal(head.Layer, Int(figure, "data-layer"));
                Assert.Equal(head.Head, Int(figure, "data-head"));
                Assert.Equal(head.Node, figure.GetAttribute("data-node"));
                var cells = figure.QuerySelectorAll("rect.cell");
                int n = input.Length + 1;
                Assert.Equal(n * n, cells.Length);
                foreach (var cell in cells) Assert.Equal(head.Weights[Int(cell, "data-q"), Int(cell, "data-k")], Double(cell, "data-value"));
            }

            // Input and output rows.
            Assert.Equal(new[] { "BOS" }.Concat(input.Select(v => v.Repr())), doc.QuerySelectorAll("#io td.token").Select(e => e.TextContent));
            Assert.Equal(run.Outputs.Select(v => v.Repr()), doc.QuerySelectorAll("#io td.output").Select(e => e.TextContent));
        }

        [Fact]
        public void Graph_ShowsEveryNodeWithItsEncodingAndValueSet()
        {
            var c = ExportCases.Get("lib_make_frac_prevs");
            var doc = Parse(c.Model.ToHtmlReport(c.Inputs[0]));
            foreach (var node in c.Model.Graph.Nodes.Where(n => n.IsSOp && n.OutputSpace != null && n.OutputSpace.Basis.Count > 0))
            {
                var row = doc.QuerySelector($"table.nodes tr[data-node='{node.Label}']");
                Assert.True(row != null, $"no row for {node.Label}");
                var encoding = node.OutputSpace!.Basis.All(b => b.Value.IsNone) ? "numerical" : "categorical";
                Assert.Equal(encoding, row!.Children[1].TextContent);
                // The compiler's value set, numerical ones included.
                foreach (var v in node.ValueSet!.Take(10)) Assert.Contains(v.ToString(), row.Children[2].TextContent);
                Assert.NotNull(doc.QuerySelector($".graph-svg g.node[data-node='{node.Label}']"));
            }
            // frac_prevs reads the map of tokens == "l" through its head: an edge says so.
            var frac = c.Model.Graph.Sink.Label;
            Assert.NotEmpty(doc.QuerySelectorAll($".graph-svg path.edge[data-to='{frac}']"));
        }

        [Fact]
        public void BuildTimeModel_ReportMatchesTheRunTimeOne()
        {
            var runtime = RaspCompiler.Compile(BuildTimeModels.Reverse(), "abcd".Select(ch => (Value)ch.ToString()), 5);
            var generated = Parse(BuildTimeModels.ReverseModel.ToHtmlReport("dcab".Select(ch => ch.ToString()), "reverse"));
            var compiled = Parse(runtime.ToHtmlReport("dcab".Select(ch => (Value)ch.ToString()), "reverse"));
            // The same cells with the same numbers, up to the float32 arithmetic of the generated forward code.
            static (string Key, double Value)[] Cells(IDocument d) => d.QuerySelectorAll("rect.cell").Select(e =>
                ($"{e.Closest("g.residual")?.GetAttribute("data-residual")}{e.Closest("figure.head")?.GetAttribute("data-layer")}/{e.Closest("figure.head")?.GetAttribute("data-head")}:{e.GetAttribute("data-pos")}{e.GetAttribute("data-q")},{e.GetAttribute("data-dim")}{e.GetAttribute("data-k")}",
                 Double(e, "data-value"))).ToArray();
            // A cell is drawn only where the value is non-zero, and float32 flushes the reference's e^-100-sized
            // attention leftovers to zero, so compare over the union of cells with missing ones as 0.
            var expected = Cells(compiled).ToDictionary(c => c.Key, c => c.Value);
            var actual = Cells(generated).ToDictionary(c => c.Key, c => c.Value);
            Assert.True(expected.Count > 100);
            foreach (var key in expected.Keys.Union(actual.Keys))
            {
                double e = expected.GetValueOrDefault(key), a = actual.GetValueOrDefault(key);
                Assert.True(Math.Abs(e - a) <= 1e-6 * Math.Max(1, Math.Abs(e)), $"{key}: {e} vs {a}");
            }
            Assert.Equal(new[] { "b", "a", "c", "d" }, generated.QuerySelectorAll("#io td.output").Select(e => e.TextContent));
        }

        [Fact]
        public void Report_IsSelfContained()
        {
            var c = ExportCases.Get("library_reverse");
            var html = c.Model.ToHtmlReport(c.Inputs[0]);
            var doc = Parse(html);
            Assert.Empty(doc.QuerySelectorAll("script, link, img, iframe, object, embed"));
            Assert.DoesNotContain("url(", html);
            Assert.All(doc.QuerySelectorAll("[src], [href]"), e => Assert.Fail($"external reference in <{e.LocalName}>"));
            Assert.Single(doc.QuerySelectorAll("style"));
        }

        [Fact]
        public void Report_NamesTheBadToken()
        {
            var c = ExportCases.Get("library_reverse");
            var ex = Assert.Throws<ArgumentException>(() => c.Model.ToHtmlReport(new Value[] { "a", "z" }));
            Assert.Contains("'z' at position 1", ex.Message);
        }

        private static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

        private static int Int(IElement e, string attribute) => int.Parse(e.GetAttribute(attribute)!, CultureInfo.InvariantCulture);

        private static double Double(IElement e, string attribute) => double.Parse(e.GetAttribute(attribute)!, CultureInfo.InvariantCulture);

        private static string Clip(string s) => s.Length <= 40 ? s : s.Substring(0, 39) + "…";
    }
}
