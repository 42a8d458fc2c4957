using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Transformer;

namespace Tracr.Generated
{
    /// <summary>
    /// A sparse matrix stored as runs of equal values along each row: row <c>r</c> owns runs
    /// <c>RowStart[r] .. RowStart[r + 1] - 1</c>, and run <c>i</c> sets columns
    /// <c>RunColumn[i] .. RunColumn[i] + RunLength[i] - 1</c> to <c>RunValue[i]</c>; every other entry is zero.
    /// </summary>
    /// <remarks>
    /// Why runs: compiled weights are mostly zero and their non-zeros come in runs of one value (a
    /// comparison's query-key table is a triangle of one constant; a lookup-table MLP writes 1s).
    /// The same arrays are compact constant data in generated source and the operand of the forward
    /// pass (<c>y[run] += x[row] · value</c> is one vectorised add per run), so nothing is decoded at load time.
    /// </remarks>
    sealed partial class RunMatrix
    {
        public RunMatrix(int rows, int columns, int[] rowStart, int[] runColumn, int[] runLength, double[] runValue)
        {
            if (rowStart.Length != rows + 1) throw new ArgumentException($"RowStart needs {rows + 1} entries, got {rowStart.Length}.", nameof(rowStart));
            int runs = rowStart[rows];
            if (runColumn.Length != runs || runLength.Length != runs || runValue.Length != runs)
                throw new ArgumentException($"Expected {runs} runs in every run array.");
            for (int r = 0; r < rows; r++)
                if (rowStart[r] > rowStart[r + 1]) throw new ArgumentException($"RowStart decreases at row {r}.", nameof(rowStart));
            for (int i = 0; i < runs; i++)
                if (runLength[i] < 1 || runColumn[i] < 0 || runColumn[i] + runLength[i] > columns)
                    throw new ArgumentException($"Run {i} (column {runColumn[i]}, length {runLength[i]}) is outside {columns} columns.");
            Rows = rows;
            Columns = columns;
            RowStart = rowStart;
            RunColumn = runColumn;
            RunLength = runLength;
            RunValue = runValue;
        }

        public int Rows { get; }
        public int Columns { get; }
        public int[] RowStart { get; }
        public int[] RunColumn { get; }
        public int[] RunLength { get; }
        public double[] RunValue { get; }

        public int RunCount => RowStart[Rows];

        /// <summary>Number of non-zero entries.</summary>
        public long NonZeroCount
        {
            get
            {
                long n = 0;
                for (int i = 0; i < RunCount; i++) if (RunValue[i] != 0) n += RunLength[i];
                return n;
            }
        }

        /// <summary>Packs a dense matrix: maximal runs of equal non-zero values along each row.</summary>
        public static RunMatrix FromDense(double[,] m)
        {
            int rows = m.GetLength(0), cols = m.GetLength(1);
            var rowStart = new int[rows + 1];
            var col = new List<int>();
            var len = new List<int>();
            var val = new List<double>();
            for (int r = 0; r < rows; r++)
            {
                rowStart[r] = col.Count;
                int c = 0;
                while (c < cols)
                {
                    double v = m[r, c];
                    if (v == 0) { c++; continue; }
                    int start = c;
                    while (c < cols && m[r, c] == v) c++;
                    col.Add(start);
                    len.Add(c - start);
                    val.Add(v);
                }
            }
            rowStart[rows] = col.Count;
            return new RunMatrix(rows, cols, rowStart, col.ToArray(), len.ToArray(), val.ToArray());
        }

        /// <summary>The dense matrix (for inspection and tests).</summary>
        public double[,] ToDense()
        {
            var m = new double[Rows, Columns];
            for (int r = 0; r < Rows; r++)
                for (int i = RowStart[r]; i < RowStart[r + 1]; i++)
                    for (int c = RunColumn[i]; c < RunColumn[i] + RunLength[i]; c++)
                        m[r, c] = RunValue[i];
            return m;
        }
    }

