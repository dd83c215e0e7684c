using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>q4_1 for <see cref="BlockKernelAvx2{T}"/>: q4_0's nibbles, value d · q + m, m applied through the activation sums.</summary>
internal readonly unsafe struct Q4_1Avx2 : IBlockAvx2
{
    public static int BlockBytes => 20;

    public static float SumFactor => 1f;

    public static bool SignedQuants => false;

    public static int QuantMax => 15;

    public static bool HasCorrection => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block) => Q4_0Avx2.Nibbles(block + 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Pairs(Vector256<byte> quants, Vector256<sbyte> x) => Avx2.MultiplyAddAdjacent(quants, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(byte* block) => HalfScales.ToSingle(*(ushort*)block);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Correction(byte* block, float d) => HalfScales.ToSingle(*(ushort*)(block + 2));
}
