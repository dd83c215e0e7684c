using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Widens fp16 block scales to f32 (.NET 10 exposes no <c>vcvtph2ps</c>). The exponent is rebiased by an integer
/// add, never by a float multiply: subnormal halves are common scales (q6_K's super-block scale of weights around
/// 0.02 is below 2^-14), and a subnormal f32 operand costs a microcode assist per instruction (q6_K decode ran 2.1×
/// slower). A subnormal half m · 2^-24 is built as 2^-14 + m · 2^-24 (exponent 113, its mantissa) minus 2^-14, which
/// is exact. Branch-free, as blocks mix normal and subnormal scales. Scales are finite in every real file, so
/// ±Inf/NaN scales are not special-cased (they read as large finite values).
/// </summary>
internal static class HalfScales
{
    private const uint ExponentRebias = 112u << 23; // f16 exponent bias 15 → f32 bias 127
    private const uint SubnormalBias = 113u << 23; // 2^-14 as f32 bits

    /// <summary>The halves in the high 16 bits of each 32-bit lane, as f32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FromHighHalves(Vector512<short> lanes)
    {
        var words = lanes.AsUInt32();
        var sign = words & Vector512.Create(0x80000000u);
        var subnormal = Vector512.Equals(words & Vector512.Create(0x7C000000u), Vector512<uint>.Zero) & Vector512.Create(SubnormalBias);
        var bits = (Vector512.ShiftRightLogical(words, 3) & Vector512.Create(0x0FFFE000u)) + Vector512.Create(ExponentRebias);
        return (bits | subnormal | sign).AsSingle() - (subnormal | sign).AsSingle();
    }

    /// <summary>
    /// <see cref="ToSingle"/> for scales that are nearly always normal (the 32-element block types: q8_0's d is
    /// subnormal only when a block's largest weight is below 0.0078, q4_0's below 0.0005): a normal half is
    /// rebiased by a multiply of a normal f32 (5 instructions), a zero or subnormal one takes the exact path behind
    /// a branch that is then rarely taken. Costs a mispredicted branch per block on tensors of mixed scales.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingleUsuallyNormal(ushort half) =>
        (half & 0x7C00) != 0 ? BitConverter.Int32BitsToSingle(((int)(short)half << 13) & unchecked((int)0x8FFFE000)) * 5.192296858534828e33f : ToSingle(half);

    /// <summary>
    /// One fp16 value to f32 (scalar, for per-block scales), without an F16C instruction and without ever giving the
    /// FPU a subnormal operand: a subnormal input costs a microcode assist per operation (q6_K decode ran 2.1× slower
    /// on real-sized weights, whose super-block scales are mostly subnormal halves). The exponent is rebiased by an
    /// integer add; a subnormal half m · 2^-24 is built as 2^-14 + m · 2^-24 (exponent 113) minus 2^-14, exactly.
    /// Branch-free: blocks mix normal and subnormal scales.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort half)
    {
        var sign = (uint)(half & 0x8000) << 16;
        var subnormal = (half & 0x7C00) == 0 ? SubnormalBias : 0u;
        var bits = ((((uint)half & 0x7FFF) << 13) + ExponentRebias) | subnormal | sign;
        return BitConverter.UInt32BitsToSingle(bits) - BitConverter.UInt32BitsToSingle(subnormal | sign);
    }
}
