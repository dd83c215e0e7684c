using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_K for <see cref="KQuantKernelAvx2{T}"/>: 32 quant bytes per 64 elements, low nibbles first; one 6-bit
/// scale and minimum per 32 elements, the minimums applied through the activation sums (two per sub-block).
/// </summary>
internal readonly unsafe struct Q4_KAvx2 : IKQuantAvx2
{
    public static int BlockBytes => 144;

    public static int QuantMax => 15;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, out Vector256<short> low, out Vector256<short> high,
        out Vector256<short> corrections, out float d, out float correction)
    {
        var packed = PackedKScales.ScalesAndMins(block);
        low = KScalesAvx2.BothLanes(Avx2.ConvertToVector256Int16(packed));
        high = default;
        corrections = MinimumPerSum(packed);
        d = HalfScales.ToSingle(*(ushort*)block);
        correction = -HalfScales.ToSingle(*(ushort*)(block + 2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block, int k)
    {
        var v = Vector256.Load(block + 16 + 32 * (k / 2));
        return (k % 2 == 0 ? v : Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte()) & Vector256.Create((byte)0x0F);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Scale(Vector256<short> low, Vector256<short> high, int k) => KScalesAvx2.PerVector(low, k);

    /// <summary>Minimum j for activation sums 2j and 2j + 1 (bytes 8–15 of <paramref name="packed"/> each twice).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<short> MinimumPerSum(Vector128<byte> packed) =>
        Avx2.ConvertToVector256Int16(Ssse3.Shuffle(packed, Vector128.Create((byte)8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15)));
}
