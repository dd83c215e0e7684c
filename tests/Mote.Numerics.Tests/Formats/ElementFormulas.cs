using System.Buffers.Binary;
using Mote.Numerics.Formats;

namespace Mote.Numerics.Tests.Formats;

/// <summary>
/// Test-side decoders written straight from the ggml-common.h layouts: element i of a block is read on its
/// own from raw bytes, with no shared code with the library's block loops. Multiplications keep ggml's order
/// (scale first, then level, then minimum), so the result is bit-exact with ggml's dequantizers.
/// </summary>
internal static class ElementFormulas
{
    public static float Value(GgmlType type, ReadOnlySpan<byte> b, int i) => type switch
    {
        GgmlType.F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(b[(2 * i)..]),
        GgmlType.BF16 => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * i)..]) << 16),
        GgmlType.Q4_0 => (Nibble(b[2..], i, 16) - 8) * H(b, 0),
        GgmlType.Q4_1 => Nibble(b[4..], i, 16) * H(b, 0) + H(b, 2),
        GgmlType.Q5_0 => ((Nibble(b[6..], i, 16) | (HighBit(b[2..], i) << 4)) - 16) * H(b, 0),
        GgmlType.Q5_1 => (Nibble(b[8..], i, 16) | (HighBit(b[4..], i) << 4)) * H(b, 0) + H(b, 2),
        GgmlType.Q8_0 => (sbyte)b[2 + i] * H(b, 0),
        GgmlType.Q8_1 => (sbyte)b[4 + i] * H(b, 0),
        GgmlType.Q2_K => Q2K(b, i),
        GgmlType.Q3_K => Q3K(b, i),
        GgmlType.Q4_K => Q4K(b, i),
        GgmlType.Q5_K => Q5K(b, i),
        GgmlType.Q6_K => Q6K(b, i),
        GgmlType.Q8_K => BinaryPrimitives.ReadSingleLittleEndian(b) * (sbyte)b[4 + i],
        _ => throw new NotSupportedException(type.ToString()),
    };

    private static float H(ReadOnlySpan<byte> b, int offset) => (float)BinaryPrimitives.ReadHalfLittleEndian(b[offset..]);

    // 32-element blocks: byte j holds element j (low nibble) and j + 16 (high nibble).
    private static int Nibble(ReadOnlySpan<byte> qs, int i, int half) => i < half ? qs[i] & 0xF : qs[i - half] >> 4;

    private static int HighBit(ReadOnlySpan<byte> qh, int i) => (int)((BinaryPrimitives.ReadUInt32LittleEndian(qh) >> i) & 1);

    // q2_K: scales[16] | qs[64] | d | dmin. Element i sits in half i/128, at shift 2·((i%128)/32), byte i%32.
    private static float Q2K(ReadOnlySpan<byte> b, int i)
    {
        var (half, shift, l) = (i / 128, 2 * (i % 128 / 32), i % 32);
        var q = (b[16 + 32 * half + l] >> shift) & 3;
        var sc = b[i / 16];
        return H(b, 80) * (sc & 0xF) * q - H(b, 82) * (sc >> 4);
    }

    // q3_K: hmask[32] | qs[64] | scales[12] | d. The high bit of element i is bit (i/32) of hmask[i%32].
    private static float Q3K(ReadOnlySpan<byte> b, int i)
    {
        var (half, shift, l) = (i / 128, 2 * (i % 128 / 32), i % 32);
        var low = (b[32 + 32 * half + l] >> shift) & 3;
        var high = (b[l] >> (i / 32)) & 1;
        var g = i / 16;
        var scales = b.Slice(96, 12);
        var scale = (g < 8 ? scales[g] & 0xF : scales[g - 8] >> 4) | (((scales[8 + g % 4] >> (2 * (g / 4))) & 3) << 4);
        return H(b, 108) * (scale - 32) * (low - (high != 0 ? 0 : 4));
    }

    // q4_K: d | dmin | scales[12] | qs[128]. Each 64 elements: 32 bytes, low nibbles then high nibbles.
    private static float Q4K(ReadOnlySpan<byte> b, int i)
    {
        var (chunk, r) = (i / 64, i % 64);
        var q = r < 32 ? b[16 + 32 * chunk + r] & 0xF : b[16 + 32 * chunk + r - 32] >> 4;
        var (sc, m) = ScaleMinK4(b.Slice(4, 12), i / 32);
        return H(b, 0) * sc * q - H(b, 2) * m;
    }

    // q5_K: d | dmin | scales[12] | qh[32] | qs[128]. Fifth bit of element i: bit i/32 of qh[i%32].
    private static float Q5K(ReadOnlySpan<byte> b, int i)
    {
        var (chunk, r) = (i / 64, i % 64);
        var low = r < 32 ? b[48 + 32 * chunk + r] & 0xF : b[48 + 32 * chunk + r - 32] >> 4;
        var q = low + 16 * ((b[16 + i % 32] >> (i / 32)) & 1);
        var (sc, m) = ScaleMinK4(b.Slice(4, 12), i / 32);
        return H(b, 0) * sc * q - H(b, 2) * m;
    }

    // q6_K: ql[128] | qh[64] | scales[16] (signed) | d.
    private static float Q6K(ReadOnlySpan<byte> b, int i)
    {
        var (half, k, l) = (i / 128, i % 128 / 32, i % 32);
        var qlByte = b[64 * half + l + 32 * (k & 1)];
        var low = k < 2 ? qlByte & 0xF : qlByte >> 4;
        var high = (b[128 + 32 * half + l] >> (2 * k)) & 3;
        var q = (low | (high << 4)) - 32;
        return H(b, 208) * (sbyte)b[192 + i / 16] * q;
    }

    private static (int Scale, int Min) ScaleMinK4(ReadOnlySpan<byte> s, int g) => g < 4
        ? (s[g] & 63, s[g + 4] & 63)
        : ((s[g + 4] & 0xF) | ((s[g - 4] >> 6) << 4), (s[g + 4] >> 4) | ((s[g] >> 6) << 4));
}
