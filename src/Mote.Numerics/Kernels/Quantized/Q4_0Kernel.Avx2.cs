using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_0 for <see cref="BlockKernelAvx2{T}"/>: 16 bytes whose low nibbles are elements 0..15 and high nibbles
/// 16..31, taken unsigned; the offset of 8 is removed through the activation sums (d · −8 · dx · Σq).
/// </summary>
internal readonly unsafe struct Q4_0Avx2 : IBlockAvx2
{
    public static int BlockBytes => 18;

    public static float SumFactor => -8f;

    public static bool SignedQuants => false;

    public static int QuantMax => 15;

    public static bool HasCorrection => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block) => Nibbles(block + 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Pairs(Vector256<byte> quants, Vector256<sbyte> x) => Avx2.MultiplyAddAdjacent(quants, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(byte* block) => HalfScales.ToSingle(*(ushort*)block);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Correction(byte* block, float d) => d;

    /// <summary>
    /// 16 packed bytes as 32 nibbles in element order: low nibbles, then high nibbles. The bytes are loaded into
    /// both 128-bit lanes and only the upper lane's dwords shifted right by 4 before the mask (three instructions
    /// instead of a load, two masks, a shift and an insert).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<byte> Nibbles(byte* packed)
    {
        var both = Avx2.BroadcastVector128ToVector256(packed).AsUInt32();
        return Avx2.ShiftRightLogicalVariable(both, Vector256.Create(0u, 0, 0, 0, 4, 4, 4, 4)).AsByte() & Vector256.Create((byte)0x0F);
    }

    /// <summary>
    /// The 32 bits at <paramref name="bits"/> as 32 bytes holding 0x10 where the bit is set (the fifth bit of
    /// q5_0/q5_1 quants): each byte of the word copied to eight lanes, then each lane tests its own bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<byte> FifthBits(byte* bits)
    {
        var spread = Avx2.Shuffle(Vector256.Create(*(uint*)bits).AsByte(),
            Vector256.Create(0x0000000000000000UL, 0x0101010101010101UL, 0x0202020202020202UL, 0x0303030303030303UL).AsByte());
        var set = Vector256.Equals(spread | Vector256.Create(0x7FBFDFEFF7FBFDFEUL).AsByte(), Vector256<byte>.AllBitsSet);
        return set & Vector256.Create((byte)0x10);
    }
}
