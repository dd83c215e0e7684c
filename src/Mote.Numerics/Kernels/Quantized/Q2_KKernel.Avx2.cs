using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q2_K for <see cref="KQuantKernelAvx2{T}"/>: element 128h + 32s + l is bits 2s..2s+1 of qs[32h + l]; each 16
/// elements have a 4-bit scale (low nibble) and a 4-bit minimum (high nibble), the minimums applied through the
/// activation sums.
/// </summary>
internal readonly unsafe struct Q2_KAvx2 : IKQuantAvx2
{
    public static int BlockBytes => 84;

    public static int QuantMax => 3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, out Vector256<short> low, out Vector256<short> high,
        out Vector256<short> corrections, out float d, out float correction)
    {
        var packed = Avx2.ConvertToVector256Int16(block);
        KScalesAvx2.Halves(packed & Vector256.Create((short)0x0F), out low, out high);
        corrections = Avx2.ShiftRightLogical(packed, 4);
        d = HalfScales.ToSingle(*(ushort*)(block + 80));
        correction = -HalfScales.ToSingle(*(ushort*)(block + 82));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block, int k)
    {
        var v = Vector256.Load(block + 16 + 32 * (k / 4)).AsUInt16();
        return Vector256.ShiftRightLogical(v, 2 * (k % 4)).AsByte() & Vector256.Create((byte)3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Scale(Vector256<short> low, Vector256<short> high, int k) => KScalesAvx2.PerHalfVector(low, high, k);
}
