using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Threading;
using Tracr.Generated;
using Tracr.Runtime;
using Tracr.Transformer;

namespace Tracr
{
    /// <summary>
    /// A compiled transformer with typed inputs and outputs: what the source generator emits for a
    /// <c>[RaspProgram]</c> (e.g. <c>Reverse.Model</c>), and what <see cref="CompiledTransformer.From"/>
    /// makes of a model compiled at run time. <typeparamref name="TToken"/> is the vocabulary's C# type
    /// (int, string, char, bool, double, or <see cref="Value"/> for mixed vocabularies);
    /// <typeparamref name="TOutput"/> is the program's output type: <c>double</c> for a numerical output,
    /// otherwise the output values' type made nullable (null where the model decodes None), or <see cref="Value"/>.
    /// </summary>
    /// <remarks>
    /// <see cref="Predict(ReadOnlySpan{TToken})"/> is the fast path (decoded outputs only; the span overload
    /// allocates nothing); <see cref="Apply(ReadOnlySpan{TToken})"/> also returns every residual, layer output
    /// and attention pattern. Both run the same forward pass. Instances are immutable and thread-safe.
    /// </remarks>
    public sealed class CompiledTransformer<TToken, TOutput> : ICompiledTransformer where TToken : notnull
    {
        private readonly Dictionary<TToken, int> _tokenIds;
        private readonly TOutput[] _outputTable;
        private readonly ThreadLocal<Buffers> _buffers;

        /// <param name="packed">The weights.</param>
        /// <param name="vocab">The vocabulary in the order of <see cref="PackedModel.Tokens"/> (BOS and PAD excluded).</param>
        /// <param name="outputs">For a categorical output, the typed value of each output dimension (in the order of <see cref="PackedModel.OutputValues"/>); empty for a numerical output.</param>
        /// <param name="programName">The method the model was compiled from.</param>
        [EditorBrowsable(EditorBrowsableState.Never)] // called by generated code; users get models from [RaspProgram] or CompiledTransformer.From
        public CompiledTransformer(PackedModel packed, TToken[] vocab, TOutput[] outputs, string programName)
            : this(packed, vocab, outputs, programName, null)
        {
        }

        /// <summary>A model that runs on <paramref name="engine"/> (the generator passes its emitted forward code).</summary>
        /// <param name="engine">The forward pass; null builds a <see cref="FastTransformer"/> on the generic kernels.</param>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public CompiledTransformer(PackedModel packed, TToken[] vocab, TOutput[] outputs, string programName, FastTransformer? engine)
        {
            Packed = packed ?? throw new ArgumentNullException(nameof(packed));
            if (vocab.Length != packed.Tokens.Length - 2) throw new ArgumentException($"The vocab has {vocab.Length} tokens but the model embeds {packed.Tokens.Length - 2}.", nameof(vocab));
            if (packed.OutputEncoding == Encoding.Numerical ? typeof(TOutput) != typeof(double) && typeof(TOutput) != typeof(Value) : outputs.Length != packed.OutputValues.Length)
                throw new ArgumentException("The output table does not match the model's output space.", nameof(outputs));
            Vocab = vocab;
            _tokenIds = new Dictionary<TToken, int>();
            for (int i = 0; i < vocab.Length; i++) _tokenIds.Add(vocab[i], i);
            _outputTable = outputs;
            ProgramName = programName;
            Summary = ModelSummary.Describe(packed);
            if (engine != null && !ReferenceEquals(engine.Packed, packed)) throw new ArgumentException("The engine runs another packed model.", nameof(engine));
            Engine = engine ?? new FastTransformer(packed);
            _buffers = new ThreadLocal<Buffers>(() => new Buffers(this));
        }

        /// <summary>The weights, block by block, with the name of every residual dimension.</summary>
        public PackedModel Packed { get; }

        /// <summary>The forward pass this model runs on.</summary>
        public FastTransformer Engine { get; }

        /// <summary>The tokens the model accepts.</summary>
        public IReadOnlyList<TToken> Vocab { get; }

        public int MaxSeqLen => Packed.MaxSeqLen;

        /// <summary>The name of each residual dimension (<c>tokens:a</c>, <c>indices:0</c>, <c>map_3:1</c>, <c>one</c>, ...).</summary>
        public IReadOnlyList<string> ResidualLabels => Packed.ResidualLabels;

        public int ResidualWidth => Packed.Width;
        public int LayerCount => Packed.LayerCount;
        public int HeadCount => Packed.HeadCount;
        public Encoding OutputEncoding => Packed.OutputEncoding;

        /// <summary>The method the model was compiled from.</summary>
        public string ProgramName { get; }

        /// <summary>Layers, heads, residual width and MLP neurons, in one line (the same text as <see cref="CompiledModel.Summary"/>).</summary>
        public string Summary { get; }

