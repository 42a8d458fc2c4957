using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Craft;

namespace Tracr.Transformer
{
    /// <summary>
    /// One attention head of the assembled transformer. Its weights are stored over the residual
    /// dimensions it reads and writes (the rest of each matrix is zero): logits are
    /// <c>x[q, QueryIndices] · WQK · x[k, KeyIndices]ᵀ</c>, values <c>x[k, ValueIndices] · WOV</c>, added at <c>OutputIndices</c>.
    /// </summary>
    sealed partial class HeadWeights
    {
        internal HeadWeights(AttentionHead head, Func<BasisDirection, int> index, int width)
        {
            Node = head.Node;
            Causal = head.Causal;
            QueryIndices = head.WQK.LeftSpace.Basis.Select(index).ToArray();
            KeyIndices = head.WQK.RightSpace.Basis.Select(index).ToArray();
            ValueIndices = head.WOV.InputSpace.Basis.Select(index).ToArray();
            OutputIndices = head.WOV.OutputSpace.Basis.Select(index).ToArray();
            WQK = head.WQK.Matrix;
            WOV = head.WOV.Matrix;
            Width = width;
        }

        /// <summary>Label of the RASP node the head computes.</summary>
        public string Node { get; }

        public bool Causal { get; }
        public int[] QueryIndices { get; }
        public int[] KeyIndices { get; }
        public int[] ValueIndices { get; }
        public int[] OutputIndices { get; }
        public double[,] WQK { get; }
        public double[,] WOV { get; }
        private int Width { get; }

        /// <summary>Dense W_Q [residual, key dims]: queries are <c>x · W_Q</c>. Together with <see cref="KeyWeights"/>, <c>W_Q · W_Kᵀ</c> is the query-key form.</summary>
        public double[,] QueryWeights() => Embed(WQK, QueryIndices, Enumerable.Range(0, KeyIndices.Length).ToArray(), Width, KeyIndices.Length);

        /// <summary>Dense W_K [residual, key dims]: a projection onto the key subspace.</summary>
        public double[,] KeyWeights() => Embed(Identity(KeyIndices.Length), KeyIndices, Enumerable.Range(0, KeyIndices.Length).ToArray(), Width, KeyIndices.Length);

        /// <summary>Dense W_V [residual, output dims].</summary>
        public double[,] ValueWeights() => Embed(WOV, ValueIndices, Enumerable.Range(0, OutputIndices.Length).ToArray(), Width, OutputIndices.Length);

        /// <summary>Dense W_O [output dims, residual]: writes the head's output into its residual subspace.</summary>
        public double[,] OutputWeights() => Embed(Identity(OutputIndices.Length), Enumerable.Range(0, OutputIndices.Length).ToArray(), OutputIndices, OutputIndices.Length, Width);

        internal static double[,] Identity(int n)
        {
            var m = new double[n, n];
            for (int i = 0; i < n; i++) m[i, i] = 1;
            return m;
        }

        internal static double[,] Embed(double[,] local, int[] rows, int[] cols, int height, int width)
        {
            var m = new double[height, width];
            for (int i = 0; i < rows.Length; i++)
                for (int j = 0; j < cols.Length; j++)
                    m[rows[i], cols[j]] += local[i, j];
            return m;
        }
    }

    /// <summary>The MLP of one layer: <c>relu(x[InputIndices] · W1) · W2</c> added at <c>OutputIndices</c>.</summary>
    sealed partial class MlpWeights
    {
        internal MlpWeights(Mlp mlp, Func<BasisDirection, int> index, int width)
        {
            Nodes = mlp.Nodes;
            InputIndices = mlp.Fst.InputSpace.Basis.Select(index).ToArray();
            OutputIndices = mlp.Snd.OutputSpace.Basis.Select(index).ToArray();
            HiddenLabels = mlp.Fst.OutputSpace.Basis.Select(b => b.Label).ToArray();
            W1 = mlp.Fst.Matrix;
            W2 = mlp.Snd.Matrix;
            _width = width;
        }

        private readonly int _width;
        public IReadOnlyList<string> Nodes { get; }
        public int[] InputIndices { get; }
        public int[] OutputIndices { get; }
        public IReadOnlyList<string> HiddenLabels { get; }
        public int HiddenSize => HiddenLabels.Count;
        public double[,] W1 { get; }
        public double[,] W2 { get; }

        /// <summary>Dense first layer [residual, hidden].</summary>
        public double[,] DenseW1() => HeadWeights.Embed(W1, InputIndices, Enumerable.Range(0, HiddenSize).ToArray(), _width, HiddenSize);

        /// <summary>Dense second layer [hidden, residual].</summary>
        public double[,] DenseW2() => HeadWeights.Embed(W2, Enumerable.Range(0, HiddenSize).ToArray(), OutputIndices, HiddenSize, _width);
    }

    /// <summary>One transformer layer: attention heads (possibly none) then an MLP (possibly none), each with a residual connection.</summary>
    sealed partial class TransformerLayer
    {
        internal TransformerLayer(IReadOnlyList<HeadWeights> heads, MlpWeights? mlp)
        {
            Heads = heads;
            Mlp = mlp;
        }

        public IReadOnlyList<HeadWeights> Heads { get; }
        public MlpWeights? Mlp { get; }
    }

