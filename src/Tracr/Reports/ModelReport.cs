using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Reports;
using Tracr.Transformer;

namespace Tracr
{
    /// <summary>
    /// A self-contained HTML report of one run of a compiled model (docs/export.md#html-report): the program graph
    /// with encodings and value sets, the layer schedule, the residual stream after every block as a labelled
    /// heatmap and each head's attention pattern. One page, inline CSS and SVG, nothing fetched.
    /// </summary>
    public static class ModelReport
    {
        /// <summary>Runs <paramref name="model"/> on <paramref name="tokens"/> (BOS added) and renders the run.</summary>
        /// <exception cref="ArgumentException">A token is not in the vocab, or the input is too long.</exception>
        public static string ToHtmlReport(this CompiledModel model, IEnumerable<Value> tokens, string title = "program")
        {
            if (model is null) throw new ArgumentNullException(nameof(model));
            var input = (tokens ?? throw new ArgumentNullException(nameof(tokens))).ToArray();
            var run = model.Apply(input);
            // The compiler's graph knows numerical nodes' value sets, which residual labels do not spell out.
            var numerical = model.Graph.Nodes.Where(n => n.ValueSet != null).ToDictionary(n => n.Label, n => n.ValueSet!, StringComparer.Ordinal);
            return new HtmlReport(title, model.Summary, model.Packed, Positions(input.Select(v => v.Repr())),
                run.WithOutputs(run.Outputs.Select(v => v.Repr()).ToArray()), numerical).Render();
        }

        /// <inheritdoc cref="ToHtmlReport(CompiledModel, IEnumerable{Value}, string)"/>
        /// <param name="title">The page's title; the program's method name when null.</param>
        public static string ToHtmlReport<TToken, TOutput>(this CompiledTransformer<TToken, TOutput> model, IEnumerable<TToken> tokens, string? title = null) where TToken : notnull
        {
            if (model is null) throw new ArgumentNullException(nameof(model));
            var input = (tokens ?? throw new ArgumentNullException(nameof(tokens))).ToArray();
            var run = model.Apply(input);
            return new HtmlReport(title ?? model.ProgramName, model.Summary, model.Packed, Positions(input.Select(Show)),
                run.WithOutputs(run.Outputs.Select(o => Show(o)).ToArray()), null).Render();
        }

        private static string[] Positions(IEnumerable<string> tokens) => new[] { "BOS" }.Concat(tokens).ToArray();

        private static string Show<T>(T value) => value switch
        {
            null => "None",
            Value v => v.Repr(),
            double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }
}
