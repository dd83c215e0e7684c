using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The horizontal sums that end a four-token dot (<c>Dot4</c>): four accumulators reduced together by
/// lane shuffles or horizontal adds, about a dozen instructions instead of four separate <c>Vector512.Sum</c> trees.
/// With small matrices (a few groups per row) the separate trees cost as much as the dot itself.
/// </summary>
internal static unsafe class Sums4
{
    /// <summary>Element k is the sum of the lanes of a<sub>k</sub>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Of(Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
    {
        // [a0 lanes 0+2, 1+3, a1 lanes 0+2, 1+3], the same for a2 and a3.
        var m01 = Avx512F.Shuffle4x128(a0, a1, 0b01_00_01_00) + Avx512F.Shuffle4x128(a0, a1, 0b11_10_11_10);
        var m23 = Avx512F.Shuffle4x128(a2, a3, 0b01_00_01_00) + Avx512F.Shuffle4x128(a2, a3, 0b11_10_11_10);
        return Lanes(Avx512F.Shuffle4x128(m01, m23, 0b10_00_10_00) + Avx512F.Shuffle4x128(m01, m23, 0b11_01_11_01));
    }

    /// <summary>Element k is the sum of the lanes of a<sub>k</sub> (AVX only, for the AVX2 kernels too).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Of(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        // Pairwise sums: [a0, a1, a2, a3 over the low 128-bit lanes | the same over the high lanes].
        var h = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
        return h.GetLower() + h.GetUpper();
    }

    /// <summary>y[k · yStride] += sums[k] for k &lt; 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(float* y, int yStride, Vector128<float> sums)
    {
        y[0] += sums.ToScalar();
        y[yStride] += sums.GetElement(1);
        y[2 * yStride] += sums.GetElement(2);
        y[3 * yStride] += sums.GetElement(3);
    }

    // 128-bit lane k of m holds four partial sums of a_k: add them within the lane and gather the four totals.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Lanes(Vector512<float> m)
    {
        m += Avx512F.Permute4x32(m, 0b10_11_00_01);
        m += Avx512F.Permute4x32(m, 0b01_00_11_10);
        return Avx512F.PermuteVar16x32(m, Vector512.Create(0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12)).GetLower().GetLower();
    }
}
