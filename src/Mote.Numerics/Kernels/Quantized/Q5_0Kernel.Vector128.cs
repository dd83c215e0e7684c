using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>q5_0 for <see cref="BlockKernelVector128{T}"/>: q4_1's nibbles plus bit e of qh as bit 4, unsigned; the offset of 16 through the sums.</summary>
internal readonly unsafe struct Q5_0Vector128 : IBlockVector128
{
    public static int BlockBytes => 22;

    public static float SumFactor => -16f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Quants(byte* block, out Vector128<byte> low, out Vector128<byte> high)
    {
        Q4_1Vector128.Nibbles(block + 6, out var lowNibbles, out var highNibbles);
        Q4_1Vector128.FifthBits(block + 2, out var lowBits, out var highBits);
        low = lowNibbles | lowBits;
        high = highNibbles | highBits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(byte* block) => HalfScales.ToSingle(*(ushort*)block);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Correction(byte* block, float d) => d;
}
