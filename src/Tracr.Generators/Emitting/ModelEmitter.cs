using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Tracr.Compiler;
using Tracr.Generated;
using Tracr.Generators.Compiling;
using Tracr.Generators.Model;
using Tracr.Generators.Parsing;
using Tracr.Transformer;

namespace Tracr.Generators.Emitting
{
    /// <summary>
    /// Writes the compiled model, in the Regex generator's shape: the user's partial class gets one static
    /// property (global-qualified names, the model's remarks block explaining the program graph, layer
    /// schedule and residual layout); the implementation lives in file-local types of the namespace
    /// <see cref="ImplementationNamespace"/>, with using directives: <c>ModelData</c> holds every weight once,
    /// as constant data (two RVA-backed spans, one of ints and one of doubles, sliced in order at first use:
    /// nothing is parsed), and <c>Forward</c> is the forward pass specialised to the model
    /// (<see cref="ForwardCode"/>). Output is a pure function of the compiled model: invariant culture,
    /// sorted orders, "\n" line endings.
    /// </summary>
    internal static class ModelEmitter
    {
        /// <summary>The version in the emitted <c>[GeneratedCode]</c> attributes and header: the generator assembly's.</summary>
        public static readonly string GeneratorVersion = GeneratorAssembly.Version;

        /// <summary>The namespace of the file-local implementation types (one set per generated file).</summary>
        public const string ImplementationNamespace = RuntimeNames.GeneratedNamespace;

        private static readonly string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"Tracr.Generators\", \"" + GeneratorVersion + "\")]";

