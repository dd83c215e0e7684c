using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>q4_1 for <see cref="BlockKernelVector128{T}"/>: low nibbles are elements 0..15, high nibbles 16..31; value d · q + m.</summary>
internal readonly unsafe struct Q4_1Vector128 : IBlockVector128
{
    public static int BlockBytes => 20;

    public static float SumFactor => 1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Quants(byte* block, out Vector128<byte> low, out Vector128<byte> high) => Nibbles(block + 4, out low, out high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(byte* block) => HalfScales.ToSingle(*(ushort*)block);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Correction(byte* block, float d) => HalfScales.ToSingle(*(ushort*)(block + 2));

    /// <summary>16 packed bytes as elements 0..15 (low nibbles) and 16..31 (high nibbles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Nibbles(byte* packed, out Vector128<byte> low, out Vector128<byte> high)
    {
        var v = Vector128.Load(packed);
        low = v & Vector128.Create((byte)0x0F);
        high = Vector128.ShiftRightLogical(v, 4);
    }

    /// <summary>
    /// The 32 bits at <paramref name="bits"/> as bit 4 of 32 bytes (the fifth bit of q5_0 and q5_1 quants): each
    /// byte of the word copied to eight lanes, each lane testing its own bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void FifthBits(byte* bits, out Vector128<byte> low, out Vector128<byte> high)
    {
        var word = Vector128.Create(*(uint*)bits).AsByte();
        var lanes = Vector128.Create((byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
        var fifth = Vector128.Create((byte)0x10);
        low = Vector128.Equals(Vector128.Shuffle(word, Vector128.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)) & lanes, lanes) & fifth;
        high = Vector128.Equals(Vector128.Shuffle(word, Vector128.Create((byte)2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3)) & lanes, lanes) & fifth;
    }
}
