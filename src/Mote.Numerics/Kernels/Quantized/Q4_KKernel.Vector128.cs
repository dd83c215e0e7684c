using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_K for <see cref="KQuantKernelVector128{T}"/>: group g (elements 16g..16g+15) is the low (g % 4 &lt; 2) or high
/// nibbles of 16 quant bytes of chunk g / 4; its scale and minimum are those of sub-block g / 2.
/// </summary>
internal readonly unsafe struct Q4_KVector128 : IKQuantVector128
{
    public static int BlockBytes => 144;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, int* scales, int* corrections, out float d, out float correction)
    {
        var packed = PackedKScales.ScalesAndMins(block);
        KScalesVector128.Store(KScalesVector128.Doubled(packed, 0), scales);
        KScalesVector128.Store(KScalesVector128.Doubled(packed, 8), corrections);
        d = HalfScales.ToSingle(*(ushort*)block);
        correction = -HalfScales.ToSingle(*(ushort*)(block + 2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Quants(byte* block, int g) => Nibbles(block + 16, g);

    /// <summary>Group g of q4_K-ordered nibbles (32 bytes per 64 elements, low nibbles first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<byte> Nibbles(byte* quants, int g)
    {
        var v = Vector128.Load(quants + 32 * (g / 4) + 16 * (g % 2));
        return g % 4 < 2 ? v & Vector128.Create((byte)0x0F) : Vector128.ShiftRightLogical(v, 4);
    }
}