        public static string Emit(CompileInput input, CompiledModel model)
        {
            var packed = model.Packed;
            string tokenType = TokenTypeName(input.Options.TokenType);
            var (outputType, outputLiteral) = OutputType(packed);
            string modelType = $"{RuntimeNames.CompiledTransformer}<{tokenType}, {outputType}>";

            var w = new SourceWriter();
            Header(w, input);
            OpenUserType(w, input);
            Remarks(w, input, model, packed);
            w.Line(GeneratedCode);
            w.Line($"public static {NewModifier(input)}global::{RuntimeNames.RootNamespace}.{RuntimeNames.CompiledTransformer}<{Global(tokenType)}, {Global(outputType)}> {input.ModelName} => global::{ImplementationNamespace}.ModelData.Instance;");
            CloseUserType(w, input);

            w.Line();
            w.Line($"namespace {ImplementationNamespace}");
            w.Open();
            foreach (var u in ForwardCode.Usings.Concat(new[] { RuntimeNames.RootNamespace }).Distinct().OrderBy(u => u, StringComparer.Ordinal)) w.Line($"using {u};");
            w.Line();
            w.Line($"/// <summary>The model compiled from {Xml(Display(input))}(): its weights, each stored once as constant data.</summary>");
            w.Line(GeneratedCode);
            w.Line("file static class ModelData");
            w.Open();
            w.Line("// After ResidualLabels: static fields initialise in textual order.");
            w.Line($"private static readonly string[] ResidualLabels =");
            w.Line("{");
            w.Indent++;
            foreach (var chunk in Chunks(packed.ResidualLabels.Select(Str), 8)) w.Line(string.Join(", ", chunk) + ",");
            w.Indent--;
            w.Line("};");
            w.Line();
            w.Line($"internal static readonly {modelType} Instance = Create();");
            w.Line();
            w.Line($"private static {modelType} Create()");
            w.Open();
            var ints = new List<int>();
            var doubles = new List<double>();
            w.Line($"var r = new {RuntimeNames.ModelDataReader}(Ints, Doubles);");
            w.Line("// PackedModel(width, maxSeqLen, residual labels, tokens, bos, pad, token embedding, position embedding, pruned blocks, output encoding, output dims, output values)");
            w.Line($"var packed = new {RuntimeNames.PackedModel}(");
            w.Indent++;
            w.Line($"{packed.Width}, {packed.MaxSeqLen}, ResidualLabels,");
            w.Line($"new {RuntimeNames.Value}[] {{ {string.Join(", ", packed.Tokens.Select(ValueLiteral))} }}, {packed.BosToken}, {packed.PadToken},");
            w.Line($"{Matrix(packed.TokenEmbedding, ints, doubles)}, {Matrix(packed.PositionEmbedding, ints, doubles)},");
            w.Line($"new {RuntimeNames.PackedBlock}[]");
            w.Line("{");
            w.Indent++;
            foreach (var block in packed.Blocks)
            {
                if (block is PackedAttention attention)
                {
                    w.Line($"// PackedHead(node, causal, query dims, key dims, value dims, output dims, W_QK, W_OV)");
                    w.Line($"new {RuntimeNames.PackedAttention}({attention.Layer}, new {RuntimeNames.PackedHead}[]");
                    w.Line("{");
                    w.Indent++;
                    foreach (var h in attention.Heads)
                        w.Line($"new {RuntimeNames.PackedHead}({Str(h.Node)}, {Bool(h.Causal)}, {IntArray(h.QueryDims, ints)}, {IntArray(h.KeyDims, ints)}, " +
                               $"{IntArray(h.ValueDims, ints)}, {IntArray(h.OutputDims, ints)}, {Matrix(h.QueryKey, ints, doubles)}, {Matrix(h.OutputValue, ints, doubles)}),");
                    w.Indent--;
                    w.Line("}),");
                }
                else if (block is PackedMlp mlp)
                {
                    w.Line($"// PackedMlp(layer, nodes, input dims, W1, W2, output dims[, neurons before pruning])");
                    string compiledHidden = mlp.CompiledHiddenSize == mlp.HiddenSize ? "" : $", {mlp.CompiledHiddenSize}";
                    w.Line($"new {RuntimeNames.PackedMlp}({mlp.Layer}, new string[] {{ {string.Join(", ", mlp.Nodes.Select(Str))} }}, " +
                           $"{IntArray(mlp.InputDims, ints)}, {Matrix(mlp.W1, ints, doubles)}, {Matrix(mlp.W2, ints, doubles)}, {IntArray(mlp.OutputDims, ints)}{compiledHidden}),");
                }
            }
            w.Indent--;
            w.Line("},");
            w.Line($"{RuntimeNames.Encoding}.{packed.OutputEncoding}, {IntArray(packed.OutputDims, ints)},");
            w.Line($"new {RuntimeNames.Value}[] {{ {string.Join(", ", packed.OutputValues.Select(ValueLiteral))} }});");
            w.Indent--;
            w.Line("r.EnsureConsumed();");
            w.Line($"var vocab = new {tokenType}[] {{ {string.Join(", ", model.Vocab.Select(v => TokenLiteral(v, input.Options.TokenType)))} }};");
            w.Line($"var outputs = new {outputType}[] {{ {string.Join(", ", packed.OutputEncoding == Encoding.Numerical ? Enumerable.Empty<string>() : packed.OutputValues.Select(outputLiteral))} }};");
            w.Line($"var engine = new {RuntimeNames.FastTransformer}(Forward.Create(packed));");
            w.Line($"return new {modelType}(packed, vocab, outputs, {Str(input.ProgramName)}, engine);");
            w.Close();
            w.Line();
            w.Line($"// {ints.Count} ints read in order by {RuntimeNames.ModelDataReader}, and the model's {doubles.Count} distinct weights.");
            w.Line("private static ReadOnlySpan<int> Ints => new int[]");
            w.Line("{");
            w.Indent++;
            foreach (var chunk in Chunks(ints.Select(i => i.ToString(CultureInfo.InvariantCulture)), 32)) w.Line(string.Join(",", chunk) + ",");
            w.Indent--;
            w.Line("};");
            w.Line();
            w.Line("private static ReadOnlySpan<double> Doubles => new double[]");
            w.Line("{");
            w.Indent++;
            foreach (var chunk in Chunks(doubles.Select(DoubleLiteral), 16)) w.Line(string.Join(",", chunk) + ",");
            w.Indent--;
            w.Line("};");
            w.Close();
            w.Line();
            ForwardCode.Emit(w, packed, "Forward", "file", null, input.UnrollBudget);
            w.Close();
            return w.ToString();
        }

