using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracr.Craft
{
    /// <summary>
    /// A named direction of the residual stream (Tracr's <c>BasisDirection</c>): <c>one</c>,
    /// <c>tokens:a</c>, <c>map_3:2</c>, <c>_hidden_map_3_:(1, 0)</c>. A categorical S-op owns one direction per
    /// value; a numerical S-op owns a single direction with no value.
    /// </summary>
    sealed partial class BasisDirection : IEquatable<BasisDirection>, IComparable<BasisDirection>
    {
        public BasisDirection(string name, Value value = default)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Value = value;
        }

        public string Name { get; }

        /// <summary>The value this direction one-hot encodes, or None.</summary>
        public Value Value { get; }

        /// <summary>Tracr's label: <c>name</c> or <c>name:value</c>.</summary>
        public string Label => Value.IsNone ? Name : Name + ":" + Value.ToString();

        public bool Equals(BasisDirection? other) =>
            other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) && Value.Equals(other.Value);

        public override bool Equals(object? obj) => obj is BasisDirection d && Equals(d);

        public override int GetHashCode() => unchecked(StringComparer.Ordinal.GetHashCode(Name) * 397 ^ Value.GetHashCode());

        /// <summary>
        /// Tracr's order: by (name, value) as Python tuples; where Python cannot compare the values
        /// (e.g. a string with a number) it falls back to comparing the labels.
        /// </summary>
        public int CompareTo(BasisDirection? other)
        {
            if (other is null) return 1;
            int byName = string.CompareOrdinal(Name, other.Name);
            if (byName != 0) return Math.Sign(byName);
            if (Value.Equals(other.Value)) return 0;
            return Value.TryCompare(Value, other.Value) ?? Math.Sign(string.CompareOrdinal(Label, other.Label));
        }

        public override string ToString() => Label;
    }

    /// <summary>A subspace spanned by basis directions, kept sorted in Tracr's order.</summary>
    sealed partial class VectorSpace : IEquatable<VectorSpace>
    {
        private readonly BasisDirection[] _basis;
        private readonly Dictionary<BasisDirection, int> _index;

        public VectorSpace(IEnumerable<BasisDirection> basis)
        {
            // Stable, as Python's sorted(), so the order is reproducible even where it is partial.
            _basis = StableSort.Sorted(basis.Distinct(), (x, y) => x.CompareTo(y)).ToArray();
            _index = new Dictionary<BasisDirection, int>(_basis.Length);
            for (int i = 0; i < _basis.Length; i++) _index[_basis[i]] = i;
        }

        public static VectorSpace Empty { get; } = new VectorSpace(Array.Empty<BasisDirection>());

        public IReadOnlyList<BasisDirection> Basis => _basis;

        public int Dimensions => _basis.Length;

        public bool Contains(BasisDirection d) => _index.ContainsKey(d);

        public int IndexOf(BasisDirection d) =>
            _index.TryGetValue(d, out int i) ? i : throw new KeyNotFoundException($"Direction '{d}' is not in this space.");

        public bool TryIndexOf(BasisDirection d, out int index) => _index.TryGetValue(d, out index);

        public static VectorSpace FromNames(params string[] names) => new VectorSpace(names.Select(n => new BasisDirection(n)));

        public static VectorSpace FromValues(string name, IEnumerable<Value> values) =>
            new VectorSpace(values.Select(v => new BasisDirection(name, v)));

        /// <summary>The union of spaces (Tracr's <c>join_vector_spaces</c>).</summary>
        public static VectorSpace Join(params VectorSpace[] spaces) => new VectorSpace(spaces.SelectMany(s => s.Basis));

        /// <summary>The direct sum of disjoint spaces; overlapping bases are an error.</summary>
        public static VectorSpace DirectSum(params VectorSpace[] spaces)
        {
            var all = spaces.SelectMany(s => s.Basis).ToList();
            if (all.Count != all.Distinct().Count()) throw new InvalidOperationException("Overlapping bases in a direct sum.");
            return new VectorSpace(all);
        }

        public bool Equals(VectorSpace? other) => other is not null && _basis.SequenceEqual(other._basis);

        public override bool Equals(object? obj) => obj is VectorSpace v && Equals(v);

        public override int GetHashCode() => _basis.Length == 0 ? 0 : _basis[0].GetHashCode() ^ _basis.Length;

        public override string ToString() => "[" + string.Join(", ", _basis.Select(b => b.Label)) + "]";
    }
}
