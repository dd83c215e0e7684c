using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q3_K for <see cref="KQuantKernelAvx2{T}"/>. Quants are taken unsigned, u = low2 + 4 · hbit in 0..7 (ggml's
/// signed value is u − 4): the low bits as in q2_K, the high bit of element 32k + l is bit k of hmask[l]. The
/// offset of 4 is removed as 4 · Σ_i scale_i · Σx_i with the signed 6-bit scales (s − 32).
/// </summary>
internal readonly unsafe struct Q3_KAvx2 : IKQuantAvx2
{
    public static int BlockBytes => 110;

    public static int QuantMax => 7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* block, out Vector256<short> low, out Vector256<short> high,
        out Vector256<short> corrections, out float d, out float correction)
    {
        var scales = PackedKScales.Q3Scales(block + 96);
        KScalesAvx2.Halves(scales, out low, out high);
        corrections = scales;
        d = HalfScales.ToSingle(*(ushort*)(block + 108));
        correction = -4 * d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block, int k)
    {
        var v = Vector256.Load(block + 32 + 32 * (k / 4)).AsUInt16();
        var low = Vector256.ShiftRightLogical(v, 2 * (k % 4)).AsByte() & Vector256.Create((byte)3);
        var mask = Vector256.Load(block).AsUInt16();
        var moved = k <= 2 ? Vector256.ShiftLeft(mask, 2 - k) : Vector256.ShiftRightLogical(mask, k - 2);
        return low | (moved.AsByte() & Vector256.Create((byte)4));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Scale(Vector256<short> low, Vector256<short> high, int k) => KScalesAvx2.PerHalfVector(low, high, k);
}
