using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q5_0 for <see cref="BlockKernelAvx2{T}"/>: q4_0's nibbles plus bit e of qh as bit 4 of element e, taken
/// unsigned (0..31); the offset of 16 is removed through the activation sums.
/// </summary>
internal readonly unsafe struct Q5_0Avx2 : IBlockAvx2
{
    public static int BlockBytes => 22;

    public static float SumFactor => -16f;

    public static bool SignedQuants => false;

    public static int QuantMax => 31;

    public static bool HasCorrection => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block) => Q4_0Avx2.Nibbles(block + 6) | Q4_0Avx2.FifthBits(block + 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Pairs(Vector256<byte> quants, Vector256<sbyte> x) => Avx2.MultiplyAddAdjacent(quants, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(byte* block) => HalfScales.ToSingle(*(ushort*)block);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Correction(byte* block, float d) => d;
}