    /// <summary>
    /// One attention head in block-local coordinates: it reads residual dimensions <see cref="QueryDims"/>,
    /// <see cref="KeyDims"/> and <see cref="ValueDims"/> and adds to <see cref="OutputDims"/>. In a model from
    /// <see cref="PackedModel.From"/> these are the dimensions with a non-zero weight (<see cref="BlockPruning"/>).
    /// </summary>
    sealed partial class PackedHead
    {
        public PackedHead(string node, bool causal, int[] queryDims, int[] keyDims, int[] valueDims, int[] outputDims, RunMatrix queryKey, RunMatrix outputValue)
        {
            if (queryKey.Rows != queryDims.Length || queryKey.Columns != keyDims.Length) throw new ArgumentException("W_QK must be [query dims, key dims].");
            if (outputValue.Rows != valueDims.Length || outputValue.Columns != outputDims.Length) throw new ArgumentException("W_OV must be [value dims, output dims].");
            Node = node;
            Causal = causal;
            QueryDims = queryDims;
            KeyDims = keyDims;
            ValueDims = valueDims;
            OutputDims = outputDims;
            QueryKey = queryKey;
            OutputValue = outputValue;
        }

        /// <summary>Label of the RASP node the head computes.</summary>
        public string Node { get; }
        public bool Causal { get; }
        public int[] QueryDims { get; }
        public int[] KeyDims { get; }
        public int[] ValueDims { get; }
        public int[] OutputDims { get; }

        /// <summary>W_QK [query dims, key dims]: <c>logit(p, s) = x[p, QueryDims] · W_QK · x[s, KeyDims]ᵀ</c> (W_Q = W_QK, W_K = identity on the key dims).</summary>
        public RunMatrix QueryKey { get; }

        /// <summary>W_OV [value dims, output dims]: the head adds <c>Σ_s w(p, s) · x[s, ValueDims] · W_OV</c> at <see cref="OutputDims"/>.</summary>
        public RunMatrix OutputValue { get; }

        /// <summary>This head writes a dimension <paramref name="other"/> reads, or (another head) one it writes.</summary>
        internal bool Overlaps(PackedHead other)
        {
            var output = new HashSet<int>(OutputDims);
            return other.QueryDims.Any(output.Contains) || other.KeyDims.Any(output.Contains) || other.ValueDims.Any(output.Contains)
                || (!ReferenceEquals(this, other) && other.OutputDims.Any(output.Contains));
        }
    }

    /// <summary>A transformer block: an attention layer (its heads run in parallel) or an MLP.</summary>
    abstract partial class PackedBlock
    {
        private protected PackedBlock(int layer) { Layer = layer; }

        public int Layer { get; }

        /// <summary>"layer 0 attention", "layer 0 mlp", ... (the names the reference forward pass uses).</summary>
        public abstract string Name { get; }
    }

    /// <summary>An attention layer: its heads, which run in parallel on the residual stream before the layer.</summary>
    sealed partial class PackedAttention : PackedBlock
    {
        public PackedAttention(int layer, PackedHead[] heads) : base(layer)
        {
            Heads = heads ?? throw new ArgumentNullException(nameof(heads));
            // In place is the same computation when no head writes a dimension another head of the layer reads
            // (every head sees the residual before the layer) and no two heads write the same dimension (so
            // each residual entry gets exactly one addition, x + out, as it gets x + delta in the reference).
            InPlace = !heads.Any(a => heads.Any(a.Overlaps));
            OutputUnion = heads.SelectMany(h => h.OutputDims).Distinct().OrderBy(d => d).ToArray();
        }

        public PackedHead[] Heads { get; }

        /// <summary>Every residual dimension some head writes, ascending.</summary>
        internal int[] OutputUnion { get; }

        /// <summary>True when a fast path may accumulate every head's output directly into the residual stream.</summary>
        internal bool InPlace { get; }

        public override string Name => $"layer {Layer} attention";
    }

