using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>q5_1 for <see cref="BlockKernelVector128{T}"/>: q5_0's five-bit quants, value d · q + m.</summary>
internal readonly unsafe struct Q5_1Vector128 : IBlockVector128
{
    public static int BlockBytes => 24;

    public static float SumFactor => 1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Quants(byte* block, out Vector128<byte> low, out Vector128<byte> high)
    {
        Q4_1Vector128.Nibbles(block + 8, out var lowNibbles, out var highNibbles);
        Q4_1Vector128.FifthBits(block + 4, out var lowBits, out var highBits);
        low = lowNibbles | lowBits;
        high = highNibbles | highBits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(byte* block) => HalfScales.ToSingle(*(ushort*)block);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Correction(byte* block, float d) => HalfScales.ToSingle(*(ushort*)(block + 2));
}
