using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>q5_1 for <see cref="BlockKernelAvx2{T}"/>: q5_0's five-bit quants, value d · q + m.</summary>
internal readonly unsafe struct Q5_1Avx2 : IBlockAvx2
{
    public static int BlockBytes => 24;

    public static float SumFactor => 1f;

    public static bool SignedQuants => false;

    public static int QuantMax => 31;

    public static bool HasCorrection => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block) => Q4_0Avx2.Nibbles(block + 8) | Q4_0Avx2.FifthBits(block + 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Pairs(Vector256<byte> quants, Vector256<sbyte> x) => Avx2.MultiplyAddAdjacent(quants, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(byte* block) => HalfScales.ToSingle(*(ushort*)block);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Correction(byte* block, float d) => HalfScales.ToSingle(*(ushort*)(block + 2));
}