    /// <summary>An MLP in block-local coordinates: <c>relu(x[InputDims] · W1) · W2</c> added at <see cref="OutputDims"/>.</summary>
    sealed partial class PackedMlp : PackedBlock
    {
        /// <param name="compiledHiddenSize">Hidden neurons of the MLP as compiled, before <see cref="BlockPruning"/> (null: <c>w1.Columns</c>).</param>
        public PackedMlp(int layer, string[] nodes, int[] inputDims, RunMatrix w1, RunMatrix w2, int[] outputDims, int? compiledHiddenSize = null) : base(layer)
        {
            if (w1.Rows != inputDims.Length || w2.Rows != w1.Columns || w2.Columns != outputDims.Length)
                throw new ArgumentException("MLP shapes must be W1 [input dims, hidden], W2 [hidden, output dims].");
            if (compiledHiddenSize < w1.Columns) throw new ArgumentOutOfRangeException(nameof(compiledHiddenSize), $"The compiled MLP cannot have fewer than the {w1.Columns} neurons kept.");
            Nodes = nodes;
            InputDims = inputDims;
            W1 = w1;
            W2 = w2;
            OutputDims = outputDims;
            CompiledHiddenSize = compiledHiddenSize ?? w1.Columns;
        }

        /// <summary>Labels of the RASP nodes this MLP computes (several when same-depth MLPs were combined).</summary>
        public string[] Nodes { get; }
        public int[] InputDims { get; }
        public RunMatrix W1 { get; }
        public RunMatrix W2 { get; }
        public int[] OutputDims { get; }

        /// <summary>Hidden neurons (in a model from <see cref="PackedModel.From"/>, the ones that matter).</summary>
        public int HiddenSize => W1.Columns;

        /// <summary>Hidden neurons of the MLP as the compiler built it, before pruning.</summary>
        internal int CompiledHiddenSize { get; }

        /// <summary>Max over the hidden neurons of Σ_i |W1[i, h]| (see <see cref="PackedModel.MaxPreActivationScale"/>).</summary>
        internal double MaxPreActivationScale
        {
            get
            {
                var sums = new double[W1.Columns];
                for (int r = 0; r < W1.Rows; r++)
                    for (int i = W1.RowStart[r]; i < W1.RowStart[r + 1]; i++)
                        for (int c = 0; c < W1.RunLength[i]; c++) sums[W1.RunColumn[i] + c] += Math.Abs(W1.RunValue[i]);
                return sums.DefaultIfEmpty(0).Max();
            }
        }

        public override string Name => $"layer {Layer} mlp";
    }

    /// <summary>
    /// The compiled transformer in the layout the fast forward pass runs and the source generator emits
    /// as constant data: embeddings and every block as <see cref="RunMatrix"/> weights over the residual
    /// dimensions the block touches. It computes what <see cref="AssembledTransformer"/> computes, repacked
    /// and pruned once (<see cref="BlockPruning"/>): every non-zero weight is kept as the compiler computed it.
    /// </summary>
    sealed partial class PackedModel
    {
        public PackedModel(int width, int maxSeqLen, string[] residualLabels, Value[] tokens, int bosToken, int padToken,
            RunMatrix tokenEmbedding, RunMatrix positionEmbedding, PackedBlock[] blocks, Encoding outputEncoding, int[] outputDims, Value[] outputValues)
        {
            if (residualLabels.Length != width) throw new ArgumentException("One residual label per dimension is required.", nameof(residualLabels));
            if (tokenEmbedding.Rows != tokens.Length || tokenEmbedding.Columns != width) throw new ArgumentException("Token embedding must be [tokens, width].");
            if (outputDims.Length != outputValues.Length) throw new ArgumentException("One output value per output dimension is required.");
            Width = width;
            MaxSeqLen = maxSeqLen;
            if (positionEmbedding.Rows != MaxPositions || positionEmbedding.Columns != width) throw new ArgumentException("Position embedding must be [max_seq_len + 1, width].");
            ResidualLabels = residualLabels;
            Tokens = tokens;
            BosToken = bosToken;
            PadToken = padToken;
            TokenEmbedding = tokenEmbedding;
            PositionEmbedding = positionEmbedding;
            Blocks = blocks;
            OutputEncoding = outputEncoding;
            OutputDims = outputDims;
            OutputValues = outputValues;
        }

        /// <summary>Residual stream width (d_model).</summary>
        public int Width { get; }
        public int MaxSeqLen { get; }

        /// <summary>Positions a forward pass can hold: <see cref="MaxSeqLen"/> tokens and BOS (the rows of <see cref="PositionEmbedding"/>).</summary>
        internal int MaxPositions => MaxSeqLen + 1;

        public string[] ResidualLabels { get; }

