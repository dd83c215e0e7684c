using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q2_K for <see cref="KQuantKernelVector128{T}"/>: element 128h + 32s + l is bits 2s..2s+1 of qs[32h + l]; group g
/// has the 4-bit scale (low nibble) and minimum (high nibble) of byte g.
/// </summary>
internal readonly unsafe struct Q2_KVector128 : IKQuantVector128
{
    public static int BlockBytes => 84;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, int* scales, int* corrections, out float d, out float correction)
    {
        var bytes = Vector128.Load(block);
        KScalesVector128.Store(bytes & Vector128.Create((byte)0x0F), scales);
        KScalesVector128.Store(Vector128.ShiftRightLogical(bytes, 4), corrections);
        d = HalfScales.ToSingle(*(ushort*)(block + 80));
        correction = -HalfScales.ToSingle(*(ushort*)(block + 82));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Quants(byte* block, int g) => LowBits(block + 16, g);

    /// <summary>Group g of 2-bit quants packed four per byte as q2_K and q3_K store them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<byte> LowBits(byte* quants, int g)
    {
        var v = Vector128.Load(quants + 32 * (g / 8) + 16 * (g % 2));
        return Vector128.ShiftRightLogical(v, 2 * (g % 8 / 2)) & Vector128.Create((byte)3);
    }
}
