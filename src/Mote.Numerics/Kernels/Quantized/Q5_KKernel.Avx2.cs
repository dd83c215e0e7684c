using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q5_K for <see cref="KQuantKernelAvx2{T}"/>: q4_K's nibbles and scales, plus a fifth bit per element: element
/// 32k + l has it at bit k of qh[l], moved to bit 4 by one 16-bit shift (no bit crosses into the other byte).
/// </summary>
internal readonly unsafe struct Q5_KAvx2 : IKQuantAvx2
{
    public static int BlockBytes => 176;

    public static int QuantMax => 31;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, out Vector256<short> low, out Vector256<short> high,
        out Vector256<short> corrections, out float d, out float correction) =>
        Q4_KAvx2.Unpack(block, out low, out high, out corrections, out d, out correction);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block, int k)
    {
        var v = Vector256.Load(block + 48 + 32 * (k / 2));
        var nibbles = (k % 2 == 0 ? v : Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte()) & Vector256.Create((byte)0x0F);
        var qh = Vector256.Load(block + 16).AsUInt16();
        var moved = k <= 4 ? Vector256.ShiftLeft(qh, 4 - k) : Vector256.ShiftRightLogical(qh, k - 4);
        return nibbles | (moved.AsByte() & Vector256.Create((byte)0x10));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Scale(Vector256<short> low, Vector256<short> high, int k) => KScalesAvx2.PerVector(low, k);
}
