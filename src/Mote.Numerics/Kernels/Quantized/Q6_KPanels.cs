using System.Runtime.CompilerServices;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The <see cref="WeightLayout.Panels8"/> layout of q6_K: each super-block of eight rows (8 · 210 bytes in GGUF)
/// becomes one panel block of the same 1680 bytes. GGUF stores element 128h + 32r + l (h = 0, 1; r = 0..3;
/// l = 0..31) as the low (r &lt; 2) or high nibble of ql[64h + 32(r % 2) + l] and bits 2r, 2r + 1 of qh[32h + l];
/// its scale is the signed byte of sub-block (element / 16). In a panel block, vectors of 32 bytes whose 32-bit
/// lane r holds four bytes of row r:
/// <list type="number">
/// <item>1024 bytes: ql vector 16h + 8s + k (s = 0, 1; k = 0..7) holds ql bytes 64h + 32s + 2k, +1, +16, +17. Each
/// 16-bit half of its low nibbles lies in one sub-block (8h + 2s, then 8h + 2s + 1), and so does each half of its
/// high nibbles (8h + 2s + 4, + 5): one <c>vpmaddwd</c> applies a pair of consecutive sub-blocks' scales;</item>
/// <item>512 bytes: qh vector 8h + k holds qh bytes 32h + 2k, +1, +16, +17, the top bits of ql vectors 16h + k and
/// 16h + 8 + k;</item>
/// <item>128 bytes: the scales as pairs, pair p = 0..7 in bytes 16p..16p + 15 (row r: scales 2p, 2p + 1);</item>
/// <item>the eight rows' fp16 d.</item>
/// </list>
/// The kernels' activations are a <see cref="Q8K"/> super-block whose quants are permuted to match (see
/// <see cref="PermuteActivations"/>); its 16 sums stay in element order, which is the scale pairs' order.
/// </summary>
internal static unsafe class Q6_KPanels
{
    private const int Rows = WeightPanels.Rows;
    private const int RowBlockBytes = 210;     // a GGUF q6_K super-block: ql[128], qh[64], scales[16], d
    public const int BlockBytes = Rows * RowBlockBytes;
    public const int TopsAt = 1024;
    public const int ScalesAt = TopsAt + 512;
    public const int DAt = ScalesAt + 128;

    /// <summary>Interleaves <paramref name="rows"/> (a multiple of 8) rows; false when a d is infinite or NaN.</summary>
    public static bool Interleave(byte* source, int rows, int cols, byte* destination)
    {
        var blocks = cols / Q8K.Elements;
        var rowBytes = (long)blocks * RowBlockBytes;
        for (var p = 0; p < rows / Rows; p++)
        {
            for (var b = 0; b < blocks; b++)
            {
                var panel = destination + p * Rows * rowBytes + b * BlockBytes;
                for (var r = 0; r < Rows; r++)
                {
                    var block = source + (p * Rows + r) * rowBytes + b * RowBlockBytes;
                    var d = Unsafe.ReadUnaligned<ushort>(block + 208);
                    if ((d & 0x7C00) == 0x7C00)
                        return false;
                    ((ushort*)(panel + DAt))[r] = d;
                    for (var pair = 0; pair < 8; pair++)
                        ((ushort*)(panel + ScalesAt))[pair * Rows + r] = Unsafe.ReadUnaligned<ushort>(block + 192 + 2 * pair);
                    var ql = (ushort*)block;
                    var qh = (ushort*)(block + 128);
                    for (var v = 0; v < 32; v++)
                        ((uint*)panel)[v * Rows + r] = Lane(ql, 16 * (v / 8) + v % 8);
                    for (var u = 0; u < 16; u++)
                        ((uint*)(panel + TopsAt))[u * Rows + r] = Lane(qh, 16 * (u / 8) + u % 8);
                }
            }
        }
        return true;
    }

    /// <summary>Writes row <paramref name="row"/> of a panel matrix in its GGUF form.</summary>
    public static void ExtractRow(byte* panels, int cols, int row, Span<byte> destination)
    {
        var blocks = cols / Q8K.Elements;
        var rowBytes = (long)blocks * RowBlockBytes;
        var r = row % Rows;
        fixed (byte* output = destination)
        {
            for (var b = 0; b < blocks; b++)
            {
                var panel = panels + row / Rows * Rows * rowBytes + b * BlockBytes;
                var block = output + b * RowBlockBytes;
                Unsafe.WriteUnaligned(block + 208, ((ushort*)(panel + DAt))[r]);
                for (var pair = 0; pair < 8; pair++)
                    Unsafe.WriteUnaligned(block + 192 + 2 * pair, ((ushort*)(panel + ScalesAt))[pair * Rows + r]);
                for (var v = 0; v < 32; v++)
                    Unlane((ushort*)block, 16 * (v / 8) + v % 8, ((uint*)panel)[v * Rows + r]);
                for (var u = 0; u < 16; u++)
                    Unlane((ushort*)(block + 128), 16 * (u / 8) + u % 8, ((uint*)(panel + TopsAt))[u * Rows + r]);
            }
        }
    }

    /// <summary>
    /// Reorders a <see cref="Q8K"/> super-block quantized in element order for the panel kernels: group
    /// 16h + 8s + k takes eight bytes, the activations of ql vector 16h + 8s + k's low nibbles (elements
    /// 128h + 32s + 2k, +1, +16, +17) then of its high nibbles (the same + 64).
    /// </summary>
    public static void PermuteActivations(byte* superBlock)
    {
        var words = stackalloc ushort[128];
        Buffer.MemoryCopy(superBlock, words, 256, 256);
        var groups = (uint*)superBlock;
        for (var v = 0; v < 32; v++)
        {
            var word = Word(v);
            groups[2 * v] = words[word] | (uint)words[word + 8] << 16;
            groups[2 * v + 1] = words[word + 32] | (uint)words[word + 40] << 16;
        }
    }

    /// <summary>The inverse of <see cref="PermuteActivations"/>' quant order, as floats d · q (tests).</summary>
    public static void DequantizeActivations(byte* superBlock, float* destination)
    {
        var d = Q8K.Scale(superBlock);
        var groups = (uint*)superBlock;
        for (var v = 0; v < 32; v++)
        {
            var word = Word(v);
            Store(destination, word, groups[2 * v], d);
            Store(destination, word + 32, groups[2 * v + 1], d);
        }

        static void Store(float* destination, int word, uint group, float d)
        {
            destination[2 * word] = d * (sbyte)group;
            destination[2 * word + 1] = d * (sbyte)(group >> 8);
            destination[2 * word + 16] = d * (sbyte)(group >> 16);
            destination[2 * word + 17] = d * (sbyte)(group >> 24);
        }
    }

    // The first 16-bit word (pair of elements) of group v's low nibbles: element 128h + 32s + 2k.
    private static int Word(int v) => 64 * (v / 16) + 16 * (v / 8 % 2) + v % 8;

    // Words w and w + 8 (bytes 2w, +1, +16, +17) as one lane.
    private static uint Lane(ushort* words, int w) => words[w] | (uint)words[w + 8] << 16;

    private static void Unlane(ushort* words, int w, uint lane)
    {
        words[w] = (ushort)lane;
        words[w + 8] = (ushort)(lane >> 16);
    }
}