        /// <summary>Non-zero weights of the packed model (embeddings, every head and MLP matrix, unembedding): pruning has dropped the ones that cannot affect an output, such as the identity W_K rows of key dimensions no query weight reads.</summary>
        public long NonZeroParameterCount => Packed.TokenEmbedding.NonZeroCount + Packed.PositionEmbedding.NonZeroCount + Packed.OutputDims.Length +
            Packed.Blocks.Sum(b => b is PackedAttention a ? a.Heads.Sum(h => h.QueryKey.NonZeroCount + h.KeyDims.Length + h.OutputValue.NonZeroCount + h.OutputDims.Length)
                                  : b is PackedMlp m ? m.W1.NonZeroCount + m.W2.NonZeroCount : 0);

        /// <summary>Runs the model and returns the decoded output at each input position.</summary>
        /// <exception cref="ArgumentException">A token is not in the vocab (the message names it and its position), or the input is longer than <see cref="MaxSeqLen"/>.</exception>
        public TOutput[] Predict(ReadOnlySpan<TToken> tokens)
        {
            var outputs = new TOutput[tokens.Length];
            Predict(tokens, outputs);
            return outputs;
        }

        /// <inheritdoc cref="Predict(ReadOnlySpan{TToken})"/>
        public TOutput[] Predict(IEnumerable<TToken> tokens) => Predict(Materialize(tokens));

        /// <inheritdoc cref="Predict(ReadOnlySpan{TToken})"/>
        /// <remarks>An exact overload for arrays, so that no compiler finds the span and sequence overloads ambiguous.</remarks>
        public TOutput[] Predict(TToken[] tokens) => Predict((ReadOnlySpan<TToken>)(tokens ?? throw new ArgumentNullException(nameof(tokens))));

        /// <summary>Runs the model into <paramref name="outputs"/> (one per token); allocates nothing once warm.</summary>
        public void Predict(ReadOnlySpan<TToken> tokens, Span<TOutput> outputs)
        {
            if (outputs.Length < tokens.Length) throw new ArgumentException($"The output span holds {outputs.Length} values but the input has {tokens.Length} tokens.", nameof(outputs));
            var b = _buffers.Value!;
            Encode(tokens, b.Ids);
            var ids = b.Ids.AsSpan(0, tokens.Length + 1);
            if (Packed.OutputEncoding == Encoding.Numerical)
            {
                Engine.PredictNumerical(ids, b.Numbers.AsSpan(0, tokens.Length), b.Workspace);
                for (int i = 0; i < tokens.Length; i++) outputs[i] = FromNumber(b.Numbers[i]);
            }
            else
            {
                Engine.PredictCategorical(ids, b.Indices.AsSpan(0, tokens.Length), b.Workspace);
                for (int i = 0; i < tokens.Length; i++)
                {
                    int k = b.Indices[i];
                    outputs[i] = k < 0 ? default! : _outputTable[k];
                }
            }
        }

        /// <summary>Runs many inputs (in parallel for large batches).</summary>
        public TOutput[][] PredictBatch(IReadOnlyList<TToken[]> inputs)
        {
            var ids = new int[inputs.Count][];
            for (int i = 0; i < inputs.Count; i++)
            {
                ids[i] = new int[inputs[i].Length + 1];
                Encode(inputs[i], ids[i]);
            }
            var result = new TOutput[inputs.Count][];
            if (Packed.OutputEncoding == Encoding.Numerical)
            {
                var numbers = new double[inputs.Count][];
                for (int i = 0; i < inputs.Count; i++) numbers[i] = new double[inputs[i].Length];
                Engine.PredictNumericalBatch(ids, numbers);
                for (int i = 0; i < inputs.Count; i++) result[i] = numbers[i].Select(FromNumber).ToArray();
            }
            else
            {
                var indices = new int[inputs.Count][];
                for (int i = 0; i < inputs.Count; i++) indices[i] = new int[inputs[i].Length];
                Engine.PredictCategoricalBatch(ids, indices);
                for (int i = 0; i < inputs.Count; i++) result[i] = indices[i].Select(k => k < 0 ? default! : _outputTable[k]).ToArray();
            }
            return result;
        }

        /// <summary>Runs the model and returns the outputs with everything it computed on the way: residuals, layer outputs, attention.</summary>
        /// <exception cref="ArgumentException">A token is not in the vocab, or the input is too long.</exception>
        public ModelRun<TOutput> Apply(ReadOnlySpan<TToken> tokens)
        {
            var ids = new int[tokens.Length + 1];
            Encode(tokens, ids);
            return Engine.RunFull(ids).WithOutputs(Predict(tokens));
        }

        /// <inheritdoc cref="Apply(ReadOnlySpan{TToken})"/>
        public ModelRun<TOutput> Apply(IEnumerable<TToken> tokens) => Apply(Materialize(tokens));

        /// <inheritdoc cref="Apply(ReadOnlySpan{TToken})"/>
        public ModelRun<TOutput> Apply(params TToken[] tokens) => Apply((ReadOnlySpan<TToken>)tokens);

