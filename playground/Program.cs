// The Tracr.Generators playground: RASP programs compiled to transformers at BUILD time by the Tracr source
// generator (the [RaspProgram] methods in Programs.cs), run here without any compilation: each model is
// constant data in this assembly. Run it with
//
//     dotnet run --project playground
//
// (`dotnet run --project playground -- report reverse abcd > reverse.html` writes an HTML report instead,
// `-- export reverse DIR` the TransformerLens and ONNX exports: ReportCommand.cs, ExportCommand.cs.)
//
// For each program it prints the model's shape, runs a few examples, and checks the model against the RASP
// evaluator on those and on random inputs; then it looks inside one model (the residual stream decoded node
// by node after each block, and one head's attention pattern). Exit code 1 if any output disagrees.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Tracr;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr.Playground
{
    internal static class Showcase
    {
        private const int RandomInputs = 300;
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        private static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "report") return ReportCommand.Run(args);
            if (args.Length > 0 && args[0] == "export") return ExportCommand.Run(args);
            var total = Stopwatch.StartNew();
            Console.WriteLine("Tracr.Generators playground: RASP programs compiled to transformers at build time.");
            Console.WriteLine("Every model below is constant data emitted by the source generator; nothing is compiled at run time.");
            Console.WriteLine($"Each is checked against the RASP evaluator on its examples and on {RandomInputs} random inputs.");

            var results = new List<bool>
            {
                Show("reverse", "Library.MakeReverse(Tokens)", Reverse.Program, () => Reverse.Model,
                    Chars("abcde", "abc", "eabcda", "d")),
                Show("sort", "Library.MakeSort(Tokens, Tokens, maxSeqLen: 6, minKey: 1)", Sort.Program, () => Sort.Model,
                    Ints(new[] { 3, 1, 2 }, new[] { 9, 4, 4, 1, 7, 4 }, new[] { 5, 5, 5, 1 })),
                Show("hist", "Library.MakeHist()", Hist.Program, () => Hist.Model,
                    Chars("abac", "eeeee", "abcde")),
                Show("frac_prevs", "Library.MakeFracPrevs(Tokens == 'l')", FracPrevs.Program, () => FracPrevs.Model,
                    Chars("hello world", "lol", "held")),
                Show("shuffle_dyck", "Library.MakeShuffleDyck(new[] { \"()\", \"{}\" })", ShuffleDyck.Program, () => ShuffleDyck.Model,
                    Chars("({)}", "(){)}", "{(})()", "((")),
                Show("affine cipher", "Map(x => (7 * x + 3) % 10, Tokens)", AffineCipher.Program, () => AffineCipher.Model,
                    Ints(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }, new[] { 9, 9, 8 })),
                Show("repeats", "SequenceMap(==, Tokens, Aggregate(Select(Indices, Indices, (k, q) => k == q - 1), Tokens))",
                    Repeats.Program, () => Repeats.Model,
                    Chars("book", "abba", "keek")),
                Show("moving sum", "loop: sum = SequenceMap(a + b, sum, RaspHelpers.Lag(Tokens, lag)), lag 1..2",
                    MovingSum.Program, () => MovingSum.Model,
                    Ints(new[] { 1, 2, 3, 4, 5 }, new[] { 5, 0, 5, 0, 5, 0, 5, 0 })),
                Show("larger before (causal)", "SelectorWidth(Select(Tokens, Tokens, (k, q) => k > q)), Causal = true",
                    LargerBefore.Program, () => LargerBefore.Model,
                    Ints(new[] { 3, 1, 4, 1, 5 }, new[] { 6, 5, 4, 3, 2, 1 })),
            };

            InspectResidual("reverse", Reverse.Model, "abcd".ToCharArray());
            PrintAttention(Reverse.Model, "abcd".ToCharArray(), "reverse",
                "Select(indices, opp_idx, EQ): query i reads key n-1-i, the flipped diagonal. BOS only attends to itself.");
            PrintAttention(FracPrevs.Model, "hello".ToCharArray(), "frac_prevs",
                "Select(indices, indices, LEQ): query i averages keys 0..i, 1/(i+1) each; the value an 'l' carries is 1, any other token's 0.");

            int failed = results.Count(ok => !ok);
            Console.WriteLine();
            Console.WriteLine(new string('=', 100));
            Console.WriteLine(failed == 0
                ? $"{results.Count} build-time models: every output agrees with the RASP evaluator ({total.Elapsed.TotalSeconds.ToString("0.00", Inv)} s)."
                : $"{failed} of {results.Count} models DISAGREE with the RASP evaluator.");
            return failed == 0 ? 0 : 1;
        }

        // ------------------------------------------------------------------ one program

        /// <summary>Prints a model's shape and examples and checks it against the evaluator; true when everything agrees.</summary>
        private static bool Show<TToken, TOutput>(string name, string source, Func<SOp> program,
            Func<CompiledTransformer<TToken, TOutput>> getModel, TToken[][] examples) where TToken : notnull
        {
            // The first access runs the generated initializer: it wraps the constant data in a model (no compilation).
            var load = Stopwatch.StartNew();
            var model = getModel();
            load.Stop();
            var packed = model.Packed;
            bool causal = packed.Blocks.OfType<PackedAttention>().Any(a => a.Heads.Any(h => h.Causal));
            var rasp = program(); // the same method, run as ordinary C#: the program as RASP expressions

            Console.WriteLine();
            Console.WriteLine(new string('=', 100));
            Console.WriteLine($"{name}: {source}");
            Console.WriteLine($"  {TypeName(typeof(TToken))} tokens {{{string.Join(", ", model.Vocab.Select(t => FormatItem(t)))}}}, max_seq_len {model.MaxSeqLen}" +
                              (causal ? ", causal" : "") + $"; outputs {TypeName(typeof(TOutput), output: true)} ({packed.OutputEncoding.ToString().ToLowerInvariant()})");
            Console.WriteLine($"  {model.Summary}, {model.NonZeroParameterCount.ToString("N0", Inv)} non-zero parameters " +
                              $"(model ready in {load.Elapsed.TotalMilliseconds.ToString("0.0", Inv)} ms)");
            PrintBlocks(packed);

            bool ok = true;
            foreach (var input in examples)
            {
                var output = model.Predict(input);
                var (agree, expected) = Check(rasp, input, output, causal);
                ok &= agree;
                Console.WriteLine($"    {FormatSeq(input),-26} -> {FormatSeq(output)}" +
                                  (agree ? "" : $"   <-- DISAGREES with the evaluator: {expected}"));
            }

            // Random inputs: every length, every token.
            var random = new Random(20230101 + name.Length);
            int disagreements = 0;
            for (int i = 0; i < RandomInputs; i++)
            {
                var input = new TToken[random.Next(1, model.MaxSeqLen + 1)];
                for (int j = 0; j < input.Length; j++) input[j] = model.Vocab[random.Next(model.Vocab.Count)];
                var output = model.Predict(input);
                var (agree, expected) = Check(rasp, input, output, causal);
                if (agree) continue;
                if (disagreements++ < 3)
                    Console.WriteLine($"    {FormatSeq(input),-26} -> {FormatSeq(output)}   <-- DISAGREES with the evaluator: {expected}");
            }
            ok &= disagreements == 0;
            Console.WriteLine(disagreements == 0
                ? $"  {(ok ? "ok: the examples and " : "")}{RandomInputs} random inputs agree with the RASP evaluator"
                : $"  {disagreements} of {RandomInputs} random inputs DISAGREE with the RASP evaluator");
            return ok;
        }

        /// <summary>Runs the RASP evaluator on the same input; numerical outputs agree within 1e-3.</summary>
        private static (bool Agree, string Expected) Check<TToken, TOutput>(SOp program, TToken[] input, TOutput[] output, bool causal)
        {
            IReadOnlyList<Value> expected;
            try
            {
                expected = Rasp.Evaluate(program, input.Select(t => Value.From(t)).ToArray(), causal);
            }
            catch (Exception e)
            {
                return (false, "the evaluator failed: " + e.Message);
            }
            bool agree = expected.Count == output.Length;
            for (int i = 0; agree && i < output.Length; i++)
            {
                Value e = expected[i], a = Value.From(output[i]);
                agree = e == a || (e.IsNumeric && a.IsNumeric && Math.Abs(e.AsDouble - a.AsDouble) <= 1e-3);
            }
            return (agree, "[" + string.Join(", ", expected.Select(v => v.Repr())) + "]");
        }

        /// <summary>The blocks in order with what each computes, wrapped to the console width.</summary>
        private static void PrintBlocks(PackedModel packed)
        {
            var parts = packed.Blocks.Select(b => b switch
            {
                PackedAttention a => $"L{a.Layer} attn [{string.Join(", ", a.Heads.Select(h => h.Node))}]",
                PackedMlp m => $"L{m.Layer} mlp [{string.Join(", ", m.Nodes)}]",
                _ => b.Name,
            }).ToList();
            var line = new StringBuilder("  blocks:");
            foreach (var part in parts)
            {
                if (line.Length + part.Length + 2 > 100)
                {
                    Console.WriteLine(line.ToString().TrimEnd());
                    line.Clear().Append("         ");
                }
                line.Append(' ').Append(part).Append(part == parts[^1] ? "" : ",");
            }
            Console.WriteLine(line.ToString());
        }

        // ------------------------------------------------------------------ inspection

        /// <summary>
        /// One run seen from inside: after the embedding and after each block, how many residual dimensions are
        /// active and the value of every node that block wrote, decoded at each position.
        /// </summary>
        private static void InspectResidual<TToken, TOutput>(string name, CompiledTransformer<TToken, TOutput> model, TToken[] input) where TToken : notnull
        {
            var run = model.Apply(input);
            var labels = model.ResidualLabels;
            // Residual dimensions by node: "tokens:a" is node tokens, value a (categorical); "frac_prevs_1" is numerical.
            var nodes = labels.Select((label, dim) => (Node: label.Split(':')[0], Dim: dim))
                .GroupBy(x => x.Node).ToDictionary(g => g.Key, g => g.Select(x => x.Dim).ToArray());
            int positions = input.Length + 1;

            Console.WriteLine();
            Console.WriteLine(new string('=', 100));
            Console.WriteLine($"Inside {name} on {FormatSeq(input)}: the residual stream ({model.ResidualWidth} dimensions) after each block,");
            Console.WriteLine("with the number of dimensions active (non-zero at some position) and each node the block wrote, decoded.");

            var rows = new List<string[]> { Header(input) };
            var seen = new HashSet<string> { "one" }; // the constant dimension attention and MLPs read
            for (int stage = 0; stage < run.Residuals.Count; stage++)
            {
                var residual = run.Residuals[stage];
                var written = stage == 0 ? residual : run.LayerOutputs[stage - 1];
                int active = Enumerable.Range(0, model.ResidualWidth).Count(d => Enumerable.Range(0, positions).Any(p => Math.Abs(residual[p, d]) > 1e-6));
                string block = stage == 0 ? "embedding" : run.LayerNames[stage - 1];
                rows.Add(new[] { $"{block}: {active} of {model.ResidualWidth} dims active" });
                foreach (var (node, dims) in nodes)
                {
                    if (seen.Contains(node) || !dims.Any(d => Enumerable.Range(0, positions).Any(p => Math.Abs(written[p, d]) > 1e-6))) continue;
                    seen.Add(node);
                    var row = new List<string> { "  " + node };
                    for (int p = 0; p < positions; p++) row.Add(Decode(labels, dims, residual, p));
                    rows.Add(row.ToArray());
                }
            }
            PrintTable(rows, "  ");
        }

        /// <summary>The softmax weights of the head computing <paramref name="node"/> (a node label prefix), a row per query.</summary>
        private static void PrintAttention<TToken, TOutput>(CompiledTransformer<TToken, TOutput> model, TToken[] input, string node, string explanation) where TToken : notnull
        {
            var run = model.Apply(input);
            var head = run.Attention.First(h => h.Node.StartsWith(node, StringComparison.Ordinal));
            var header = Header(input);
            Console.WriteLine();
            Console.WriteLine($"Attention of head {head.Node} (layer {head.Layer}) on {FormatSeq(input)}: a row per query, a column per key.");
            Console.WriteLine(explanation);
            var grid = new List<string[]> { new[] { "query \\ key" }.Concat(header.Skip(1)).ToArray() };
            for (int q = 0; q <= input.Length; q++)
            {
                var row = new List<string> { header[q + 1] };
                for (int k = 0; k <= input.Length; k++)
                {
                    double w = head.Weights[q, k];
                    row.Add(w < 0.005 ? "." : w > 0.995 ? "1" : w.ToString("0.00", Inv));
                }
                grid.Add(row.ToArray());
            }
            PrintTable(grid, "  ");
        }

        /// <summary>Column titles: BOS, then the input tokens.</summary>
        private static string[] Header<TToken>(TToken[] input) => new[] { "", "BOS" }.Concat(input.Select(t => FormatItem(t))).ToArray();

        /// <summary>A node's value at one position: the label of its strongest dimension (categorical) or the number (numerical).</summary>
        private static string Decode(IReadOnlyList<string> labels, int[] dims, double[,] residual, int position)
        {
            if (dims.Length == 1 && !labels[dims[0]].Contains(':'))
                return FormatNumber(residual[position, dims[0]]);
            int best = dims.OrderByDescending(d => residual[position, d]).First();
            if (residual[position, best] < 0.5) return "·";
            string label = labels[best];
            string value = label.Substring(label.IndexOf(':') + 1);
            return value == "compiler_bos" ? "bos" : value;
        }

        private static void PrintTable(List<string[]> rows, string indent)
        {
            // Rows of one cell are section titles; the others are aligned in columns.
            var widths = new int[rows.Max(r => r.Length)];
            foreach (var row in rows.Where(r => r.Length > 1))
                for (int i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
            foreach (var row in rows)
            {
                if (row.Length == 1) { Console.WriteLine(indent + row[0]); continue; }
                var sb = new StringBuilder(indent);
                for (int i = 0; i < row.Length; i++)
                    sb.Append(i == 0 ? row[i].PadRight(widths[i] + 2) : row[i].PadLeft(widths[i] + 1));
                Console.WriteLine(sb.ToString().TrimEnd());
            }
        }

        // ------------------------------------------------------------------ formatting

        private static char[][] Chars(params string[] inputs) => inputs.Select(s => s.ToCharArray()).ToArray();

        private static int[][] Ints(params int[][] inputs) => inputs;

        /// <summary>Characters as one quoted string ("abc"); anything else as a list ([1, 2, None]).</summary>
        private static string FormatSeq<T>(IReadOnlyList<T> items)
        {
            bool text = items.Count > 0 && items.All(x => x is char || (x is string s && s.Length == 1));
            return text
                ? "\"" + string.Concat(items.Select(x => x!.ToString())) + "\""
                : "[" + string.Join(", ", items.Select(x => FormatItem(x))) + "]";
        }

        private static string FormatItem<T>(T item) => item switch
        {
            null => "None",
            char c => "'" + c + "'",
            string s => "'" + s + "'",
            bool b => b ? "True" : "False",
            double d => FormatNumber(d),
            Value v => v.Repr(),
            _ => Convert.ToString(item, Inv) ?? "",
        };

        /// <summary>Up to 3 decimals, no "-0".</summary>
        private static string FormatNumber(double x)
        {
            double r = Math.Round(x, 3);
            return (r == 0 ? 0 : r).ToString("0.###", Inv);
        }

        /// <summary>The C# name of a token or output type (outputs that may be None are nullable; strings are string?).</summary>
        private static string TypeName(Type type, bool output = false)
        {
            var inner = Nullable.GetUnderlyingType(type);
            string name = (inner ?? type) switch
            {
                var t when t == typeof(int) => "int",
                var t when t == typeof(char) => "char",
                var t when t == typeof(string) => "string",
                var t when t == typeof(bool) => "bool",
                var t when t == typeof(double) => "double",
                var t => t.Name,
            };
            return inner != null || (output && type == typeof(string)) ? name + "?" : name;
        }
    }
}
