using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q3_K for <see cref="KQuantKernelVector128{T}"/>: q2_K's low bits plus bit g / 2 of hmask[16 (g % 2) + i] as bit 2
/// (u = low2 + 4 · hbit, ggml's value u − 4); signed 6-bit scales, the offset of 4 removed through the sums.
/// </summary>
internal readonly unsafe struct Q3_KVector128 : IKQuantVector128
{
    public static int BlockBytes => 110;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, int* scales, int* corrections, out float d, out float correction)
    {
        var signed = PackedKScales.Q3ScaleBytes(block + 96).AsSByte() - Vector128.Create((sbyte)32);
        KScalesVector128.Store(signed, scales);
        KScalesVector128.Store(signed, corrections);
        d = HalfScales.ToSingle(*(ushort*)(block + 108));
        correction = -4 * d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Quants(byte* block, int g)
    {
        var mask = Vector128.Load(block + 16 * (g % 2));
        var high = Vector128.ShiftLeft(Vector128.ShiftRightLogical(mask, g / 2) & Vector128<byte>.One, 2);
        return Q2_KVector128.LowBits(block + 32, g) | high;
    }
}
