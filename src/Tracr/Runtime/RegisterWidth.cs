using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tracr.Generated
{
    /// <summary>
    /// The operations of one SIMD register width on the hardware vector type itself (<typeparamref name="TV"/>
    /// is <c>Vector512&lt;T&gt;</c> or <c>Vector256&lt;T&gt;</c>, not a wrapper): the generated forward code is
    /// written once, generic over a width, and the JIT specialises it per width with every call inlined.
    /// Its register locals are real vectors, so they stay enregistered (a wrapper struct around the vector
    /// kept the JIT from doing so in large blocks).
    /// Multiply and add are separate operations (no fused multiply-add), as in the reference and the kernels.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public interface IRegisterWidth<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>True when the machine runs this width in hardware.</summary>
        static abstract bool IsAccelerated { get; }

        /// <summary>Lanes per register.</summary>
        static abstract int Count { get; }

        /// <summary>The register at <paramref name="offset"/> elements from <paramref name="source"/>.</summary>
        static abstract TV Load(ref T source, nuint offset);

        /// <summary>Writes <paramref name="value"/> at <paramref name="offset"/> elements from <paramref name="destination"/>.</summary>
        static abstract void Store(TV value, ref T destination, nuint offset);

        /// <summary>Adds <paramref name="value"/> to the register stored at <paramref name="offset"/>.</summary>
        static abstract void AddTo(TV value, ref T destination, nuint offset);

        /// <summary><c>acc + w · x</c> with <paramref name="w"/> in every lane, rounded after the multiply and after the add.</summary>
        static abstract TV MulAdd(TV acc, T w, TV x);

        /// <summary><c>acc + a · b</c> with <paramref name="b"/> in every lane.</summary>
        static abstract TV MulAdd(TV acc, TV a, T b);

        /// <summary><c>acc + a · b</c>, or <paramref name="acc"/> itself when <paramref name="b"/> is zero (a zero key or value adds nothing and is skipped, as in the kernels).</summary>
        static abstract TV MulAddNonZero(TV acc, TV a, T b);

        /// <summary><c>a + b</c> (a weight of 1: <c>acc + 1 · x</c> is exactly <c>acc + x</c>).</summary>
        static abstract TV Add(TV a, TV b);

        /// <summary><c>a - b</c> (a weight of -1: <c>acc + (-1) · x</c> is exactly <c>acc - x</c>, signed zeros included).</summary>
        static abstract TV Sub(TV a, TV b);

        /// <summary>True when some lane is not zero (an all-zero input adds only exact zeros and is skipped).</summary>
        static abstract bool Any(TV x);

        /// <summary>Lane-wise <c>max(x, 0)</c>.</summary>
        static abstract TV Relu(TV x);
    }

    /// <summary>512-bit registers (AVX-512): 16 floats or 8 doubles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct Width512<T> : IRegisterWidth<Vector512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static bool IsAccelerated => Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported;
        public static int Count => Vector512<T>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> value, ref T destination, nuint offset) => Vector512.StoreUnsafe(value, ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AddTo(Vector512<T> value, ref T destination, nuint offset) => Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref destination, offset) + value, ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> MulAdd(Vector512<T> acc, T w, Vector512<T> x) => acc + Vector512.Create(w) * x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> MulAdd(Vector512<T> acc, Vector512<T> a, T b) => acc + a * Vector512.Create(b);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> MulAddNonZero(Vector512<T> acc, Vector512<T> a, T b) => b != T.Zero ? acc + a * Vector512.Create(b) : acc;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Sub(Vector512<T> a, Vector512<T> b) => a - b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector512<T> x) => x != Vector512<T>.Zero;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Relu(Vector512<T> x) => Vector512.Max(x, Vector512<T>.Zero);
    }

    /// <summary>256-bit registers (AVX2): 8 floats or 4 doubles.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public readonly struct Width256<T> : IRegisterWidth<Vector256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static bool IsAccelerated => Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;
        public static int Count => Vector256<T>.Count;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> value, ref T destination, nuint offset) => Vector256.StoreUnsafe(value, ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AddTo(Vector256<T> value, ref T destination, nuint offset) => Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref destination, offset) + value, ref destination, offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> MulAdd(Vector256<T> acc, T w, Vector256<T> x) => acc + Vector256.Create(w) * x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> MulAdd(Vector256<T> acc, Vector256<T> a, T b) => acc + a * Vector256.Create(b);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> MulAddNonZero(Vector256<T> acc, Vector256<T> a, T b) => b != T.Zero ? acc + a * Vector256.Create(b) : acc;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Sub(Vector256<T> a, Vector256<T> b) => a - b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool Any(Vector256<T> x) => x != Vector256<T>.Zero;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Relu(Vector256<T> x) => Vector256.Max(x, Vector256<T>.Zero);
    }
}
