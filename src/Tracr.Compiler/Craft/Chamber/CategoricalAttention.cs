using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Craft.Chamber
{
    /// <summary>
    /// An attention head over categorical queries and keys (Tracr's <c>categorical_attn</c>), with
    /// the BOS trick: every query also attends to the BOS position with half the strength of a
    /// match, so a query that selects nothing attends only to BOS (whose value is the default),
    /// and a query that selects something gives BOS a vanishing weight (e^(-coldness/2)).
    /// </summary>
    internal static class CategoricalAttention
    {
        /// <param name="attend">Whether a query direction attends to a key direction.</param>
        /// <param name="alwaysAttendToBos">Give BOS the same strength as a match (SelectorWidth uses this to count).</param>
        /// <param name="useBosForDefaultOutput">BOS is not in the value space and maps to the zero (default) output.</param>
        public static AttentionHead Build(
            VectorSpace querySpace,
            VectorSpace keySpace,
            VectorSpace valueSpace,
            VectorSpace outputSpace,
            BasisDirection bos,
            BasisDirection one,
            Func<BasisDirection, BasisDirection, bool> attend,
            bool causal,
            bool alwaysAttendToBos,
            bool useBosForDefaultOutput,
            double softmaxColdness,
            string node)
        {
            var bosSpace = new VectorSpace(new[] { bos });
            querySpace = VectorSpace.Join(querySpace, bosSpace, new VectorSpace(new[] { one }));
            keySpace = VectorSpace.Join(keySpace, bosSpace);
            valueSpace = VectorSpace.Join(valueSpace, bosSpace);

            var valueBasis = alwaysAttendToBos ? valueSpace.Basis.ToList() : valueSpace.Basis.Where(d => !d.Equals(bos)).ToList();
            if (valueBasis.Count != outputSpace.Dimensions)
                throw new InvalidOperationException($"Attention for '{node}': {valueBasis.Count} value directions but {outputSpace.Dimensions} output directions.");
            var valueToOutput = new Dictionary<BasisDirection, BasisDirection>();
            for (int i = 0; i < valueBasis.Count; i++) valueToOutput[valueBasis[i]] = outputSpace.Basis[i];

            var wqk = ScalarBilinear.FromAction(querySpace, keySpace, (query, key) =>
            {
                if (key.Equals(bos) && query.Equals(one)) return (alwaysAttendToBos ? 1.0 : 0.5) * softmaxColdness;
                if (key.Equals(bos) || key.Equals(one) || query.Equals(bos) || query.Equals(one)) return 0;
                return attend(query, key) ? softmaxColdness : 0;
            });

            var wov = Linear.FromAction(valueSpace, outputSpace, input =>
            {
                if (useBosForDefaultOutput && input.Equals(bos)) return Array.Empty<(BasisDirection, double)>();
                return new[] { (valueToOutput[input], 1.0) };
            });

            return new AttentionHead(wqk, wov, causal, node);
        }
    }
}
