using System.Globalization;
using System.Linq;
using Tracr.Generated;

namespace Tracr.Transformer
{
    /// <summary>
    /// The one-line description of a compiled model ("4 layers, 2 heads, residual width 41, 52 MLP neurons";
    /// numbers with invariant thousands separators, "residual width 4,357"),
    /// computed in one place from the weights the model runs, so that a generated model's <c>Summary</c>, the
    /// <c>Summary</c> of <c>CompiledTransformer.From(model)</c>, <c>CompiledModel.Summary</c> (and its <c>ToString()</c>) and the generated
    /// XML doc say the same thing. The generator links this file, so build time and run time share the text.
    /// </summary>
    internal static class ModelSummary
    {
        public static string Describe(PackedModel packed) =>
            $"{Count(packed.LayerCount, "layer")}, {Count(packed.HeadCount, "head")}, residual width {packed.Width.ToString("N0", CultureInfo.InvariantCulture)}, " +
            $"{Count(packed.Blocks.Sum(b => b is PackedMlp m ? m.CompiledHiddenSize : 0), "MLP neuron")}";

        private static string Count(int n, string noun) => n == 1 ? "1 " + noun : n.ToString("N0", CultureInfo.InvariantCulture) + " " + noun + "s";
    }
}
