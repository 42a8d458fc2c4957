using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Tracr.Compiler;
using Tracr.Craft;
using Tracr.Generated;
using Tracr.Transformer;

namespace Tracr
{
    /// <summary>
    /// Compiles RASP programs into transformers: Tracr's <c>compile_rasp_to_model</c>, one pass per step.
    /// </summary>
    static partial class RaspCompiler
    {
        /// <summary>
        /// Compiles <paramref name="program"/> for inputs over <paramref name="vocab"/> of at most
        /// <paramref name="maxSeqLen"/> tokens.
        /// </summary>
        /// <exception cref="ArgumentException">Empty vocab, maxSeqLen &lt; 1, or the BOS/PAD token in the vocab.</exception>
        /// <exception cref="RaspCompilationException">The program uses something that has no transformer construction, or is over a
        /// size limit (<see cref="CompilerOptions.MaxWeights"/>, the value-set limits); the message names every offending node and why.</exception>
        /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; every pass checks it inside its loops.</exception>
        public static CompiledModel Compile(SOp program, IEnumerable<Value> vocab, int maxSeqLen, CompilerOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            if (program is null) throw new ArgumentNullException(nameof(program));
            if (vocab is null) throw new ArgumentNullException(nameof(vocab));
            options = (options ?? new CompilerOptions()).Clone();
            var vocabList = Value.Sorted(new HashSet<Value>(vocab));
            CheckArguments(vocabList, maxSeqLen, options);

            // 0. The depth, iteratively: the passes below recurse over the program.
            var tooDeep = ProgramDepth.Check(program, cancellationToken);
            if (tooDeep != null) throw new RaspCompilationException("validate", tooDeep);

            // 1-2. Graph (with length/Full/ConstantSOp lowered), then static validation of every node.
            var graph = RaspToGraph.Extract(program, options, cancellationToken);
            var unsupported = Validation.Validate(graph, cancellationToken);
            if (unsupported.Count > 0) throw new RaspCompilationException("validate", unsupported);

            // 3. Value sets and residual subspaces (products it would enumerate are guarded first).
            BasisInference.InferBases(graph, vocabList, maxSeqLen, options, cancellationToken);

            // 3b. The model's size from the value sets, refused over the budget before any matrix exists.
            var estimate = SizeEstimation.EstimateAndCheck(graph, vocabList.Count, maxSeqLen, options, cancellationToken);

            // 4. A craft block per node.
            var bos = new BasisDirection("tokens", Value.FromString(options.CompilerBos));
            ExprToCraft.AddCraftBlocks(graph, bos, options, cancellationToken);

            // 5. Layer allocation and the craft model.
            var (craft, allocation) = CraftGraphToModel.Build(graph, cancellationToken);

            // 6. Embeddings, per-layer weights and unembedding.
            cancellationToken.ThrowIfCancellationRequested();
            var transformer = CraftModelToTransformer.Assemble(craft, graph, vocabList, maxSeqLen, options);

            return new CompiledModel(program, vocabList, maxSeqLen, options, graph, allocation, craft, transformer, estimate);
        }

        /// <summary>
        /// Checks whether <paramref name="program"/> can be compiled, without compiling it (Tracr's
        /// <c>validate</c>): every statically unsupported expression and, when an
        /// <paramref name="input"/> is given, what evaluating on it reveals (a categorical Aggregate
        /// that would have to average different values, a numerical one over values other than 0/1),
        /// which would make the compiled model silently differ from the evaluator.
        /// </summary>
        public static IReadOnlyList<UnsupportedExpression> Validate(SOp program, IEnumerable<Value>? input = null, bool causal = false)
        {
            if (program is null) throw new ArgumentNullException(nameof(program));
            var tooDeep = ProgramDepth.Check(program);
            if (tooDeep != null) return new[] { tooDeep };
            var graph = RaspToGraph.Extract(program);
            var problems = Validation.Validate(graph).ToList();
            if (input != null) problems.AddRange(Validation.ValidateOn(graph, input.ToArray(), causal));
            return problems;
        }

        private static void CheckArguments(IReadOnlyList<Value> vocab, int maxSeqLen, CompilerOptions options)
        {
            if (vocab.Count == 0) throw new ArgumentException("The vocab must contain at least one token.", nameof(vocab));
            if (vocab.Any(v => v.IsNone)) throw new ArgumentException("The vocab cannot contain None.", nameof(vocab));
            if (maxSeqLen < 1) throw new ArgumentOutOfRangeException(nameof(maxSeqLen), maxSeqLen, "maxSeqLen must be at least 1.");
            if (string.IsNullOrEmpty(options.CompilerBos) || string.IsNullOrEmpty(options.CompilerPad))
                throw new ArgumentException("The compiler BOS and PAD tokens must be non-empty strings.", nameof(options));
            if (options.CompilerBos == options.CompilerPad)
                throw new ArgumentException($"The compiler BOS and PAD tokens must differ (both are '{options.CompilerBos}').", nameof(options));
            if (vocab.Contains(Value.FromString(options.CompilerBos)))
                throw new ArgumentException($"Compiler BOS token must not be present in the vocab. Found '{options.CompilerBos}' in the vocab.", nameof(vocab));
            if (vocab.Contains(Value.FromString(options.CompilerPad)))
                throw new ArgumentException($"Compiler PAD token must not be present in the vocab. Found '{options.CompilerPad}' in the vocab.", nameof(vocab));
            if (!(options.MlpExactness > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.MlpExactness, "MlpExactness must be positive.");
            if (!(options.SoftmaxColdness > 0)) throw new ArgumentOutOfRangeException(nameof(options), options.SoftmaxColdness, "SoftmaxColdness must be positive.");
            if (options.MaxWeights < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxWeights, "MaxWeights must be positive.");
            if (options.MaxValueSetProduct < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxValueSetProduct, "MaxValueSetProduct must be positive.");
        }
    }