        /// <summary>
        /// The source of a program whose compile failed: its model member still exists (typed by the token type,
        /// outputs as <c>Value</c>) and throws with the diagnostics' text, so use sites add no errors of their own.
        /// </summary>
        public static string EmitFailure(CompileInput input, IEnumerable<string> problems)
        {
            var w = new SourceWriter();
            Header(w, input);
            OpenUserType(w, input);
            string text = string.Join(" ", problems);
            string modelType = $"global::{RuntimeNames.RootNamespace}.{RuntimeNames.CompiledTransformer}<{Global(TokenTypeName(input.Options.TokenType))}, global::{RuntimeNames.RootNamespace}.{RuntimeNames.Value}>";
            w.Line($"/// <summary>Not compiled: {Xml(text)}</summary>");
            w.Line(GeneratedCode);
            w.Line($"public static {NewModifier(input)}{modelType} {input.ModelName} => throw new global::System.InvalidOperationException({Str($"{Display(input)} did not compile to a transformer at build time: {text}")});");
            CloseUserType(w, input);
            return w.ToString();
        }

        private static void Header(SourceWriter w, CompileInput input)
        {
            w.Line("// <auto-generated/>");
            w.Line($"// Generated by Tracr.Generators {GeneratorVersion}: the transformer compiled from {SourceWriter.CommentText(Display(input))}() at build time.");
            w.Line("#nullable enable");
            w.Line("#pragma warning disable CS1591");
            w.Line();
        }

        private static void OpenUserType(SourceWriter w, CompileInput input)
        {
            if (input.Type.Namespace != null)
            {
                w.Line($"namespace {input.Type.Namespace}");
                w.Open();
            }
            foreach (var declaration in input.Type.TypeDeclarations)
            {
                w.Line(declaration);
                w.Open();
            }
        }

        private static void CloseUserType(SourceWriter w, CompileInput input)
        {
            foreach (var _ in input.Type.TypeDeclarations) w.Close();
            if (input.Type.Namespace != null) w.Close();
        }

        /// <summary><c>new </c> when a base type already has a member of the model's name (hiding it is intended).</summary>
        private static string NewModifier(CompileInput input) => input.HidesBaseMember ? "new " : "";

        /// <summary>"Outer.Type.Method", for comments and messages.</summary>
        private static string Display(CompileInput input) =>
            string.Join(".", input.Type.TypeDeclarations.Select(ProgramCompiler.TypeName).Concat(new[] { input.ProgramName }));

        /// <summary>A type name from <see cref="TokenTypeName"/> or <see cref="OutputType"/>, global-qualified for the user's partial.</summary>
        private static string Global(string type) => type.StartsWith(RuntimeNames.Value, StringComparison.Ordinal) ? $"global::{RuntimeNames.RootNamespace}.{type}" : type;

        // ------------------------------------------------------------------ data

        /// <summary>Row starts, run columns, run lengths, then per run the index of its value in <paramref name="doubles"/> (each distinct weight stored once).</summary>
        private static string Matrix(RunMatrix m, List<int> ints, List<double> doubles)
        {
            ints.AddRange(m.RowStart);
            ints.AddRange(m.RunColumn);
            ints.AddRange(m.RunLength);
            foreach (var v in m.RunValue)
            {
                // By bit pattern: -0 and 0 stay distinct, as the reader must reproduce every weight exactly.
                int index = doubles.FindIndex(d => BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(v));
                if (index < 0)
                {
                    index = doubles.Count;
                    doubles.Add(v);
                }
                ints.Add(index);
            }
            return $"r.Matrix({m.Rows}, {m.Columns})";
        }

        private static string IntArray(int[] values, List<int> ints)
        {
            ints.AddRange(values);
            return $"r.Ints({values.Length})";
        }

        private static IEnumerable<IEnumerable<string>> Chunks(IEnumerable<string> items, int size)
        {
            var chunk = new List<string>(size);
            foreach (var item in items)
            {
                chunk.Add(item);
                if (chunk.Count == size)
                {
                    yield return chunk;
                    chunk = new List<string>(size);
                }
            }
            if (chunk.Count > 0) yield return chunk;
        }

        // ------------------------------------------------------------------ literals

        private static string TokenTypeName(TokenType type) => type switch
        {
            TokenType.Int => "int",
            TokenType.String => "string",
            TokenType.Char => "char",
            TokenType.Bool => "bool",
            TokenType.Double => "double",
            _ => RuntimeNames.Value,
        };

