using System.Collections.Generic;
using System.Linq;
using Tracr.Craft;
using Tracr.Transformer;

namespace Tracr.Compiler
{
    /// <summary>
    /// Pass 6: assembles the craft model into a transformer (Tracr's <c>craft_model_to_transformer</c>
    /// and <c>assemble</c>). The residual stream gains every token (with BOS and PAD), every index
    /// and the output space, so the embeddings cover all inputs; <c>one</c> is there only when a
    /// block reads it, as in Tracr.
    /// </summary>
    internal static class CraftModelToTransformer
    {
        public static AssembledTransformer Assemble(CraftModel craft, ProgramGraph graph, IReadOnlyList<Value> vocab, int maxSeqLen, CompilerOptions options)
        {
            var bos = Value.FromString(options.CompilerBos);
            var pad = Value.FromString(options.CompilerPad);
            var tokens = VectorSpace.FromValues("tokens", vocab.Concat(new[] { bos, pad }));
            var indices = VectorSpace.FromValues("indices", Enumerable.Range(0, maxSeqLen).Select(i => Value.FromInt(i)));
            var output = graph.Sink.OutputSpace!;
            var residual = VectorSpace.Join(craft.ResidualSpace, tokens, indices, output);
            var encoding = ((SOp)graph.Sink.Expr).Encoding;
            return new AssembledTransformer(craft, residual, vocab, maxSeqLen, bos, pad, output, encoding);
        }
    }
}
