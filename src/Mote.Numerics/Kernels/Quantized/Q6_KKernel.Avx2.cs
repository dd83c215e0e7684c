using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q6_K for <see cref="KQuantKernelAvx2{T}"/>. In half h of a super-block, element 128h + 32r + l takes the low
/// (r = 0, 1) or high (r = 2, 3) nibble of ql[64h + 32(r % 2) + l] and bits 2r..2r+1 of qh[32h + l] as its top two
/// bits. Quants stay unsigned (0..63); the offset of 32 is removed as 32 · Σ_i scale_i · Σx_i (signed 8-bit
/// scales, one per 16 elements, so the 16 activation sums line up with them).
/// </summary>
internal readonly unsafe struct Q6_KAvx2 : IKQuantAvx2
{
    public static int BlockBytes => 210;

    public static int QuantMax => 63;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, out Vector256<short> low, out Vector256<short> high,
        out Vector256<short> corrections, out float d, out float correction)
    {
        var scales = Avx2.ConvertToVector256Int16((sbyte*)(block + 192));
        KScalesAvx2.Halves(scales, out low, out high);
        corrections = scales;
        d = HalfScales.ToSingle(*(ushort*)(block + 208));
        correction = -32 * d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block, int k)
    {
        int h = k / 4, r = k % 4;
        var ql = Vector256.Load(block + 64 * h + 32 * (r % 2));
        var nibbles = (r < 2 ? ql : Avx2.ShiftRightLogical(ql.AsUInt16(), 4).AsByte()) & Vector256.Create((byte)0x0F);
        var qh = Vector256.Load(block + 128 + 32 * h).AsUInt16();
        var moved = r < 3 ? Vector256.ShiftLeft(qh, 4 - 2 * r) : Avx2.ShiftRightLogical(qh, 2);
        return nibbles | (moved.AsByte() & Vector256.Create((byte)0x30));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Scale(Vector256<short> low, Vector256<short> high, int k) => KScalesAvx2.PerHalfVector(low, high, k);
}
