using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tracr.Runtime
{
    /// <summary>
    /// One SIMD register of <typeparamref name="T"/> values, abstracted so that the position kernels are
    /// written once and run on 512-bit, 256-bit or scalar registers (the widest the machine accelerates).
    /// Multiply and add are separate operations (no fused multiply-add), as in the reference.
    /// </summary>
    internal interface IVec<TSelf, T> where TSelf : struct, IVec<TSelf, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract int Count { get; }
        static abstract TSelf Zero { get; }
        static abstract TSelf Broadcast(T x);
        static abstract TSelf Load(ref T source, nuint offset);
        static abstract void Store(TSelf value, ref T destination, nuint offset);

        /// <summary><c>acc + a · b</c>, rounded after the multiply and after the add.</summary>
        static abstract TSelf MultiplyAdd(TSelf acc, TSelf a, TSelf b);

        static abstract TSelf Add(TSelf a, TSelf b);
        static abstract TSelf Subtract(TSelf a, TSelf b);
        static abstract TSelf Divide(TSelf a, TSelf b);
        static abstract TSelf Max(TSelf a, TSelf b);
        static abstract TSelf Exp(TSelf a);

        /// <summary>Lanes whose position (<paramref name="firstLane"/> + lane) is below <paramref name="limit"/> become <paramref name="fill"/>.</summary>
        static abstract TSelf FillBelow(TSelf v, int firstLane, int limit, T fill);

        /// <summary>Lanes whose position (<paramref name="firstLane"/> + lane) is at least <paramref name="limit"/> become 0.</summary>
        static abstract TSelf ZeroFrom(TSelf v, int firstLane, int limit);
    }

    internal readonly struct V512<T> : IVec<V512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector512<T> _v;
        private V512(Vector512<T> v) { _v = v; }

        public static int Count => Vector512<T>.Count;
        public static V512<T> Zero => new V512<T>(Vector512<T>.Zero);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Broadcast(T x) => new V512<T>(Vector512.Create(x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Load(ref T source, nuint offset) => new V512<T>(Vector512.LoadUnsafe(ref source, offset));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(V512<T> value, ref T destination, nuint offset) => value._v.StoreUnsafe(ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> MultiplyAdd(V512<T> acc, V512<T> a, V512<T> b) => new V512<T>(acc._v + a._v * b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Add(V512<T> a, V512<T> b) => new V512<T>(a._v + b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Subtract(V512<T> a, V512<T> b) => new V512<T>(a._v - b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Divide(V512<T> a, V512<T> b) => new V512<T>(a._v / b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V512<T> Max(V512<T> a, V512<T> b) => new V512<T>(Vector512.Max(a._v, b._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V512<T> Exp(V512<T> a)
        {
            if (typeof(T) == typeof(float)) return new V512<T>(ExpSingle(a._v.As<T, float>()).As<float, T>());
            return new V512<T>(Vector512.Exp(a._v.As<T, double>()).As<double, T>());
        }

        /// <summary>
        /// exp for float32 (Cephes' expf: x = k·ln2 + r, |r| ≤ ln2/2, a degree-6 polynomial in r; about
        /// 1 ulp), for the softmax's arguments x ≤ 0. Results below 2⁻¹²⁶ (x &lt; −87.3, the float32 denormals)
        /// and −∞ give 0.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector512<float> ExpSingle(Vector512<float> x)
        {
            var clamped = Vector512.Max(Vector512.Min(x, Vector512.Create(88f)), Vector512.Create(-87.3f));
            var k = Vector512.Floor(clamped * Vector512.Create(1.44269504088896341f) + Vector512.Create(0.5f));
            var r = clamped - k * Vector512.Create(0.693359375f) - k * Vector512.Create(-2.12194440e-4f);
            var p = Vector512.Create(1.9875691500E-4f);
            p = p * r + Vector512.Create(1.3981999507E-3f);
            p = p * r + Vector512.Create(8.3334519073E-3f);
            p = p * r + Vector512.Create(4.1665795894E-2f);
            p = p * r + Vector512.Create(1.6666665459E-1f);
            p = p * r + Vector512.Create(5.0000001201E-1f);
            p = p * r * r + r + Vector512<float>.One;
            var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(k) + Vector512.Create(127), 23).As<int, float>();
            return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-87.3f)), Vector512<float>.Zero, p * scale);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V512<T> FillBelow(V512<T> v, int firstLane, int limit, T fill)
        {
            var lanes = Vector512<T>.Indices + Vector512.Create(T.CreateTruncating(firstLane));
            return new V512<T>(Vector512.ConditionalSelect(Vector512.LessThan(lanes, Vector512.Create(T.CreateTruncating(limit))), Vector512.Create(fill), v._v));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V512<T> ZeroFrom(V512<T> v, int firstLane, int limit)
        {
            var lanes = Vector512<T>.Indices + Vector512.Create(T.CreateTruncating(firstLane));
            return new V512<T>(Vector512.ConditionalSelect(Vector512.LessThan(lanes, Vector512.Create(T.CreateTruncating(limit))), v._v, Vector512<T>.Zero));
        }
    }

    internal readonly struct V256<T> : IVec<V256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _v;
        private V256(Vector256<T> v) { _v = v; }

        public static int Count => Vector256<T>.Count;
        public static V256<T> Zero => new V256<T>(Vector256<T>.Zero);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Broadcast(T x) => new V256<T>(Vector256.Create(x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Load(ref T source, nuint offset) => new V256<T>(Vector256.LoadUnsafe(ref source, offset));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(V256<T> value, ref T destination, nuint offset) => value._v.StoreUnsafe(ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> MultiplyAdd(V256<T> acc, V256<T> a, V256<T> b) => new V256<T>(acc._v + a._v * b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Add(V256<T> a, V256<T> b) => new V256<T>(a._v + b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Subtract(V256<T> a, V256<T> b) => new V256<T>(a._v - b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Divide(V256<T> a, V256<T> b) => new V256<T>(a._v / b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static V256<T> Max(V256<T> a, V256<T> b) => new V256<T>(Vector256.Max(a._v, b._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V256<T> Exp(V256<T> a)
        {
            if (typeof(T) == typeof(float)) return new V256<T>(ExpSingle(a._v.As<T, float>()).As<float, T>());
            return new V256<T>(Vector256.Exp(a._v.As<T, double>()).As<double, T>());
        }

        /// <summary>
        /// exp for float32 (Cephes' expf: x = k·ln2 + r, |r| ≤ ln2/2, a degree-6 polynomial in r; about
        /// 1 ulp), for the softmax's arguments x ≤ 0. Results below 2⁻¹²⁶ (x &lt; −87.3, the float32 denormals)
        /// and −∞ give 0.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector256<float> ExpSingle(Vector256<float> x)
        {
            var clamped = Vector256.Max(Vector256.Min(x, Vector256.Create(88f)), Vector256.Create(-87.3f));
            var k = Vector256.Floor(clamped * Vector256.Create(1.44269504088896341f) + Vector256.Create(0.5f));
            var r = clamped - k * Vector256.Create(0.693359375f) - k * Vector256.Create(-2.12194440e-4f);
            var p = Vector256.Create(1.9875691500E-4f);
            p = p * r + Vector256.Create(1.3981999507E-3f);
            p = p * r + Vector256.Create(8.3334519073E-3f);
            p = p * r + Vector256.Create(4.1665795894E-2f);
            p = p * r + Vector256.Create(1.6666665459E-1f);
            p = p * r + Vector256.Create(5.0000001201E-1f);
            p = p * r * r + r + Vector256<float>.One;
            var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(k) + Vector256.Create(127), 23).As<int, float>();
            return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-87.3f)), Vector256<float>.Zero, p * scale);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V256<T> FillBelow(V256<T> v, int firstLane, int limit, T fill)
        {
            var lanes = Vector256<T>.Indices + Vector256.Create(T.CreateTruncating(firstLane));
            return new V256<T>(Vector256.ConditionalSelect(Vector256.LessThan(lanes, Vector256.Create(T.CreateTruncating(limit))), Vector256.Create(fill), v._v));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static V256<T> ZeroFrom(V256<T> v, int firstLane, int limit)
        {
            var lanes = Vector256<T>.Indices + Vector256.Create(T.CreateTruncating(firstLane));
            return new V256<T>(Vector256.ConditionalSelect(Vector256.LessThan(lanes, Vector256.Create(T.CreateTruncating(limit))), v._v, Vector256<T>.Zero));
        }
    }

    /// <summary>A one-lane "register": the scalar fallback.</summary>
    internal readonly struct V1<T> : IVec<V1<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _v;
        private V1(T v) { _v = v; }

        public static int Count => 1;
        public static V1<T> Zero => default;
        public static V1<T> Broadcast(T x) => new V1<T>(x);
        public static V1<T> Load(ref T source, nuint offset) => new V1<T>(Unsafe.Add(ref source, offset));
        public static void Store(V1<T> value, ref T destination, nuint offset) => Unsafe.Add(ref destination, offset) = value._v;
        public static V1<T> MultiplyAdd(V1<T> acc, V1<T> a, V1<T> b) => new V1<T>(acc._v + a._v * b._v);
        public static V1<T> Add(V1<T> a, V1<T> b) => new V1<T>(a._v + b._v);
        public static V1<T> Subtract(V1<T> a, V1<T> b) => new V1<T>(a._v - b._v);
        public static V1<T> Divide(V1<T> a, V1<T> b) => new V1<T>(a._v / b._v);
        public static V1<T> Max(V1<T> a, V1<T> b) => new V1<T>(T.MaxNumber(a._v, b._v) is var m && (T.IsNaN(a._v) || T.IsNaN(b._v)) ? T.NaN : m);
        public static V1<T> Exp(V1<T> a) => new V1<T>(T.Exp(a._v));
        public static V1<T> FillBelow(V1<T> v, int firstLane, int limit, T fill) => firstLane < limit ? new V1<T>(fill) : v;
        public static V1<T> ZeroFrom(V1<T> v, int firstLane, int limit) => firstLane >= limit ? default : v;
    }
}