    /// <summary>A compiled RASP program: every stage of the compilation, and the transformer to run.</summary>
    sealed partial class CompiledModel
    {
        private readonly Dictionary<Value, int> _tokenIds;

        internal CompiledModel(SOp program, IReadOnlyList<Value> vocab, int maxSeqLen, CompilerOptions options, ProgramGraph graph,
            IReadOnlyDictionary<string, int> allocation, CraftModel craft, AssembledTransformer transformer, SizeEstimate estimate)
        {
            Estimate = estimate;
            Program = program;
            Vocab = vocab;
            MaxSeqLen = maxSeqLen;
            Options = options;
            Graph = graph;
            LayerAllocation = allocation;
            Craft = craft;
            Assembled = transformer;
            _tokenIds = new Dictionary<Value, int>();
            for (int i = 0; i < vocab.Count; i++) _tokenIds[vocab[i]] = i;
        }

        public SOp Program { get; }

        /// <summary>The vocab, sorted.</summary>
        public IReadOnlyList<Value> Vocab { get; }

        public int MaxSeqLen { get; }
        public CompilerOptions Options { get; }

        /// <summary>The program graph with value sets, residual subspaces, depths and blocks.</summary>
        public ProgramGraph Graph { get; }

        /// <summary>Node label → half layer (even = attention, odd = MLP; a SelectorWidth's attention half).</summary>
        public IReadOnlyDictionary<string, int> LayerAllocation { get; }

        /// <summary>The craft model: blocks over named subspaces, layer by layer.</summary>
        public CraftModel Craft { get; }

        /// <summary>
        /// The assembled transformer (Tracr's <c>AssembledTransformerModel</c>): embeddings, per-layer W_QK / W_OV and
        /// MLP matrices over the named residual stream, as the reference forward pass runs them.
        /// </summary>
        public AssembledTransformer Assembled { get; }

        /// <summary>The same weights repacked for the fast forward pass and for emission as constant data (computed once, on first use).</summary>
        public PackedModel Packed => _packed ??= PackedModel.From(Assembled);

        private PackedModel? _packed;

        /// <summary>The name of every residual dimension.</summary>
        public IReadOnlyList<string> ResidualLabels => Assembled.ResidualLabels;

        public Encoding OutputEncoding => Assembled.OutputEncoding;

        /// <summary>
        /// Runs the transformer on <paramref name="tokens"/> (the BOS token is added for you) with the
        /// reference forward pass, returning the decoded outputs aligned with the input plus every residual.
        /// </summary>
        /// <exception cref="ArgumentException">A token is not in the vocab, or the input is longer than <see cref="MaxSeqLen"/>.</exception>
        public ModelRun<Value> Apply(IEnumerable<Value> tokens) => ReferenceForward.Run(Assembled, Encode(tokens));

        /// <summary>Token ids for the model's embedding (BOS first), validating the input.</summary>
        public int[] Encode(IEnumerable<Value> tokens)
        {
            if (tokens is null) throw new ArgumentNullException(nameof(tokens));
            var input = tokens as IReadOnlyList<Value> ?? tokens.ToArray();
            if (input.Count > MaxSeqLen)
                throw new ArgumentException($"The input has {input.Count} tokens but the model was compiled for at most {MaxSeqLen}.", nameof(tokens));
            var ids = new int[input.Count + 1];
            ids[0] = Assembled.BosTokenIndex;
            for (int i = 0; i < input.Count; i++)
            {
                if (!_tokenIds.TryGetValue(input[i], out int id))
                    throw new ArgumentException($"Token {input[i].Repr()} at position {i} is not in the vocab {{{string.Join(", ", Vocab.Select(v => v.Repr()))}}}.", nameof(tokens));
                ids[i + 1] = id;
            }
            return ids;
        }

        /// <summary>What the size estimate (pass 3b) predicted for this model.</summary>
        internal SizeEstimate Estimate { get; }

        /// <summary>Layers, heads, residual width and MLP neurons, in one line: the <c>Summary</c> of every typed model of these weights.</summary>
        public string Summary => ModelSummary.Describe(Packed);

        /// <summary>The <see cref="Summary"/>.</summary>
        public override string ToString() => Summary;
    }
}
