using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Sub-block scales spread over 16-bit lanes for the AVX2 K-quant kernels. <c>vpshufb</c> works within 128-bit
/// lanes, so the scales are first copied into both lanes; with a constant vector index the masks are constants.
/// </summary>
internal static class KScalesAvx2
{
    /// <summary>Eight scales (one per 32 elements, in lanes 0–7 of <paramref name="scales"/>) in both 128-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> BothLanes(Vector256<short> scales) => Avx2.Permute2x128(scales, scales, 0x00);

    /// <summary>Vector k of 32 elements: every lane takes scale k (of <see cref="BothLanes"/>' result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> PerVector(Vector256<short> both, int k) =>
        Avx2.Shuffle(both.AsByte(), Vector256.Create((ushort)(2 * k | (2 * k + 1) << 8)).AsByte()).AsInt16();

    /// <summary>
    /// Sixteen scales (one per 16 elements) as two vectors: scales 0–7 in both 128-bit lanes, then 8–15.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Halves(Vector256<short> scales, out Vector256<short> low, out Vector256<short> high)
    {
        low = Avx2.Permute2x128(scales, scales, 0x00);
        high = Avx2.Permute2x128(scales, scales, 0x11);
    }

    /// <summary>
    /// Vector k of 32 elements (sub-blocks 2k and 2k + 1): the low 128-bit lane takes scale 2k, the high one
    /// 2k + 1 (of <see cref="Halves"/>' results).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> PerHalfVector(Vector256<short> low, Vector256<short> high, int k)
    {
        var j = k & 3;
        var mask = Vector256.Create(Vector128.Create((ushort)(4 * j | (4 * j + 1) << 8)), Vector128.Create((ushort)(4 * j + 2 | (4 * j + 3) << 8)));
        return Avx2.Shuffle((k < 4 ? low : high).AsByte(), mask.AsByte()).AsInt16();
    }
}
