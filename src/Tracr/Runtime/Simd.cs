using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tracr.Generated
{
    /// <summary>
    /// The vector loops of the fast forward pass, in the style of <c>TensorPrimitives</c>: the widest
    /// hardware-accelerated vector (512, 256, then 128 bits) over the body, narrower vectors and then
    /// scalars over the tail. Every element is computed exactly as the scalar expression in the
    /// summary (a multiply and an add, no fused multiply-add), so the result does not depend on the
    /// vector width.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class Simd
    {
        /// <summary><c>y[i] += c</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddScalar<T>(Span<T> y, T c) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = y.Length, i = 0;
            ref T ry = ref MemoryMarshal.GetReference(y);
            if (n >= 8)
            {
                if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
                {
                    var vc = Vector512.Create(c);
                    for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                        (Vector512.LoadUnsafe(ref ry, (nuint)i) + vc).StoreUnsafe(ref ry, (nuint)i);
                }
                if (Vector256.IsHardwareAccelerated && n - i >= Vector256<T>.Count)
                {
                    var vc = Vector256.Create(c);
                    for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                        (Vector256.LoadUnsafe(ref ry, (nuint)i) + vc).StoreUnsafe(ref ry, (nuint)i);
                }
                if (Vector128.IsHardwareAccelerated && n - i >= Vector128<T>.Count)
                {
                    var vc = Vector128.Create(c);
                    for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
                        (Vector128.LoadUnsafe(ref ry, (nuint)i) + vc).StoreUnsafe(ref ry, (nuint)i);
                }
            }
            for (; i < n; i++) Unsafe.Add(ref ry, i) += c;
        }

        /// <summary><c>y[i] += a * x[i]</c> (multiply, then add).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddScaled<T>(Span<T> y, T a, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = y.Length, i = 0;
            if (x.Length < n) ThrowLength();
            ref T ry = ref MemoryMarshal.GetReference(y);
            ref T rx = ref MemoryMarshal.GetReference(x);
            if (n >= 8)
            {
                if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
                {
                    var va = Vector512.Create(a);
                    for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                        (Vector512.LoadUnsafe(ref ry, (nuint)i) + va * Vector512.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
                }
                if (Vector256.IsHardwareAccelerated && n - i >= Vector256<T>.Count)
                {
                    var va = Vector256.Create(a);
                    for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                        (Vector256.LoadUnsafe(ref ry, (nuint)i) + va * Vector256.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
                }
                if (Vector128.IsHardwareAccelerated && n - i >= Vector128<T>.Count)
                {
                    var va = Vector128.Create(a);
                    for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
                        (Vector128.LoadUnsafe(ref ry, (nuint)i) + va * Vector128.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
                }
            }
            for (; i < n; i++) Unsafe.Add(ref ry, i) += a * Unsafe.Add(ref rx, i);
        }

        /// <summary><c>y[i] += x[i]</c>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add<T>(Span<T> y, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = y.Length, i = 0;
            if (x.Length < n) ThrowLength();
            ref T ry = ref MemoryMarshal.GetReference(y);
            ref T rx = ref MemoryMarshal.GetReference(x);
            if (n >= 8)
            {
                if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
                    for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                        (Vector512.LoadUnsafe(ref ry, (nuint)i) + Vector512.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
                if (Vector256.IsHardwareAccelerated && n - i >= Vector256<T>.Count)
                    for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                        (Vector256.LoadUnsafe(ref ry, (nuint)i) + Vector256.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
                if (Vector128.IsHardwareAccelerated && n - i >= Vector128<T>.Count)
                    for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
                        (Vector128.LoadUnsafe(ref ry, (nuint)i) + Vector128.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
            }
            for (; i < n; i++) Unsafe.Add(ref ry, i) += Unsafe.Add(ref rx, i);
        }

        /// <summary>
        /// Appends the non-zero entries of <paramref name="x"/> to (<paramref name="index"/>,
        /// <paramref name="value"/>) from position <paramref name="count"/> on, in order, with indices
        /// offset by <paramref name="indexBase"/>; returns the new count. NaN counts as non-zero, ±0 as zero.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int AppendNonZeros<T>(ReadOnlySpan<T> x, int indexBase, Span<int> index, Span<T> value, int count)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = x.Length, i = 0;
            ref T rx = ref MemoryMarshal.GetReference(x);
            if ((uint)count > (uint)index.Length || count + n > index.Length || count + n > value.Length) ThrowLength();
            ref int ri = ref MemoryMarshal.GetReference(index);
            ref T rv = ref MemoryMarshal.GetReference(value);
            if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            {
                for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                {
                    var v = Vector512.LoadUnsafe(ref rx, (nuint)i);
                    ulong mask = ~Vector512.Equals(v, Vector512<T>.Zero).ExtractMostSignificantBits() & LowBits(Vector512<T>.Count);
                    while (mask != 0)
                    {
                        int b = BitOperations.TrailingZeroCount(mask);
                        Unsafe.Add(ref ri, count) = indexBase + i + b;
                        Unsafe.Add(ref rv, count) = Unsafe.Add(ref rx, i + b);
                        count++;
                        mask &= mask - 1;
                    }
                }
            }
            else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
            {
                for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                {
                    var v = Vector256.LoadUnsafe(ref rx, (nuint)i);
                    uint mask = ~Vector256.Equals(v, Vector256<T>.Zero).ExtractMostSignificantBits() & (uint)LowBits(Vector256<T>.Count);
                    while (mask != 0)
                    {
                        int b = BitOperations.TrailingZeroCount(mask);
                        Unsafe.Add(ref ri, count) = indexBase + i + b;
                        Unsafe.Add(ref rv, count) = Unsafe.Add(ref rx, i + b);
                        count++;
                        mask &= mask - 1;
                    }
                }
            }
            for (; i < n; i++)
            {
                T v = Unsafe.Add(ref rx, i);
                if (v != T.Zero)
                {
                    Unsafe.Add(ref ri, count) = indexBase + i;
                    Unsafe.Add(ref rv, count) = v;
                    count++;
                }
            }
            return count;
        }

        /// <summary>
        /// ReLU and compaction in one pass: writes (index, value) of every entry of <paramref name="x"/>
        /// whose <c>max(0, x)</c> is non-zero (x &gt; 0, or NaN), in order; returns how many.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int CompactRelu<T>(ReadOnlySpan<T> x, Span<int> index, Span<T> value) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = x.Length, i = 0, count = 0;
            if (index.Length < n || value.Length < n) ThrowLength();
            ref T rx = ref MemoryMarshal.GetReference(x);
            ref int ri = ref MemoryMarshal.GetReference(index);
            ref T rv = ref MemoryMarshal.GetReference(value);
            if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            {
                for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                {
                    var v = Vector512.LoadUnsafe(ref rx, (nuint)i);
                    ulong mask = Vector512.LessThanOrEqual(v, Vector512<T>.Zero).ExtractMostSignificantBits() ^ LowBits(Vector512<T>.Count);
                    while (mask != 0)
                    {
                        int b = BitOperations.TrailingZeroCount(mask);
                        Unsafe.Add(ref ri, count) = i + b;
                        Unsafe.Add(ref rv, count) = Unsafe.Add(ref rx, i + b);
                        count++;
                        mask &= mask - 1;
                    }
                }
            }
            else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
            {
                for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                {
                    var v = Vector256.LoadUnsafe(ref rx, (nuint)i);
                    uint mask = Vector256.LessThanOrEqual(v, Vector256<T>.Zero).ExtractMostSignificantBits() ^ (uint)LowBits(Vector256<T>.Count);
                    while (mask != 0)
                    {
                        int b = BitOperations.TrailingZeroCount(mask);
                        Unsafe.Add(ref ri, count) = i + b;
                        Unsafe.Add(ref rv, count) = Unsafe.Add(ref rx, i + b);
                        count++;
                        mask &= mask - 1;
                    }
                }
            }
            for (; i < n; i++)
            {
                T v = Unsafe.Add(ref rx, i);
                if (!(v <= T.Zero))
                {
                    Unsafe.Add(ref ri, count) = i;
                    Unsafe.Add(ref rv, count) = v;
                    count++;
                }
            }
            return count;
        }

        /// <summary>
        /// The padding unit of the position axis: the element count of a 512-bit vector (16 floats, 8
        /// doubles), a multiple of every narrower vector's count. Spans passed to the <c>*Full</c>
        /// methods have a length that is a multiple of it, so they need no tail loop.
        /// </summary>
        public static int PadUnit<T>() where T : unmanaged => Vector512<T>.Count;

        /// <summary><paramref name="n"/> rounded up to a multiple of <see cref="PadUnit{T}"/>.</summary>
        public static int Pad<T>(int n) where T : unmanaged => (n + Vector512<T>.Count - 1) / Vector512<T>.Count * Vector512<T>.Count;

        /// <summary><c>y[i] += x[i]</c>; the length of <paramref name="y"/> is a multiple of <see cref="PadUnit{T}"/> (no tail loop).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void AddFull<T>(Span<T> y, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = y.Length;
            if (x.Length < n) ThrowLength();
            ref T ry = ref MemoryMarshal.GetReference(y);
            ref T rx = ref MemoryMarshal.GetReference(x);
            if (Vector512.IsHardwareAccelerated)
            {
                for (int i = 0; i < n; i += Vector512<T>.Count)
                    (Vector512.LoadUnsafe(ref ry, (nuint)i) + Vector512.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (int i = 0; i < n; i += Vector256<T>.Count)
                    (Vector256.LoadUnsafe(ref ry, (nuint)i) + Vector256.LoadUnsafe(ref rx, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
            }
            else
            {
                for (int i = 0; i < n; i++) Unsafe.Add(ref ry, i) += Unsafe.Add(ref rx, i);
            }
        }

        /// <summary>
        /// Bit i set when <c>x[i]</c> is non-zero (NaN included), for one chunk of <see cref="PadUnit{T}"/>
        /// elements (16 floats, 8 doubles).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong NonZeroBits<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (x.Length < Vector512<T>.Count) ThrowLength();
            ref T rx = ref MemoryMarshal.GetReference(x);
            if (Vector512.IsHardwareAccelerated)
                return ~Vector512.Equals(Vector512.LoadUnsafe(ref rx), Vector512<T>.Zero).ExtractMostSignificantBits() & LowBits(Vector512<T>.Count);
            if (Vector256.IsHardwareAccelerated)
            {
                ulong lo = ~Vector256.Equals(Vector256.LoadUnsafe(ref rx), Vector256<T>.Zero).ExtractMostSignificantBits() & LowBits(Vector256<T>.Count);
                ulong hi = ~Vector256.Equals(Vector256.LoadUnsafe(ref rx, (nuint)Vector256<T>.Count), Vector256<T>.Zero).ExtractMostSignificantBits() & LowBits(Vector256<T>.Count);
                return lo | hi << Vector256<T>.Count;
            }
            ulong bits = 0;
            for (int i = 0; i < Vector512<T>.Count; i++)
                if (Unsafe.Add(ref rx, i) != T.Zero) bits |= 1UL << i;
            return bits;
        }

        /// <summary>True when some element of <paramref name="x"/> is non-zero (NaN included); full vectors.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool AnyNonZeroFull<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = x.Length;
            ref T rx = ref MemoryMarshal.GetReference(x);
            if (Vector512.IsHardwareAccelerated)
            {
                for (int i = 0; i < n; i += Vector512<T>.Count)
                    if (!Vector512.EqualsAll(Vector512.LoadUnsafe(ref rx, (nuint)i), Vector512<T>.Zero)) return true;
                return false;
            }
            if (Vector256.IsHardwareAccelerated)
            {
                for (int i = 0; i < n; i += Vector256<T>.Count)
                    if (!Vector256.EqualsAll(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256<T>.Zero)) return true;
                return false;
            }
            for (int i = 0; i < n; i++) if (Unsafe.Add(ref rx, i) != T.Zero) return true;
            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong LowBits(int count) => count >= 64 ? ulong.MaxValue : (1UL << count) - 1;

        private static void ThrowLength() => throw new ArgumentException("Destination or source span too short.");
    }
}