        private static string TokenLiteral(Value v, TokenType type) => type switch
        {
            TokenType.Int => LongLiteral(v.AsLong),
            TokenType.String => Str(v.AsString),
            TokenType.Char => CharLiteral(v.AsString[0]),
            TokenType.Bool => Bool(v.AsBool),
            TokenType.Double => DoubleLiteral(v.AsDouble),
            _ => ValueLiteral(v),
        };

        /// <summary>The C# type of decoded outputs: numerical → double; categorical → the values' common type, nullable (None when nothing is selected), else Value.</summary>
        private static (string Type, Func<Value, string> Literal) OutputType(PackedModel packed)
        {
            if (packed.OutputEncoding == Encoding.Numerical) return ("double", v => DoubleLiteral(v.AsDouble));
            var values = packed.OutputValues;
            if (values.Length > 0 && values.All(v => v.Kind == ValueKind.Int))
            {
                // Outputs beyond int32 (e.g. Map(x => x * 1_000_000_000)) are typed long: an int? literal would not compile.
                bool fitsInt = values.All(v => v.AsLong >= int.MinValue && v.AsLong <= int.MaxValue);
                return (fitsInt ? "int?" : "long?", v => LongLiteral(v.AsLong));
            }
            if (values.Length > 0 && values.All(v => v.Kind == ValueKind.Bool)) return ("bool?", v => Bool(v.AsBool));
            if (values.Length > 0 && values.All(v => v.Kind == ValueKind.String)) return ("string?", v => Str(v.AsString));
            if (values.Length > 0 && values.All(v => v.Kind == ValueKind.Float || v.Kind == ValueKind.Int)) return ("double?", v => DoubleLiteral(v.AsDouble));
            return (RuntimeNames.Value, ValueLiteral);
        }

        /// <summary>A <c>Value</c> expression (under the implementation's using directives).</summary>
        internal static string ValueLiteral(Value v) => v.Kind switch
        {
            ValueKind.None => "Value.None",
            ValueKind.Bool => $"Value.FromBool({Bool(v.AsBool)})",
            ValueKind.Int => $"Value.FromInt({LongLiteral(v.AsLong)})",
            ValueKind.Float => $"Value.FromFloat({DoubleLiteral(v.AsDouble)})",
            ValueKind.String => $"Value.FromString({Str(v.AsString)})",
            _ => $"Value.Tuple({string.Join(", ", v.AsTuple.Select(ValueLiteral))})",
        };

        /// <summary>An integer literal of its own size: long.MinValue has no positive counterpart to negate.</summary>
        private static string LongLiteral(long v) =>
            v == long.MinValue ? "long.MinValue" : v < int.MinValue || v > int.MaxValue ? v.ToString(CultureInfo.InvariantCulture) + "L" : v.ToString(CultureInfo.InvariantCulture);

        internal static string DoubleLiteral(double d) => SourceWriter.Double(d);

        private static string Bool(bool b) => b ? "true" : "false";

        internal static string Str(string s) => SourceWriter.String(s);

        private static string CharLiteral(char c) => c switch
        {
            '\'' => "'\\''",
            '\\' => "'\\\\'",
            _ when c < 32 || c > 126 => "'\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) + "'",
            _ => "'" + c + "'",
        };

        // ------------------------------------------------------------------ explanation

        /// <summary>"12 neurons", or "4 of 12 neurons" when pruning dropped some.</summary>
        private static string Neurons(PackedMlp m) =>
            m.HiddenSize == m.CompiledHiddenSize ? Count(m.HiddenSize, "neuron") : $"{m.HiddenSize} of {Count(m.CompiledHiddenSize, "neuron")}";

        private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

