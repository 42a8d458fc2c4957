using System;

namespace Tracr.Generators.Model
{
    /// <summary>
    /// A RASP <see cref="Value"/> compared exactly (kind and Python repr), for pipeline models:
    /// <see cref="Value"/>'s own equality is Python's, where <c>1 == 1.0 == True</c>, which would let a
    /// changed constant hit a stale cache entry.
    /// </summary>
    internal readonly struct ValueData : IEquatable<ValueData>
    {
        public ValueData(Value value)
        {
            Value = value;
            Key = value.Kind + ":" + value.Repr();
        }

        public Value Value { get; }

        private string Key { get; }

        public bool Equals(ValueData other) => string.Equals(Key, other.Key, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is ValueData other && Equals(other);

        public override int GetHashCode() => Key is null ? 0 : StringComparer.Ordinal.GetHashCode(Key);

        public override string ToString() => Value.Repr();
    }
}
