using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Craft.Chamber
{
    /// <summary>
    /// One attention head for a conjunction of conditions over different queries and keys (summed scores). Each
    /// part reads one query space and one key space and adds <c>coldness</c> to the score of the pairs it selects;
    /// a key every one of the n parts selects scores n·coldness, any other at most (n-1)·coldness. BOS scores
    /// (n - 1/2)·coldness, so it wins exactly when no key scores n (the BOS trick of
    /// <see cref="CategoricalAttention"/>, shifted), or n·coldness when the head counts (SelectorWidth). The
    /// selected keys all score the same, so the attention stays uniform over them.
    /// </summary>
    internal static class CompositeAttention
    {
        /// <summary>One conjunct: whether a query direction of <see cref="QuerySpace"/> attends to a key direction of <see cref="KeySpace"/>.</summary>
        public sealed class Part
        {
            /// <param name="queryName">The name of every direction of the query space (the query S-op's label).</param>
            /// <param name="keyName">The name of every direction of the key space.</param>
            public Part(string queryName, VectorSpace querySpace, string keyName, VectorSpace keySpace, Func<BasisDirection, BasisDirection, bool> attend)
            {
                QueryName = queryName;
                KeyName = keyName;
                QuerySpace = querySpace;
                KeySpace = keySpace;
                Attend = attend;
            }

            public string QueryName { get; }
            public string KeyName { get; }
            public VectorSpace QuerySpace { get; }
            public VectorSpace KeySpace { get; }
            public Func<BasisDirection, BasisDirection, bool> Attend { get; }
        }

        /// <param name="parts">The conjuncts; no two may share both their query and their key space (merge those first).</param>
        public static AttentionHead Build(
            IReadOnlyList<Part> parts,
            VectorSpace valueSpace,
            VectorSpace outputSpace,
            BasisDirection bos,
            BasisDirection one,
            bool causal,
            bool alwaysAttendToBos,
            bool useBosForDefaultOutput,
            double softmaxColdness,
            string node)
        {
            if (parts.Count == 0) throw new ArgumentException($"Attention for '{node}': no parts.", nameof(parts));
            var bosSpace = new VectorSpace(new[] { bos });
            var querySpace = VectorSpace.Join(parts.Select(p => p.QuerySpace).Concat(new[] { bosSpace, new VectorSpace(new[] { one }) }).ToArray());
            var keySpace = VectorSpace.Join(parts.Select(p => p.KeySpace).Concat(new[] { bosSpace }).ToArray());
            valueSpace = VectorSpace.Join(valueSpace, bosSpace);

            var valueBasis = alwaysAttendToBos ? valueSpace.Basis.ToList() : valueSpace.Basis.Where(d => !d.Equals(bos)).ToList();
            if (valueBasis.Count != outputSpace.Dimensions)
                throw new InvalidOperationException($"Attention for '{node}': {valueBasis.Count} value directions but {outputSpace.Dimensions} output directions.");
            var valueToOutput = new Dictionary<BasisDirection, BasisDirection>();
            for (int i = 0; i < valueBasis.Count; i++) valueToOutput[valueBasis[i]] = outputSpace.Basis[i];

            // Parts by the names of the S-ops they read: a query/key direction pair belongs to at most one part.
            var byNames = new Dictionary<(string, string), Part>();
            foreach (var p in parts)
            {
                var key = (p.QueryName, p.KeyName);
                if (byNames.ContainsKey(key)) throw new ArgumentException($"Attention for '{node}': two parts read {key.Item1} and {key.Item2}.", nameof(parts));
                byNames[key] = p;
            }
            int n = parts.Count;
            var wqk = ScalarBilinear.FromAction(querySpace, keySpace, (query, key) =>
            {
                if (key.Equals(bos) && query.Equals(one)) return (alwaysAttendToBos ? n : n - 0.5) * softmaxColdness;
                if (key.Equals(bos) || query.Equals(bos) || query.Equals(one)) return 0;
                return byNames.TryGetValue((query.Name, key.Name), out var part) && part.Attend(query, key) ? softmaxColdness : 0;
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