        private static void Remarks(SourceWriter w, CompileInput input, CompiledModel model, PackedModel packed)
        {
            w.Line($"/// <summary>The transformer compiled at build time from <see cref=\"{input.ProgramName}\"/>: {Xml(ModelSummary.Describe(packed))}.</summary>");
            w.Line("/// <remarks>");
            w.Line($"/// <para>Vocab {{{Xml(string.Join(", ", model.Vocab.Select(v => v.Repr())))}}}, max_seq_len {model.MaxSeqLen}" +
                   $"{(model.Options.Causal ? ", causal" : "")}, BOS {Xml(Value.FromString(model.Options.CompilerBos).Repr())}.</para>");
            w.Line("/// <para>Program graph (label = expression : encoding, value set):</para>");
            w.Line("/// <code>");
            foreach (var node in model.Graph.TopologicalOrder())
                w.Line("/// " + Xml(DescribeNode(node)));
            w.Line("/// </code>");
            w.Line("/// <para>Layer schedule:</para>");
            w.Line("/// <code>");
            foreach (var block in packed.Blocks)
            {
                if (block is PackedAttention a)
                    foreach (var h in a.Heads)
                        w.Line("/// " + Xml($"{block.Name}, head {h.Node}: query {Ranges(packed, h.QueryDims)}, key {Ranges(packed, h.KeyDims)}, " +
                                            $"value {Ranges(packed, h.ValueDims)}; writes {Ranges(packed, h.OutputDims)}"));
                else if (block is PackedMlp m)
                    w.Line("/// " + Xml($"{block.Name}: {string.Join(", ", m.Nodes)} ({Neurons(m)}) reads {Ranges(packed, m.InputDims)}; writes {Ranges(packed, m.OutputDims)}"));
            }
            if (packed.Blocks.Length == 0) w.Line("/// (no blocks: the output is read straight from the embedding)");
            w.Line("/// </code>");
            // The residual layout in one paragraph (dimension ranges per label; the labels themselves are Model.Packed.ResidualLabels).
            w.Line($"/// <para>Residual stream ({packed.Width} dimensions; the output is read from {Xml(Ranges(packed, packed.OutputDims))}): " +
                   Xml(string.Join(", ", Groups(packed).Select(g => g.Count == 1 ? $"{g.Start} {packed.ResidualLabels[g.Start]}" : $"{g.Start}..{g.Start + g.Count - 1} {g.Name}"))) + ".</para>");
            w.Line("/// </remarks>");
        }

        private static string DescribeNode(GraphNode node)
        {
            var e = node.Expr;
            string children = string.Join(", ", node.Children);
            string what = e switch
            {
                Map m => $"Map({m.FunctionText ?? "f"}, {children})",
                SequenceMap s => $"{e.GetType().Name}({s.FunctionText ?? "f"}, {children})",
                Select s => $"Select({children}, {s.Predicate.Text})",
                Aggregate a => $"Aggregate({children}{(a.Default.IsNone ? "" : ", default " + a.Default.Repr())})",
                _ when node.Children.Count == 0 => e.GetType().Name.Replace("Type", "").ToLowerInvariant(),
                _ => $"{e.GetType().Name}({children})",
            };
            if (!(e is SOp sop)) return $"{node.Label} = {what}";
            var values = node.ValueSet ?? Array.Empty<Value>();
            string set = values.Count <= 8 ? "{" + string.Join(", ", values.Select(v => v.Repr())) + "}" : $"{values.Count} values";
            return $"{node.Label} = {what} : {(sop.IsNumerical ? "numerical" : "categorical")}, {set}";
        }

        /// <summary>Consecutive residual dimensions sharing a label prefix (<c>tokens</c>, <c>map_3</c>, ...).</summary>
        private static IEnumerable<(string Name, int Start, int Count)> Groups(PackedModel packed)
        {
            int i = 0;
            while (i < packed.Width)
            {
                string name = Prefix(packed.ResidualLabels[i]);
                int start = i;
                while (i < packed.Width && Prefix(packed.ResidualLabels[i]) == name) i++;
                yield return (name, start, i - start);
            }
        }

        private static string Prefix(string label)
        {
            int colon = label.IndexOf(':');
            return colon < 0 ? label : label.Substring(0, colon);
        }

        private static string Ranges(PackedModel packed, int[] dims)
        {
            if (dims.Length == 0) return "nothing";
            var names = new List<string>();
            foreach (var d in dims)
            {
                var p = Prefix(packed.ResidualLabels[d]);
                if (p == "tokens" && packed.ResidualLabels[d].EndsWith(":" + packed.Tokens[packed.BosToken].ToString(), StringComparison.Ordinal)) p = "tokens:bos";
                if (!names.Contains(p)) names.Add(p);
            }
            return string.Join(" + ", names) + $" [{dims.Length}]";
        }

        private static string Xml(string s) => SourceWriter.XmlText(s);
    }
}
