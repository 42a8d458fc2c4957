using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Tracr.Generated;

namespace Tracr.Runtime
{
    /// <summary>
    /// One SIMD register of <typeparamref name="T"/> values, abstracted so that the position kernels are
    /// written once and run on 512-bit, 256-bit or scalar registers (the widest the machine accelerates).
    /// Multiply and add are separate operations (no fused multiply-add), as in the reference. Public
    /// because generated forward passes (<see cref="ForwardProgram{T}"/>) are written over it.
    /// </summary>
    internal interface IRegister<TSelf, T> where TSelf : struct, IRegister<TSelf, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract int Count { get; }
        static abstract TSelf Zero { get; }
        static abstract TSelf Broadcast(T x);
        static abstract TSelf Load(ref T source, nuint offset);
        static abstract void Store(TSelf value, ref T destination, nuint offset);

        /// <summary><c>acc + a · b</c>, rounded after the multiply and after the add.</summary>
        static abstract TSelf MultiplyAdd(TSelf acc, TSelf a, TSelf b);

        static abstract TSelf Multiply(TSelf a, TSelf b);

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

    /// <summary>A 512-bit register (AVX-512): 16 floats or 8 doubles.</summary>
    internal readonly struct Register512<T> : IRegister<Register512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector512<T> _v;
        private Register512(Vector512<T> v) { _v = v; }

