using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Tracr.Tests.Golden
{
    /// <summary>
    /// Reader for the reference files produced by DeepMind's Python Tracr (see Golden/README.md):
    /// one JSON file per case, copied next to the test assembly.
    /// </summary>
    internal static class GoldenData
    {
        public static string Directory => Path.Combine(AppContext.BaseDirectory, "Golden");

        /// <summary>Every case name (file name without <c>.json</c>), sorted; <c>_index.json</c> is not a case.</summary>
        public static IReadOnlyList<string> CaseNames { get; } = System.IO.Directory
            .GetFiles(Directory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n != null && !n.StartsWith("_", StringComparison.Ordinal))
            .Select(n => n!)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();

        private static readonly Dictionary<string, GoldenCase> Cache = new Dictionary<string, GoldenCase>(StringComparer.Ordinal);

        public static GoldenCase Load(string name)
        {
            lock (Cache)
            {
                if (!Cache.TryGetValue(name, out var c))
                {
                    using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, name + ".json")));
                    c = new GoldenCase(doc.RootElement);
                    Cache[name] = c;
                }
                return c;
            }
        }

        /// <summary>
        /// A JSON value as a RASP value: numbers written with a point or exponent are floats, other
        /// numbers ints; lists are tuples (Tracr's tuples are written as lists).
        /// </summary>
        public static Value ToValue(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    return Value.None;
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.String:
                    return e.GetString()!;
                case JsonValueKind.Number:
                    var raw = e.GetRawText();
                    if (raw.IndexOfAny(new[] { '.', 'e', 'E' }) >= 0) return e.GetDouble();
                    return e.GetInt64();
                case JsonValueKind.Array:
                    return Value.Tuple(e.EnumerateArray().Select(ToValue).ToArray());
                default:
                    throw new FormatException("Unexpected JSON value " + e.GetRawText());
            }
        }

        /// <summary>A JSON value with a declared Python type (<c>int</c>, <c>float</c>, <c>str</c>, <c>bool</c>, <c>tuple</c>).</summary>
        public static Value ToValue(JsonElement e, string? pythonType) => pythonType switch
        {
            "float" when e.ValueKind == JsonValueKind.Number => Value.FromFloat(e.GetDouble()),
            "int" when e.ValueKind == JsonValueKind.Number => Value.FromInt(e.GetInt64()),
            _ => ToValue(e),
        };

        public static Value[] ToValues(JsonElement array) => array.EnumerateArray().Select(ToValue).ToArray();

        public static string? OptString(this JsonElement e, string property) =>
            e.TryGetProperty(property, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

        public static JsonElement? Opt(this JsonElement e, string property) =>
            e.TryGetProperty(property, out var p) && p.ValueKind != JsonValueKind.Null ? p : (JsonElement?)null;

        public static double[,] ToMatrix(JsonElement rows, int rowCount, int colCount)
        {
            var m = new double[rowCount, colCount];
            int i = 0;
            foreach (var row in rows.EnumerateArray())
            {
                int j = 0;
                foreach (var x in row.EnumerateArray()) m[i, j++] = x.GetDouble();
                if (j != colCount) throw new FormatException($"Row {i} has {j} entries, expected {colCount}.");
                i++;
            }
            if (i != rowCount) throw new FormatException($"Matrix has {i} rows, expected {rowCount}.");
            return m;
        }
    }

    /// <summary>A residual / hidden basis direction as Tracr wrote it.</summary>
    internal sealed class GoldenDirection
    {
        public GoldenDirection(JsonElement e)
        {
            Name = e.GetProperty("name").GetString()!;
            Value = e.TryGetProperty("value", out var v) ? GoldenData.ToValue(v, e.OptString("value_type")) : Value.None;
            Label = e.GetProperty("label").GetString()!;
        }

        public string Name { get; }
        public Value Value { get; }

        /// <summary>Python's <c>name</c> or <c>name:str(value)</c>.</summary>
        public string Label { get; }

        public override string ToString() => Label;
    }

    /// <summary>A matrix with its row and column bases (Tracr's <c>VectorSpaceWithBasis</c> pairs).</summary>
    internal sealed class GoldenMatrix
    {
        public GoldenMatrix(JsonElement e, string rowsProperty, string colsProperty)
        {
            Rows = e.GetProperty(rowsProperty).EnumerateArray().Select(d => new GoldenDirection(d)).ToArray();
            Cols = e.GetProperty(colsProperty).EnumerateArray().Select(d => new GoldenDirection(d)).ToArray();
            Values = GoldenData.ToMatrix(e.GetProperty("matrix"), Rows.Count, Cols.Count);
        }

        public IReadOnlyList<GoldenDirection> Rows { get; }
        public IReadOnlyList<GoldenDirection> Cols { get; }
        public double[,] Values { get; }
    }

    internal sealed class GoldenHead
    {
        public GoldenHead(JsonElement e)
        {
            Node = e.GetProperty("node").GetString()!;
            Causal = e.TryGetProperty("causal", out var c) && c.ValueKind == JsonValueKind.True;
            WQK = new GoldenMatrix(e.GetProperty("w_qk"), "left_basis", "right_basis");
            WOV = new GoldenMatrix(e.GetProperty("w_ov"), "input_basis", "output_basis");
        }

        public string Node { get; }
        public bool Causal { get; }
        public GoldenMatrix WQK { get; }
        public GoldenMatrix WOV { get; }
    }

    internal sealed class GoldenBlock
    {
        public GoldenBlock(JsonElement e)
        {
            Index = e.GetProperty("index").GetInt32();
            HalfLayer = e.GetProperty("half_layer").GetInt32();
            TransformerLayer = e.GetProperty("transformer_layer").GetInt32();
            Kind = e.GetProperty("kind").GetString()!;
            Nodes = e.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()!).ToArray();
            if (Kind == "attention")
            {
                Heads = e.GetProperty("heads").EnumerateArray().Select(h => new GoldenHead(h)).ToArray();
            }
            else
            {
                Fst = new GoldenMatrix(e.GetProperty("fst"), "input_basis", "output_basis");
                Snd = new GoldenMatrix(e.GetProperty("snd"), "input_basis", "output_basis");
                HiddenSize = e.GetProperty("hidden_size").GetInt32();
            }
        }

        public int Index { get; }
        public int HalfLayer { get; }
        public int TransformerLayer { get; }

        /// <summary><c>attention</c> or <c>mlp</c>.</summary>
        public string Kind { get; }

        public IReadOnlyList<string> Nodes { get; }
        public IReadOnlyList<GoldenHead> Heads { get; } = Array.Empty<GoldenHead>();
        public GoldenMatrix? Fst { get; }
        public GoldenMatrix? Snd { get; }
        public int HiddenSize { get; }
    }

    internal sealed class GoldenNode
    {
        public GoldenNode(JsonElement e)
        {
            Label = e.GetProperty("label").GetString()!;
            Name = e.GetProperty("name").GetString()!;
            Class = e.GetProperty("class").GetString()!;
            Encoding = e.OptString("encoding");
            Children = e.GetProperty("children").EnumerateArray().Select(c => c.GetString()!).ToArray();
            if (e.Opt("value_set") is JsonElement vs) ValueSet = GoldenData.ToValues(vs);
        }

        public string Label { get; }
        public string Name { get; }

        /// <summary>Tracr's class name: Map, SequenceMap, LinearSequenceMap, Aggregate, SelectorWidth, Select, TokensType, IndicesType.</summary>
        public string Class { get; }

        /// <summary><c>categorical</c> / <c>numerical</c>; null for selectors.</summary>
        public string? Encoding { get; }

        public IReadOnlyList<string> Children { get; }
        public IReadOnlyList<Value>? ValueSet { get; }
        public bool IsSelector => Class == "Select" || Class.StartsWith("Selector", StringComparison.Ordinal) && Class != "SelectorWidth";
    }

    internal sealed class GoldenSample
    {
        public GoldenSample(JsonElement e)
        {
            Input = GoldenData.ToValues(e.GetProperty("input"));
            Rasp = GoldenData.ToValues(e.GetProperty("rasp"));
            if (e.Opt("nodes") is JsonElement nodes)
                foreach (var p in nodes.EnumerateObject())
                    if (p.Value.Opt("rasp") is JsonElement r) NodeRasp[p.Name] = GoldenData.ToValues(r);
            if (e.Opt("residual_trace") is JsonElement trace)
            {
                ResidualTrace = trace.GetProperty("trace").EnumerateArray().Select(step =>
                {
                    var rows = step.EnumerateArray().ToArray();
                    int cols = rows.Length == 0 ? 0 : rows[0].GetArrayLength();
                    return GoldenData.ToMatrix(step, rows.Length, cols);
                }).ToArray();
            }
        }

        public Value[] Input { get; }

        /// <summary>The RASP evaluator's output (the truth the compiled model must reproduce).</summary>
        public Value[] Rasp { get; }

        /// <summary>The evaluator's value of every S-op node, by golden label.</summary>
        public Dictionary<string, Value[]> NodeRasp { get; } = new Dictionary<string, Value[]>(StringComparer.Ordinal);

        /// <summary>Embedding, then the residual after every block; rows are positions (0 = BOS), columns the craft residual basis.</summary>
        public IReadOnlyList<double[,]>? ResidualTrace { get; }
    }

    /// <summary>One golden case: the program's settings, Tracr's graph, layout, weights and samples.</summary>
    internal sealed class GoldenCase
    {
        public GoldenCase(JsonElement root)
        {
            Name = root.GetProperty("name").GetString()!;
            Vocab = GoldenData.ToValues(root.GetProperty("vocab"));
            MaxSeqLen = root.GetProperty("max_seq_len").GetInt32();
            Bos = root.GetProperty("bos").GetString()!;
            Pad = root.GetProperty("pad").GetString()!;
            var compiler = root.GetProperty("compiler");
            MlpExactness = compiler.GetProperty("mlp_exactness").GetDouble();
            Causal = compiler.GetProperty("causal").GetBoolean();
            OutputEncoding = root.GetProperty("output_encoding").GetString()!;
            ProgramLabel = root.OptString("program_label");
            RaspEvaluator = root.OptString("rasp_evaluator");
            BuilderSource = root.OptString("builder_source");

            if (root.Opt("error") is JsonElement err)
            {
                ErrorStage = err.OptString("stage");
                ErrorMessage = err.OptString("message");
            }

            if (root.Opt("graph") is JsonElement graph)
            {
                Sink = graph.GetProperty("sink").GetString();
                Nodes = graph.GetProperty("nodes").EnumerateArray().Select(n => new GoldenNode(n)).ToArray();
            }

            if (root.Opt("layer_allocation") is JsonElement alloc)
                foreach (var p in alloc.EnumerateObject()) LayerAllocation[p.Name] = p.Value.GetInt32();

            if (root.Opt("craft_residual_basis") is JsonElement crb)
                CraftResidualBasis = crb.EnumerateArray().Select(d => new GoldenDirection(d)).ToArray();
            if (root.Opt("model_residual_basis") is JsonElement mrb)
                ModelResidualBasis = mrb.EnumerateArray().Select(d => new GoldenDirection(d)).ToArray();
            if (root.Opt("blocks") is JsonElement blocks)
                Blocks = blocks.EnumerateArray().Select(b => new GoldenBlock(b)).ToArray();
            if (root.Opt("num_layers") is JsonElement nl) NumLayers = nl.GetInt32();

            Samples = root.GetProperty("samples").EnumerateArray().Select(s => new GoldenSample(s)).ToArray();
            if (root.Opt("summary") is JsonElement summary) AllAgree = summary.GetProperty("all_agree").GetBoolean();
        }

        public string Name { get; }
        public IReadOnlyList<Value> Vocab { get; }
        public int MaxSeqLen { get; }
        public string Bos { get; }
        public string Pad { get; }
        public double MlpExactness { get; }
        public bool Causal { get; }

        /// <summary><c>categorical</c> or <c>numerical</c>.</summary>
        public string OutputEncoding { get; }

        public string? ProgramLabel { get; }

        /// <summary><c>rasp.evaluate</c>, or <c>causal_eval.evaluate</c> for the causal cases.</summary>
        public string? RaspEvaluator { get; }

        public string? BuilderSource { get; }
        public string? ErrorStage { get; }
        public string? ErrorMessage { get; }

        /// <summary>True when Tracr refused the program (the <c>unsupported_*</c> cases).</summary>
        public bool ExpectsError => ErrorMessage != null;

        public string? Sink { get; }
        public IReadOnlyList<GoldenNode> Nodes { get; } = Array.Empty<GoldenNode>();
        public Dictionary<string, int> LayerAllocation { get; } = new Dictionary<string, int>(StringComparer.Ordinal);
        public IReadOnlyList<GoldenDirection> CraftResidualBasis { get; } = Array.Empty<GoldenDirection>();
        public IReadOnlyList<GoldenDirection> ModelResidualBasis { get; } = Array.Empty<GoldenDirection>();
        public IReadOnlyList<GoldenBlock> Blocks { get; } = Array.Empty<GoldenBlock>();
        public int NumLayers { get; }
        public IReadOnlyList<GoldenSample> Samples { get; }

        /// <summary>Tracr's compiled model agreed with the RASP evaluator on every sample.</summary>
        public bool AllAgree { get; }

        public GoldenNode Node(string label) => Nodes.First(n => n.Label == label);

        public CompilerOptions Options() => new CompilerOptions
        {
            Causal = Causal,
            CompilerBos = Bos,
            CompilerPad = Pad,
            MlpExactness = MlpExactness,
        };
    }
}
