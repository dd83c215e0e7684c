using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The packed 6-bit sub-block scales of the K-quants, unpacked for the SIMD kernels of every instruction set
/// (the scalar definitions are <see cref="Formats.Quants.KScales"/> and the q3_K reference).
/// </summary>
internal static unsafe class PackedKScales
{
    /// <summary>
    /// q4_K / q5_K: the eight 6-bit scales (bytes 0–7) then the eight 6-bit minimums (bytes 8–15) of the super-block
    /// at <paramref name="block"/>, whose 12 packed bytes start at byte 4 (ggml <c>get_scale_min_k4</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ScalesAndMins(byte* block) => Ssse3.IsSupported ? ScalesAndMinsSsse3(block) : ScalesAndMinsScalar(block);

    /// <summary>
    /// <see cref="ScalesAndMins"/> in ten vector operations instead of some twenty scalar ones and two inserts (a
    /// q4_K decode spends about a sixth of its instructions here): two byte shuffles gather each output's low and
    /// high sources, masks and shifts cut their bits. Reads 16 bytes from <c>block + 4</c> (the scales and the first
    /// four quant bytes, which are ignored).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<byte> ScalesAndMinsSsse3(byte* block)
    {
        var packed = Vector128.Load(block + 4);
        // Low bits: scales 0–3 from bytes 0–3, scales 4–7 and minimums 4–7 from bytes 8–11 (low, high nibble),
        // minimums 0–3 from bytes 4–7.
        var low = Ssse3.Shuffle(packed, Vector128.Create((byte)0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11));
        var lowBits = (low & Vector128.Create((byte)63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 0, 0, 0, 0))
            | (Sse2.ShiftRightLogical(low.AsUInt16(), 4).AsByte() & Vector128.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 15, 15, 15, 15));
        // High two bits of scales and minimums 4–7: the top bits of bytes 0–3 and 4–7, moved to bits 4–5.
        var high = Ssse3.Shuffle(packed, Vector128.Create(0x80, 0x80, 0x80, 0x80, 0, 1, 2, 3, 0x80, 0x80, 0x80, 0x80, 4, 5, 6, 7));
        return lowBits | (Sse2.ShiftRightLogical(high.AsUInt16(), 2).AsByte() & Vector128.Create((byte)0x30));
    }

    /// <summary><see cref="ScalesAndMins"/> with 32-bit integer operations (any instruction set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<byte> ScalesAndMinsScalar(byte* block)
    {
        var a = *(uint*)(block + 4);
        var b = *(uint*)(block + 8);
        var c = *(uint*)(block + 12);
        var scales = (a & 0x3F3F3F3Fu) | ((ulong)((c & 0x0F0F0F0Fu) | (((a >> 6) & 0x03030303u) << 4)) << 32);
        var mins = (b & 0x3F3F3F3Fu) | ((ulong)(((c >> 4) & 0x0F0F0F0Fu) | (((b >> 6) & 0x03030303u) << 4)) << 32);
        return Vector128.Create(scales, mins).AsByte();
    }

    /// <summary><see cref="ScalesAndMins"/> widened to 16 bits: scales in lanes 0–7, minimums in lanes 8–15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> ScalesAndMinsWide(byte* block) => Avx2.ConvertToVector256Int16(ScalesAndMins(block));

    /// <summary>
    /// q3_K: the sixteen 6-bit scales minus 32 as 16-bit values, from the 12 bytes at <paramref name="packed"/>:
    /// low nibbles of sub-blocks 0–7 and 8–15 in the low and high nibbles of bytes 0–7; top two bits of
    /// sub-block j at bits 2·(j / 4) of byte 8 + j % 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Q3Scales(byte* packed) =>
        Avx2.ConvertToVector256Int16(Q3ScaleBytes(packed)) - Vector256.Create((short)32);

    /// <summary>q3_K: the sixteen 6-bit scales as stored (0..63, 32 more than the signed scale), one per byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> Q3ScaleBytes(byte* packed)
    {
        var nibbles = *(ulong*)packed;
        var tops = (ulong)*(uint*)(packed + 8);
        var lowHalf = (nibbles & 0x0F0F0F0F0F0F0F0FUL) | ((tops & 0x03030303UL) << 4) | (((tops >> 2) & 0x03030303UL) << 36);
        var highHalf = ((nibbles >> 4) & 0x0F0F0F0F0F0F0F0FUL) | (((tops >> 4) & 0x03030303UL) << 4) | (((tops >> 6) & 0x03030303UL) << 36);
        return Vector128.Create(lowHalf, highHalf).AsByte();
    }
}
