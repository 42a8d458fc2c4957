using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Craft.Chamber
{
    /// <summary>
    /// SelectorWidth as an attention head plus an MLP (Tracr's <c>selector_width</c>). The head attends
    /// to the selected keys and, with equal strength, to BOS, and copies the BOS indicator: every
    /// query receives 1/(w+1) for width w. The MLP decodes w = round(1/x - 1) with a discretising
    /// layer, and a second part removes what the block wrote at the BOS position.
    /// </summary>
    internal static class SelectorWidthBlock
    {
        public static AttentionThenMlp Build(
            VectorSpace querySpace,
            VectorSpace keySpace,
            VectorSpace outputSpace,
            BasisDirection bos,
            BasisDirection one,
            Func<BasisDirection, BasisDirection, bool> attend,
            IReadOnlyList<Value> outputValues,
            bool categoricalOutput,
            bool causal,
            double softmaxColdness,
            double mlpLargeNumber,
            string label) =>
            Build((valueSpace, outSpace) => CategoricalAttention.Build(querySpace, keySpace, valueSpace, outSpace, bos, one,
                    attend, causal, alwaysAttendToBos: true, useBosForDefaultOutput: false, softmaxColdness, label),
                outputSpace, bos, one, outputValues, categoricalOutput, mlpLargeNumber, label);

        /// <summary>SelectorWidth of a conjunction over different queries and keys: the head sums the parts' scores (<see cref="CompositeAttention"/>).</summary>
        public static AttentionThenMlp BuildComposite(
            IReadOnlyList<CompositeAttention.Part> parts,
            VectorSpace outputSpace,
            BasisDirection bos,
            BasisDirection one,
            IReadOnlyList<Value> outputValues,
            bool categoricalOutput,
            bool causal,
            double softmaxColdness,
            double mlpLargeNumber,
            string label) =>
            Build((valueSpace, outSpace) => CompositeAttention.Build(parts, valueSpace, outSpace, bos, one,
                    causal, alwaysAttendToBos: true, useBosForDefaultOutput: false, softmaxColdness, label),
                outputSpace, bos, one, outputValues, categoricalOutput, mlpLargeNumber, label);

        /// <param name="attentionOver">Builds the counting head that copies BOS (the value space) into the given output space.</param>
        private static AttentionThenMlp Build(
            Func<VectorSpace, VectorSpace, AttentionHead> attentionOver,
            VectorSpace outputSpace,
            BasisDirection bos,
            BasisDirection one,
            IReadOnlyList<Value> outputValues,
            bool categoricalOutput,
            double mlpLargeNumber,
            string label)
        {
            var attnOut = new BasisDirection(label + "_selector_width_attn_output");
            var attnOutSpace = new VectorSpace(new[] { attnOut });
            var attention = attentionOver(new VectorSpace(new[] { bos }), attnOutSpace);

            Value? Decode(Value x) => Value.FromInt((long)Math.Round(1 / x.AsDouble - 1, MidpointRounding.ToEven));
            var inputValues = outputValues.Select(w => Value.FromFloat(1.0 / (w.AsDouble + 1))).ToList();
            string hiddenName = "_hidden_" + label + "_";
            var decode = categoricalOutput
                ? NumericalMlp.MapToCategorical(Decode, attnOut, outputSpace, inputValues, one, mlpLargeNumber, hiddenName, label)
                : NumericalMlp.Map(Decode, attnOut, outputSpace.Basis[0], inputValues, one, mlpLargeNumber, hiddenName, label);

            // At BOS the head attends only to BOS (x = 1, decoded as width 0): subtract both writes there.
            var cleanOut = VectorSpace.Join(attnOutSpace, outputSpace);
            var subtract = new List<(BasisDirection, double)> { (attnOut, -1.0) };
            if (categoricalOutput)
            {
                var zero = outputSpace.Basis.First(d => d.Value.IsNumeric && d.Value.AsDouble == 0);
                subtract.Add((zero, -1.0));
            }
            // Named per node: Tracr shares one name, so two selector widths in one layer would double-subtract.
            var hiddenDir = new BasisDirection("_hidden_clean_bos_", Value.FromString(label));
            var hiddenSpace = new VectorSpace(new[] { hiddenDir });
            var clean = new Mlp(
                Linear.FromAction(new VectorSpace(new[] { bos }), hiddenSpace, _ => new[] { (hiddenDir, 1.0) }),
                Linear.FromAction(hiddenSpace, cleanOut, _ => subtract),
                new[] { label });

            return new AttentionThenMlp(attention, Mlp.CombineInParallel(new[] { decode, clean }));
        }
    }
}
