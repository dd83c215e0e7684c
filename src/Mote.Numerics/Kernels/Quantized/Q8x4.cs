namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Activations quantized to 8 bits for the 32-element block types (q4_0, q4_1, q5_0, q5_1, q8_0) on the
/// AVX-512 path, laid out so that a weight group unpacked by one byte permute lines up with them.
/// Four blocks form a group of 160 bytes:
/// <code>
/// i8 lo[64]  byte 4·(4m + k) + e = quant 4m + e   of block k   (m, k, e in 0..3: elements 0..15)
/// i8 hi[64]  byte 4·(4m + k) + e = quant 16 + 4m + e of block k (elements 16..31)
/// f32 d[4]   scale of block k (value = d · quant)
/// f32 c[4]   factor · d · Σ quants of block k, the term a weight offset or minimum needs (the kernel's
///            factor also divides by the number of lanes it adds c to)
/// </code>
/// So 32-bit lane j of a 64-byte half always belongs to block j mod 4, and per-block vectors are the 16-byte
/// <c>d</c> or <c>c</c> broadcast. A short last group is padded with zero blocks.
/// </summary>
internal static unsafe partial class Q8x4
{
    public const int GroupBytes = 160;
    public const int GroupElements = 128;
    public const int BlockElements = 32;

    /// <summary>Groups in a row of <paramref name="cols"/> elements.</summary>
    public static int Groups(int cols) => (cols / BlockElements + 3) / 4;

    /// <summary>Bytes of one quantized row, rounded up to 64 so rows stay aligned.</summary>
    public static int Bytes(int cols) => (Groups(cols) * GroupBytes + 63) & ~63;

    /// <summary>Expands a quantized row back to floats (tests: the values the integer kernels multiply).</summary>
    public static void Dequantize(byte* source, int cols, float* destination)
    {
        for (var i = 0; i < cols; i++)
        {
            var block = i / BlockElements;
            var g = source + block / 4 * GroupBytes;
            var k = block % 4;
            var e = i % BlockElements;
            var half = e < 16 ? 0 : 64;
            var m = e % 16 / 4;
            var quant = ((sbyte*)g)[half + 4 * (4 * m + k) + e % 4];
            destination[i] = ((float*)(g + 128))[k] * quant;
        }
    }

    /// <summary>The stored sum term of block <paramref name="block"/> (tests).</summary>
    public static float SumTerm(byte* source, int block) => ((float*)(source + block / 4 * GroupBytes + 144))[block % 4];
}
