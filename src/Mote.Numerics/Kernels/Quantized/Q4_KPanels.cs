using System.Runtime.CompilerServices;
using Mote.Numerics.Formats.Quants;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The <see cref="WeightLayout.Panels8"/> layout of q4_K: each super-block of eight rows (8 · 144 bytes in GGUF)
/// becomes one panel block of the same 1152 bytes, so a matrix keeps its size:
/// <list type="number">
/// <item>1024 bytes of quants: 32 vectors whose 32-bit lane r holds four quant bytes of row r. GGUF stores a row's
/// 256 elements as four chunks of 32 bytes, byte i of chunk c holding element 64c + i in its low nibble and
/// 64c + 32 + i in its high one. Vector 16G + k (G = 0, 1; k = 0..15) holds bytes 2k, 2k + 1 of chunk G and then of
/// chunk G + 2, so each 16-bit half of its low nibbles belongs to one sub-block (2G, then 2G + 4) and so does each
/// half of its high nibbles (2G + 1, 2G + 5): one <c>vpmaddwd</c> then applies two sub-blocks' scales at once;</item>
/// <item>the eight rows' fp16 d, then their fp16 dmin (32 bytes);</item>
/// <item>the 128 six-bit scales and minimums (96 bytes, the GGUF rows' 8 · 12), regrouped so that two loads and a few
/// masks give the byte vector U: pair p = 0..3 of scales in bytes 16p..16p + 15 (row r: scale p, then scale p + 4),
/// the minimums' pairs in bytes 64 + 16p..; stored as 64 bytes of low nibbles (U[k] | U[k + 64] &lt;&lt; 4) and 32
/// bytes of two-bit tops (U[k], U[k + 32], U[k + 64], U[k + 96] from bit 0 up).</item>
/// </list>
/// The kernels' activations are a <see cref="Q8K"/> super-block whose quants are permuted to match (see
/// <see cref="PermuteActivations"/>) and whose sums are the eight 32-element sums in the pair order.
/// </summary>
internal static unsafe class Q4_KPanels
{
    private const int Rows = WeightPanels.Rows;
    private const int RowBlockBytes = 144;     // a GGUF q4_K super-block
    public const int BlockBytes = Rows * RowBlockBytes;
    public const int QuantBytes = 1024;
    public const int ScalesAt = QuantBytes;    // d[8], then dmin[8]
    public const int NibblesAt = ScalesAt + 32;
    public const int TopsAt = NibblesAt + 64;

