using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Widens fp16 block scales to f32 (.NET 10 exposes no <c>vcvtph2ps</c>): one at a time by table lookup, sixteen at
/// a time (AVX-512) by rebiasing the exponent with an integer add, never a float multiply: subnormal halves are common
/// scales (q6_K's super-block scale of weights around 0.02 is below 2^-14), and a subnormal f32 operand costs a
/// microcode assist per instruction (q6_K decode ran 2.1× slower). A subnormal half m · 2^-24 is built as
/// 2^-14 + m · 2^-24 (exponent 113, its mantissa) minus 2^-14, which is exact. Branch-free, as blocks mix normal and
/// subnormal scales. The vector path does not special-case ±Inf/NaN scales (they read as large finite values;
/// scales are finite in every real file).
/// </summary>
internal static unsafe class HalfScales
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
    /// One fp16 block scale to f32 (scalar), exactly as <c>(float)half</c>, for every half including subnormals,
    /// infinities and NaNs: one load from a 256 KiB table of all 65,536 conversions (as ggml's
    /// <c>ggml_table_f32_f16</c> where F16C is not used). The arithmetic conversion without F16C took 5–8
    /// instructions and a branch per block, a quarter of a q4_0 decode block's work; a tensor's scales span a few
    /// exponents, so the few KiB of the table they touch stay in L1/L2. Never gives the FPU a subnormal operand
    /// (each would cost a microcode assist: q6_K's super-block scales of real weights are mostly subnormal halves).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort half) => Table[half];

    /// <summary>Builds the table now (see <see cref="MatMulKernel"/>'s constructor).</summary>
    public static void EnsureInitialized() => RuntimeHelpers.RunClassConstructor(typeof(HalfScales).TypeHandle);

    // Native, aligned and never freed: read by every block kernel for the life of the process. A static readonly
    // pointer is a constant to the optimizing JIT, so a lookup is one indexed load.
    private static readonly float* Table = Build();

    private static float* Build()
    {
        var table = (float*)NativeMemory.AlignedAlloc((nuint)(ushort.MaxValue + 1) * sizeof(float), 64);
        for (var bits = 0; bits <= ushort.MaxValue; bits++)
            table[bits] = (float)BitConverter.UInt16BitsToHalf((ushort)bits);
        return table;
    }
}