        /// <summary>The embedding vocabulary: the sorted user vocab, then BOS, then PAD.</summary>
        public Value[] Tokens { get; }
        public int BosToken { get; }
        public int PadToken { get; }

        /// <summary>[token, width].</summary>
        public RunMatrix TokenEmbedding { get; }

        /// <summary>[position (0 = BOS), width].</summary>
        public RunMatrix PositionEmbedding { get; }

        /// <summary>Blocks in execution order.</summary>
        public PackedBlock[] Blocks { get; }

        public Encoding OutputEncoding { get; }

        /// <summary>Residual dimensions the unembedding reads.</summary>
        public int[] OutputDims { get; }

        /// <summary>The value each output dimension stands for (categorical), or None (numerical).</summary>
        public Value[] OutputValues { get; }

        public int LayerCount => Blocks.Length == 0 ? 0 : Blocks.Max(b => b.Layer) + 1;
        public int HeadCount => Blocks.OfType<PackedAttention>().Sum(a => a.Heads.Length);

        /// <summary>
        /// The largest pre-activation scale of any MLP neuron: max over hidden neurons h of Σ_i |W1[i, h]|
        /// (computed on first use: a generated model, whose precision was chosen at build time, never needs it).
        /// A discretising MLP computes <c>L·x + b</c> for a slope L and a bias <c>b ≈ −L·t</c> (threshold t):
        /// numbers of this size that cancel to within [−1, 1], where the neuron's step is decided. float32
        /// keeps 24 bits, so the error there is about this scale × 2⁻²⁴ per rounding.
        /// </summary>
        internal double MaxPreActivationScale => (double)(_maxPreActivationScale ??= Blocks.OfType<PackedMlp>().Select(m => m.MaxPreActivationScale).DefaultIfEmpty(0).Max());

        private object? _maxPreActivationScale; // boxed: a reference is written atomically, a double? is not


        /// <summary>
        /// Above this <see cref="MaxPreActivationScale"/> (2¹⁹) a model needs float64: below it a few
        /// float32 roundings (≈ 2⁻²² × scale) stay under 1/8 of a discretising neuron's unit step.
        /// </summary>
        internal const double SinglePrecisionScaleLimit = 524288;

        /// <summary>
        /// The precision rule: float64 when <see cref="MaxPreActivationScale"/> exceeds
        /// <see cref="SinglePrecisionScaleLimit"/> (measurements in docs/performance.md: every golden,
        /// random and library model and sort 64/64 run in float32; shuffle_dyck at max_seq_len 32, with
        /// slopes of about 4e6, needs float64).
        /// </summary>
        internal bool NeedsDoublePrecision => MaxPreActivationScale > SinglePrecisionScaleLimit;

        /// <summary>Repacks and prunes an assembled transformer (<see cref="BlockPruning"/>: only all-zero rows, columns and neurons are dropped).</summary>
        public static PackedModel From(AssembledTransformer t)
        {
            var blocks = new List<PackedBlock>();
            for (int l = 0; l < t.Layers.Count; l++)
            {
                var layer = t.Layers[l];
                if (layer.Heads.Count > 0)
                    blocks.Add(new PackedAttention(l, layer.Heads.Select(h => BlockPruning.Prune(new PackedHead(h.Node, h.Causal,
                        h.QueryIndices, h.KeyIndices, h.ValueIndices, h.OutputIndices,
                        RunMatrix.FromDense(h.WQK), RunMatrix.FromDense(h.WOV)))).ToArray()));
                if (layer.Mlp is { } mlp)
                    blocks.Add(BlockPruning.Prune(new PackedMlp(l, mlp.Nodes.ToArray(), mlp.InputIndices, RunMatrix.FromDense(mlp.W1), RunMatrix.FromDense(mlp.W2), mlp.OutputIndices)));
            }
            return new PackedModel(t.Width, t.MaxSeqLen, t.ResidualLabels.ToArray(), t.Tokens.ToArray(), t.BosTokenIndex, t.PadTokenIndex,
                RunMatrix.FromDense(t.TokenEmbedding), RunMatrix.FromDense(t.PositionEmbedding), blocks.ToArray(),
                t.OutputEncoding, t.OutputIndices, t.OutputValues.ToArray());
        }
    }
}