    /// <summary>Interleaves <paramref name="rows"/> (a multiple of 8) rows; false when a d or dmin is infinite or NaN.</summary>
    public static bool Interleave(byte* source, int rows, int cols, byte* destination)
    {
        var blocks = cols / Q8K.Elements;
        var rowBytes = (long)blocks * RowBlockBytes;
        Span<byte> unpacked = stackalloc byte[128];
        for (var p = 0; p < rows / Rows; p++)
        {
            for (var b = 0; b < blocks; b++)
            {
                var panel = destination + (p * Rows * rowBytes) + b * BlockBytes;
                for (var r = 0; r < Rows; r++)
                {
                    var block = source + (p * Rows + r) * rowBytes + b * RowBlockBytes;
                    var d = Unsafe.ReadUnaligned<ushort>(block);
                    var dmin = Unsafe.ReadUnaligned<ushort>(block + 2);
                    if ((d & 0x7C00) == 0x7C00 || (dmin & 0x7C00) == 0x7C00)
                        return false;
                    ((ushort*)(panel + ScalesAt))[r] = d;
                    ((ushort*)(panel + ScalesAt))[Rows + r] = dmin;
                    var packed = new ReadOnlySpan<byte>(block + 4, 12);
                    for (var p2 = 0; p2 < 4; p2++)
                    {
                        KScales.GetScaleMin(p2, packed, out var scale, out var min);
                        KScales.GetScaleMin(p2 + 4, packed, out var scale2, out var min2);
                        unpacked[16 * p2 + 2 * r] = scale;
                        unpacked[16 * p2 + 2 * r + 1] = scale2;
                        unpacked[64 + 16 * p2 + 2 * r] = min;
                        unpacked[64 + 16 * p2 + 2 * r + 1] = min2;
                    }
                    var words = (ushort*)(block + 16);
                    for (var v = 0; v < 32; v++)
                    {
                        var (g, k) = (v / 16, v % 16);
                        ((uint*)panel)[v * Rows + r] = words[16 * g + k] | (uint)words[16 * (g + 2) + k] << 16;
                    }
                }
                Pack(unpacked, panel);
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
        Span<byte> unpacked = stackalloc byte[128];
        for (var b = 0; b < blocks; b++)
        {
            var panel = panels + row / Rows * Rows * rowBytes + b * BlockBytes;
            var block = destination.Slice(b * RowBlockBytes, RowBlockBytes);
            Unpack(panel, unpacked);
            Unsafe.WriteUnaligned(ref block[0], ((ushort*)(panel + ScalesAt))[r]);
            Unsafe.WriteUnaligned(ref block[2], ((ushort*)(panel + ScalesAt))[Rows + r]);
            var packed = block.Slice(4, 12);
            packed.Clear();
            for (var p = 0; p < 4; p++)
            {
                KScales.SetScaleMin(p, packed, unpacked[16 * p + 2 * r], unpacked[64 + 16 * p + 2 * r]);
                KScales.SetScaleMin(p + 4, packed, unpacked[16 * p + 2 * r + 1], unpacked[64 + 16 * p + 2 * r + 1]);
            }
            for (var v = 0; v < 32; v++)
            {
                var (g, k) = (v / 16, v % 16);
                var lane = ((uint*)panel)[v * Rows + r];
                Unsafe.WriteUnaligned(ref block[16 + 2 * (16 * g + k)], (ushort)lane);
                Unsafe.WriteUnaligned(ref block[16 + 2 * (16 * (g + 2) + k)], (ushort)(lane >> 16));
            }
        }
    }

    /// <summary>
    /// Reorders a <see cref="Q8K"/> super-block quantized in element order for the panel kernels: group 16G + k takes
    /// eight bytes, the activations of vector 16G + k's low nibbles (elements 64G + 2k, +1, 64(G + 2) + 2k, +1) then
    /// of its high nibbles (the same + 32); the sums become the eight 32-element sums, sub-blocks p and p + 4 side by
    /// side for pair p.
    /// </summary>
    public static void PermuteActivations(byte* superBlock)
    {
        var words = stackalloc ushort[128];
        Buffer.MemoryCopy(superBlock, words, 256, 256);
        var groups = (uint*)superBlock;
        for (var g = 0; g < 2; g++)
        {
            for (var k = 0; k < 16; k++)
            {
                var v = 16 * g + k;
                groups[2 * v] = words[32 * g + k] | (uint)words[32 * g + 64 + k] << 16;
                groups[2 * v + 1] = words[32 * g + 16 + k] | (uint)words[32 * g + 80 + k] << 16;
            }
        }
        var sums = (short*)(superBlock + Q8K.SumsOffset);
        Span<short> pairs = stackalloc short[8];
        for (var p = 0; p < 4; p++)
        {
            pairs[2 * p] = (short)(sums[2 * p] + sums[2 * p + 1]);
            pairs[2 * p + 1] = (short)(sums[2 * (p + 4)] + sums[2 * (p + 4) + 1]);
        }
        pairs.CopyTo(new Span<short>(sums, 8));
    }

    /// <summary>The inverse of <see cref="PermuteActivations"/>' quant order, as floats d · q (tests).</summary>
    public static void DequantizeActivations(byte* superBlock, float* destination)
    {
        var d = Q8K.Scale(superBlock);
        var groups = (uint*)superBlock;
        for (var g = 0; g < 2; g++)
        {
            for (var k = 0; k < 16; k++)
            {
                var v = 16 * g + k;
                Word(destination, 32 * g + k, (ushort)groups[2 * v], d);
                Word(destination, 32 * g + 64 + k, (ushort)(groups[2 * v] >> 16), d);
                Word(destination, 32 * g + 16 + k, (ushort)groups[2 * v + 1], d);
                Word(destination, 32 * g + 80 + k, (ushort)(groups[2 * v + 1] >> 16), d);
            }
        }

        static void Word(float* destination, int word, ushort bytes, float d)
        {
            destination[2 * word] = d * (sbyte)bytes;
            destination[2 * word + 1] = d * (sbyte)(bytes >> 8);
        }
    }

    /// <summary>Stores U (see the class remarks) as its low nibbles and two-bit tops.</summary>
    private static void Pack(ReadOnlySpan<byte> unpacked, byte* panel)
    {
        for (var k = 0; k < 64; k++)
            panel[NibblesAt + k] = (byte)((unpacked[k] & 15) | (unpacked[k + 64] & 15) << 4);
        for (var k = 0; k < 32; k++)
            panel[TopsAt + k] = (byte)(unpacked[k] >> 4 | unpacked[k + 32] >> 4 << 2 | unpacked[k + 64] >> 4 << 4 | unpacked[k + 96] >> 4 << 6);
    }

    /// <summary>U back from a panel block (scalar; the kernel does the same with four vector expressions).</summary>
    internal static void Unpack(byte* panel, Span<byte> unpacked)
    {
        for (var k = 0; k < 32; k++)
        {
            var tops = panel[TopsAt + k];
            unpacked[k] = (byte)((panel[NibblesAt + k] & 15) | (tops & 3) << 4);
            unpacked[k + 32] = (byte)((panel[NibblesAt + 32 + k] & 15) | (tops >> 2 & 3) << 4);
            unpacked[k + 64] = (byte)((panel[NibblesAt + k] >> 4) | (tops >> 4 & 3) << 4);
            unpacked[k + 96] = (byte)((panel[NibblesAt + 32 + k] >> 4) | (tops >> 6) << 4);
        }
    }
}