        public static int Count => Vector512<T>.Count;
        public static Register512<T> Zero => new Register512<T>(Vector512<T>.Zero);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register512<T> Broadcast(T x) => new Register512<T>(Vector512.Create(x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register512<T> Load(ref T source, nuint offset) => new Register512<T>(Vector512.LoadUnsafe(ref source, offset));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Register512<T> value, ref T destination, nuint offset) => value._v.StoreUnsafe(ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register512<T> MultiplyAdd(Register512<T> acc, Register512<T> a, Register512<T> b) => new Register512<T>(acc._v + a._v * b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register512<T> Multiply(Register512<T> a, Register512<T> b) => new Register512<T>(a._v * b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register512<T> Add(Register512<T> a, Register512<T> b) => new Register512<T>(a._v + b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register512<T> Subtract(Register512<T> a, Register512<T> b) => new Register512<T>(a._v - b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register512<T> Divide(Register512<T> a, Register512<T> b) => new Register512<T>(a._v / b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register512<T> Max(Register512<T> a, Register512<T> b) => new Register512<T>(Vector512.Max(a._v, b._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Register512<T> Exp(Register512<T> a)
        {
            if (typeof(T) == typeof(float)) return new Register512<T>(ExpSingle(a._v.As<T, float>()).As<float, T>());
            return new Register512<T>(Vector512.Exp(a._v.As<T, double>()).As<double, T>());
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
        public static Register512<T> FillBelow(Register512<T> v, int firstLane, int limit, T fill)
        {
            var lanes = Vector512<T>.Indices + Vector512.Create(T.CreateTruncating(firstLane));
            return new Register512<T>(Vector512.ConditionalSelect(Vector512.LessThan(lanes, Vector512.Create(T.CreateTruncating(limit))), Vector512.Create(fill), v._v));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Register512<T> ZeroFrom(Register512<T> v, int firstLane, int limit)
        {
            var lanes = Vector512<T>.Indices + Vector512.Create(T.CreateTruncating(firstLane));
            return new Register512<T>(Vector512.ConditionalSelect(Vector512.LessThan(lanes, Vector512.Create(T.CreateTruncating(limit))), v._v, Vector512<T>.Zero));
        }
    }

    /// <summary>A 256-bit register (AVX2, or two NEON registers): 8 floats or 4 doubles.</summary>
    internal readonly struct Register256<T> : IRegister<Register256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _v;
        private Register256(Vector256<T> v) { _v = v; }

        public static int Count => Vector256<T>.Count;
        public static Register256<T> Zero => new Register256<T>(Vector256<T>.Zero);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register256<T> Broadcast(T x) => new Register256<T>(Vector256.Create(x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register256<T> Load(ref T source, nuint offset) => new Register256<T>(Vector256.LoadUnsafe(ref source, offset));
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Register256<T> value, ref T destination, nuint offset) => value._v.StoreUnsafe(ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register256<T> MultiplyAdd(Register256<T> acc, Register256<T> a, Register256<T> b) => new Register256<T>(acc._v + a._v * b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register256<T> Multiply(Register256<T> a, Register256<T> b) => new Register256<T>(a._v * b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register256<T> Add(Register256<T> a, Register256<T> b) => new Register256<T>(a._v + b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register256<T> Subtract(Register256<T> a, Register256<T> b) => new Register256<T>(a._v - b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register256<T> Divide(Register256<T> a, Register256<T> b) => new Register256<T>(a._v / b._v);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Register256<T> Max(Register256<T> a, Register256<T> b) => new Register256<T>(Vector256.Max(a._v, b._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Register256<T> Exp(Register256<T> a)
        {
            if (typeof(T) == typeof(float)) return new Register256<T>(ExpSingle(a._v.As<T, float>()).As<float, T>());
            return new Register256<T>(Vector256.Exp(a._v.As<T, double>()).As<double, T>());
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
        public static Register256<T> FillBelow(Register256<T> v, int firstLane, int limit, T fill)
        {
            var lanes = Vector256<T>.Indices + Vector256.Create(T.CreateTruncating(firstLane));
            return new Register256<T>(Vector256.ConditionalSelect(Vector256.LessThan(lanes, Vector256.Create(T.CreateTruncating(limit))), Vector256.Create(fill), v._v));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Register256<T> ZeroFrom(Register256<T> v, int firstLane, int limit)
        {
            var lanes = Vector256<T>.Indices + Vector256.Create(T.CreateTruncating(firstLane));
            return new Register256<T>(Vector256.ConditionalSelect(Vector256.LessThan(lanes, Vector256.Create(T.CreateTruncating(limit))), v._v, Vector256<T>.Zero));
        }
    }

    /// <summary>A one-lane "register": the scalar fallback.</summary>
    internal readonly struct Register1<T> : IRegister<Register1<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T _v;
        private Register1(T v) { _v = v; }

        public static int Count => 1;
        public static Register1<T> Zero => default;
        public static Register1<T> Broadcast(T x) => new Register1<T>(x);
        public static Register1<T> Load(ref T source, nuint offset) => new Register1<T>(Unsafe.Add(ref source, offset));
        public static void Store(Register1<T> value, ref T destination, nuint offset) => Unsafe.Add(ref destination, offset) = value._v;
        public static Register1<T> MultiplyAdd(Register1<T> acc, Register1<T> a, Register1<T> b) => new Register1<T>(acc._v + a._v * b._v);
        public static Register1<T> Multiply(Register1<T> a, Register1<T> b) => new Register1<T>(a._v * b._v);
        public static Register1<T> Add(Register1<T> a, Register1<T> b) => new Register1<T>(a._v + b._v);
        public static Register1<T> Subtract(Register1<T> a, Register1<T> b) => new Register1<T>(a._v - b._v);
        public static Register1<T> Divide(Register1<T> a, Register1<T> b) => new Register1<T>(a._v / b._v);
        public static Register1<T> Max(Register1<T> a, Register1<T> b) => new Register1<T>(T.MaxNumber(a._v, b._v) is var m && (T.IsNaN(a._v) || T.IsNaN(b._v)) ? T.NaN : m);
        public static Register1<T> Exp(Register1<T> a) => new Register1<T>(T.Exp(a._v));
        public static Register1<T> FillBelow(Register1<T> v, int firstLane, int limit, T fill) => firstLane < limit ? new Register1<T>(fill) : v;
        public static Register1<T> ZeroFrom(Register1<T> v, int firstLane, int limit) => firstLane >= limit ? default : v;
    }
}