    /// <summary>
    /// The compiled transformer (Tracr's assembled model): token and position embeddings, layers of
    /// attention and MLP over one residual stream whose every dimension has a name, and the
    /// unembedding that reads the output node's subspace.
    /// </summary>
    sealed partial class AssembledTransformer
    {
        internal AssembledTransformer(CraftModel craft, VectorSpace residual, IReadOnlyList<Value> vocab, int maxSeqLen,
            Value bos, Value pad, VectorSpace outputSpace, Encoding outputEncoding)
        {
            ResidualBasis = residual.Basis;
            ResidualLabels = residual.Basis.Select(b => b.Label).ToArray();
            Width = residual.Dimensions;
            MaxSeqLen = maxSeqLen;
            Tokens = vocab.Concat(new[] { bos, pad }).ToArray();
            BosTokenIndex = vocab.Count;
            PadTokenIndex = vocab.Count + 1;
            OutputEncoding = outputEncoding;

            // The constant `one` direction exists only when some block reads it.
            bool hasOne = residual.TryIndexOf(new BasisDirection("one"), out int one);
            TokenEmbedding = new double[Tokens.Count, Width];
            for (int t = 0; t < Tokens.Count; t++)
            {
                TokenEmbedding[t, residual.IndexOf(new BasisDirection("tokens", Tokens[t]))] = 1;
                if (hasOne && t != PadTokenIndex) TokenEmbedding[t, one] = 1;
            }
            // Position 0 holds BOS and carries no index; position p >= 1 holds token p-1, which has index p-1.
            PositionEmbedding = new double[maxSeqLen + 1, Width];
            for (int p = 1; p <= maxSeqLen; p++)
                PositionEmbedding[p, residual.IndexOf(new BasisDirection("indices", Value.FromInt(p - 1)))] = 1;

            OutputIndices = outputSpace.Basis.Select(residual.IndexOf).ToArray();
            OutputValues = outputSpace.Basis.Select(b => b.Value).ToArray();

            int layerCount = craft.Layers.Count == 0 ? 0 : craft.Layers.Max(l => l.Layer) + 1;
            var layers = new List<TransformerLayer>();
            for (int l = 0; l < layerCount; l++)
            {
                var attn = craft.Layers.OfType<AttentionLayer>().FirstOrDefault(x => x.Layer == l);
                var mlp = craft.Layers.OfType<MlpLayer>().FirstOrDefault(x => x.Layer == l);
                layers.Add(new TransformerLayer(
                    attn?.Heads.Select(h => new HeadWeights(h, residual.IndexOf, Width)).ToArray() ?? Array.Empty<HeadWeights>(),
                    mlp is null ? null : new MlpWeights(mlp.Mlp, residual.IndexOf, Width)));
            }
            Layers = layers;
        }

        public IReadOnlyList<BasisDirection> ResidualBasis { get; }

        /// <summary>The name of every residual dimension (<c>tokens:a</c>, <c>indices:0</c>, <c>one</c>, <c>map_3:2</c>, ...).</summary>
        public IReadOnlyList<string> ResidualLabels { get; }

        /// <summary>The residual stream width (d_model).</summary>
        public int Width { get; }

        public int MaxSeqLen { get; }

        /// <summary>The embedding vocabulary: the user's vocab, then BOS, then PAD.</summary>
        public IReadOnlyList<Value> Tokens { get; }

        public int BosTokenIndex { get; }
        public int PadTokenIndex { get; }

        /// <summary>[token, residual]: <c>tokens:t</c> + <c>one</c> (when the model has a <c>one</c> direction).</summary>
        public double[,] TokenEmbedding { get; }

        /// <summary>[position, residual]: zero at position 0 (BOS), <c>indices:p-1</c> at position p.</summary>
        public double[,] PositionEmbedding { get; }

        public IReadOnlyList<TransformerLayer> Layers { get; }

        /// <summary>Residual dimensions of the output node (the unembedding reads these).</summary>
        public int[] OutputIndices { get; }

        /// <summary>The value each output dimension stands for (categorical), or None (numerical).</summary>
        public IReadOnlyList<Value> OutputValues { get; }

        public Encoding OutputEncoding { get; }

        public int HeadCount => Layers.Sum(l => l.Heads.Count);

        /// <summary>
        /// Parameters of the equivalent dense transformer: embeddings, W_Q/W_K/W_V/W_O of every head
        /// (key and value sizes as compiled), both MLP matrices and the unembedding.
        /// </summary>
        public long ParameterCount
        {
            get
            {
                long n = (long)(Tokens.Count + PositionEmbedding.GetLength(0)) * Width + (long)Width * OutputIndices.Length;
                foreach (var layer in Layers)
                {
                    foreach (var h in layer.Heads) n += 2L * Width * h.KeyIndices.Length + 2L * Width * h.OutputIndices.Length;
                    if (layer.Mlp != null) n += 2L * Width * layer.Mlp.HiddenSize;
                }
                return n;
            }
        }

        /// <summary>Non-zero weights (compiled models are very sparse).</summary>
        public long NonZeroParameterCount
        {
            get
            {
                long n = Count(TokenEmbedding) + Count(PositionEmbedding) + OutputIndices.Length;
                foreach (var layer in Layers)
                {
                    foreach (var h in layer.Heads) n += Count(h.WQK) + h.KeyIndices.Length + Count(h.WOV) + h.OutputIndices.Length;
                    if (layer.Mlp != null) n += Count(layer.Mlp.W1) + Count(layer.Mlp.W2);
                }
                return n;
            }
        }

        private static long Count(double[,] m)
        {
            long c = 0;
            foreach (var v in m) if (v != 0) c++;
            return c;
        }
    }
}