        /// <summary>Embedding ids of <paramref name="tokens"/> with BOS first, into <paramref name="ids"/>.</summary>
        public void Encode(ReadOnlySpan<TToken> tokens, Span<int> ids)
        {
            if (tokens.Length > MaxSeqLen)
                throw new ArgumentException($"The input has {tokens.Length} tokens but {ProgramName} was compiled for at most {MaxSeqLen}.", nameof(tokens));
            ids[0] = Packed.BosToken;
            for (int i = 0; i < tokens.Length; i++)
            {
                if (tokens[i] is null || !_tokenIds.TryGetValue(tokens[i], out int id))
                    throw new ArgumentException($"Token {Show(tokens[i])} at position {i} is not in the vocab of {ProgramName} {{{string.Join(", ", Vocab.Select(Show))}}}.", nameof(tokens));
                ids[i + 1] = id;
            }
        }

        // A numerical output is a double, or a float Value for models compiled at run time.
        private static TOutput FromNumber(double x) =>
            typeof(TOutput) == typeof(double) ? (TOutput)(object)x : (TOutput)(object)Value.FromFloat(x);

        private static TToken[] Materialize(IEnumerable<TToken> tokens) =>
            tokens as TToken[] ?? (tokens ?? throw new ArgumentNullException(nameof(tokens))).ToArray();

        private static string Show(TToken? t) => t switch
        {
            null => "null",
            string s => "\"" + s + "\"",
            char c => "'" + c + "'",
            Value v => v.Repr(),
            _ => Convert.ToString(t, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };

        /// <inheritdoc/>
        public Value[] PredictValues(IReadOnlyList<Value> tokens)
        {
            var ids = new int[tokens.Count + 1];
            ids[0] = Packed.BosToken;
            for (int i = 0; i < tokens.Count; i++)
            {
                int id = Array.IndexOf(Packed.Tokens, tokens[i], 0, Vocab.Count);
                if (id < 0) throw new ArgumentException($"Token {tokens[i].Repr()} at position {i} is not in the vocab of {ProgramName}.", nameof(tokens));
                ids[i + 1] = id;
            }
            if (tokens.Count > MaxSeqLen) throw new ArgumentException($"The input has {tokens.Count} tokens but {ProgramName} was compiled for at most {MaxSeqLen}.", nameof(tokens));
            var result = new Value[tokens.Count];
            if (Packed.OutputEncoding == Encoding.Numerical)
            {
                var numbers = new double[tokens.Count];
                Engine.PredictNumerical(ids, numbers, Engine.CreateWorkspace());
                for (int i = 0; i < result.Length; i++) result[i] = Value.FromFloat(numbers[i]);
            }
            else
            {
                var indices = new int[tokens.Count];
                Engine.PredictCategorical(ids, indices, Engine.CreateWorkspace());
                for (int i = 0; i < result.Length; i++) result[i] = indices[i] < 0 ? Value.None : Packed.OutputValues[indices[i]];
            }
            return result;
        }

        public override string ToString() => $"{ProgramName}: {Summary}";

        /// <summary>Per-thread scratch space for the allocation-free fast path.</summary>
        private sealed class Buffers
        {
            public Buffers(CompiledTransformer<TToken, TOutput> model)
            {
                Ids = new int[model.Packed.MaxPositions];
                Indices = new int[model.MaxSeqLen];
                Numbers = new double[model.MaxSeqLen];
                Workspace = model.Engine.CreateWorkspace();
            }

            public int[] Ids { get; }
            public int[] Indices { get; }
            public double[] Numbers { get; }
            public ForwardWorkspace Workspace { get; }
        }
    }

    /// <summary>What every compiled model offers regardless of its token and output types (for tools that handle many models).</summary>
    public interface ICompiledTransformer
    {
        /// <summary>The weights, block by block, with the name of every residual dimension.</summary>
        PackedModel Packed { get; }

        /// <summary>The forward pass the model runs on (for a generated model, the code emitted for it).</summary>
        FastTransformer Engine { get; }

        /// <summary>The method the model was compiled from.</summary>
        string ProgramName { get; }

        /// <summary>Layers, heads, residual width and MLP neurons, in one line (see <see cref="CompiledModel.Summary"/>).</summary>
        string Summary { get; }

        /// <summary>Runs the model on RASP values (tokens as in <see cref="PackedModel.Tokens"/>), returning RASP values (None where nothing decodes).</summary>
        Value[] PredictValues(IReadOnlyList<Value> tokens);
    }

    /// <summary>Creating typed models from models compiled at run time.</summary>
    public static class CompiledTransformer
    {
        /// <summary>
        /// The fast, typed form of a model compiled at run time. Tokens and outputs are <see cref="Value"/>s
        /// (None where the model decodes nothing); use the generator for typed tokens and outputs.
        /// </summary>
        public static CompiledTransformer<Value, Value> From(CompiledModel model, string programName = "program")
        {
            if (model is null) throw new ArgumentNullException(nameof(model));
            var packed = model.Packed;
            var outputs = packed.OutputEncoding == Encoding.Numerical ? Array.Empty<Value>() : packed.OutputValues;
            return new CompiledTransformer<Value, Value>(packed, model.Vocab.ToArray(), outputs, programName);
        }
    }
}
