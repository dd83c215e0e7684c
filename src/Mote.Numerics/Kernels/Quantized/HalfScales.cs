using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Widens fp16 block scales held in the high half of 32-bit lanes to f32 (.NET 10 exposes no <c>vcvtph2ps</c>).
/// Shifting the lane right arithmetically by 3 puts exponent and mantissa in f32 position; multiplying by
/// 2^112 rebiases the exponent and normalizes subnormals. Scales are finite in every real file, so ±Inf/NaN
/// scales are not special-cased here (they would read as large finite values).
/// </summary>
internal static class HalfScales
{
    private const int FieldMask = unchecked((int)0x8FFFE000);
    private const float Rebias = 5.192296858534828e33f; // 2^112

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FromHighHalves(Vector512<short> lanes) =>
        (Avx512F.ShiftRightArithmetic(lanes.AsInt32(), 3) & Vector512.Create(FieldMask)).AsSingle() * Vector512.Create(Rebias);

    /// <summary>One fp16 value to f32 (scalar bit trick, for per-block scales in the AVX2 and portable paths).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort half)
    {
        var bits = ((int)(short)half << 13) & FieldMask;
        return BitConverter.Int32BitsToSingle(bits) * Rebias;
    }
}
