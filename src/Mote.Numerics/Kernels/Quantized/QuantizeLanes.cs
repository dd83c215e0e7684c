using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>The vector steps the activation quantizers (<see cref="Q8K"/>, <see cref="Q8Blocks"/>) share.</summary>
internal static unsafe class QuantizeLanes
{
    /// <summary>The largest lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> v) => MaxAcross(Vector256.Max(v.GetLower(), v.GetUpper()));

    /// <summary>The largest lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> v) => MaxAcross(Vector128.Max(v.GetLower(), v.GetUpper()));

    /// <summary>The largest lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector128<float> v)
    {
        v = Vector128.Max(v, Vector128.Shuffle(v, Vector128.Create(2, 3, 0, 1)));
        v = Vector128.Max(v, Vector128.Shuffle(v, Vector128.Create(1, 0, 3, 2)));
        return v.ToScalar();
    }

    /// <summary>
    /// 32 quants (elements 0–7 in <paramref name="q0"/>, 8–15 in <paramref name="q1"/>, …, each within ±127) as 32
    /// bytes in element order, with AVX2: packing interleaves 128-bit lanes, so its 4-byte groups come out as
    /// elements 0, 8, 16, 24, 4, 12, 20, 28 and one cross-lane permute puts them back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreBytesAvx2(Vector256<int> q0, Vector256<int> q1, Vector256<int> q2, Vector256<int> q3, sbyte* destination)
    {
        var bytes = Avx2.PackSignedSaturate(Avx2.PackSignedSaturate(q0, q1), Avx2.PackSignedSaturate(q2, q3));
        Avx2.PermuteVar8x32(bytes.AsInt32(), Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).AsSByte().Store(destination);
    }
}
