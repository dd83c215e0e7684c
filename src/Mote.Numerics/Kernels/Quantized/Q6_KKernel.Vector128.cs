using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q6_K for <see cref="KQuantKernelVector128{T}"/>: element 128h + 32r + l from a nibble of ql[64h + 32(r % 2) + l]
/// (low for r &lt; 2) and bits 2r..2r+1 of qh[32h + l]; quants unsigned, the offset of 32 removed through the sums.
/// </summary>
internal readonly unsafe struct Q6_KVector128 : IKQuantVector128
{
    public static int BlockBytes => 210;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, int* scales, int* corrections, out float d, out float correction)
    {
        var bytes = Vector128.Load((sbyte*)(block + 192));
        KScalesVector128.Store(bytes, scales);
        KScalesVector128.Store(bytes, corrections);
        d = HalfScales.ToSingle(*(ushort*)(block + 208));
        correction = -32 * d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Quants(byte* block, int g)
    {
        int h = g / 8, r = g % 8 / 2, l = 16 * (g % 2);
        var ql = Vector128.Load(block + 64 * h + 32 * (r % 2) + l);
        var nibbles = r < 2 ? ql & Vector128.Create((byte)0x0F) : Vector128.ShiftRightLogical(ql, 4);
        var qh = Vector128.Load(block + 128 + 32 * h + l);
        return nibbles | Vector128.ShiftLeft(Vector128.ShiftRightLogical(qh, 2 * r) & Vector128.Create((byte)3), 4);
    }
}
