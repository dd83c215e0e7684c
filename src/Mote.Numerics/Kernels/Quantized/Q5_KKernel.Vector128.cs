using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>q5_K for <see cref="KQuantKernelVector128{T}"/>: q4_K's nibbles plus bit g / 2 of qh[16 (g % 2) + i] as bit 4.</summary>
internal readonly unsafe struct Q5_KVector128 : IKQuantVector128
{
    public static int BlockBytes => 176;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, int* scales, int* corrections, out float d, out float correction) =>
        Q4_KVector128.Unpack(block, scales, corrections, out d, out correction);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Quants(byte* block, int g)
    {
        var qh = Vector128.Load(block + 16 + 16 * (g % 2));
        var fifth = Vector128.ShiftLeft(Vector128.ShiftRightLogical(qh, g / 2) & Vector128<byte>.One, 4);
        return Q4_KVector128.Nibbles(block + 48, g) | fifth;
    }
}
