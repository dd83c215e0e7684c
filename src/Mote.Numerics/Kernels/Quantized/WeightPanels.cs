using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Mote.Numerics.Formats;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The <see cref="WeightLayout.Panels8"/> layout of q4_0, q4_1, q5_0, q5_1, q8_0, q4_K and q6_K matrices (the
/// K-quants' own, see <see cref="Q4_KPanels"/> and <see cref="Q6_KPanels"/>; the others' below): rows 8p..8p+7 form panel
/// p, and each of the panel's blocks (column range) takes exactly the bytes its eight rows' blocks take in GGUF, so a
/// matrix keeps its size and panel p starts at <c>8p · rowBytes</c>. Within a panel block:
/// <list type="number">
/// <item>the quants as vectors of 32 bytes whose 32-bit lane r holds four bytes of row r (vector g: bytes 4g..4g+3 of
/// each row's quants; q8_0's signed bytes stored as w + 128);</item>
/// <item>q5_0/q5_1: one vector of the rows' fifth bits, regrouped so that byte g of lane r holds the bits vector g
/// needs: elements 4g..4g+3 in its low nibble, 16 + 4g.. in its high nibble;</item>
/// <item>the eight rows' fp16 scales d, then (q4_1, q5_1) their fp16 minimums m.</item>
/// </list>
/// The kernel loads one vector and multiplies eight rows by one broadcast of four activation bytes.
/// </summary>
public static unsafe class WeightPanels
{
    /// <summary>Rows per panel.</summary>
    public const int Rows = 8;

    /// <summary>Whether <paramref name="type"/> has a panel layout.</summary>
    public static bool Supports(TensorType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Type is GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q8_0 or GgmlType.Q4_K or GgmlType.Q6_K;
    }

    /// <summary>
    /// Whether this CPU's kernels gain from panels: the AVX2 level, whose integer GEMM otherwise interleaves rows on
    /// every call (the AVX-512 level has its own per-row kernels).
    /// </summary>
    public static bool Preferred => KernelIsas.Best == KernelIsa.Avx2;

    /// <summary>Whether a matrix of this type and shape can be stored as panels.</summary>
    public static bool CanInterleave(TensorType type, int rows, int cols) =>
        Supports(type) && rows > 0 && rows % Rows == 0 && cols > 0 && cols % type.BlockSize == 0;

    /// <summary>Where a block's parts lie, in GGUF and in a panel block.</summary>
    /// <param name="Halves">fp16 values at the start of a GGUF block: d, or d and m.</param>
    /// <param name="FifthBits">Whether the block has q5's 32 fifth bits (after its halves).</param>
    /// <param name="Words">32-bit words of quants per row: 16 bytes of nibble pairs, or q8_0's 32 bytes.</param>
    /// <param name="Flip">XOR applied to each word: q8_0's signed bytes go in as w + 128, unsigned nibbles for the kernels.</param>
    private readonly record struct BlockLayout(int Halves, bool FifthBits, int Words, uint Flip)
    {
        public static BlockLayout Of(TensorType type) => new(
            type.Type is GgmlType.Q4_1 or GgmlType.Q5_1 ? 2 : 1,
            type.Type is GgmlType.Q5_0 or GgmlType.Q5_1,
            type.Type == GgmlType.Q8_0 ? 8 : 4,
            type.Type == GgmlType.Q8_0 ? 0x80808080u : 0);

        /// <summary>GGUF: bytes before the quants (halves, then fifth bits).</summary>
        public int Header => 2 * Halves + (FifthBits ? 4 : 0);

        /// <summary>Panel block: the fifth-bit vector follows the eight rows' quant vectors.</summary>
        public int BitsOffset => Rows * 4 * Words;

        /// <summary>Panel block: the halves follow the fifth bits.</summary>
        public int HalvesOffset => BitsOffset + (FifthBits ? 32 : 0);
    }

    /// <summary>
    /// Writes the panels of a row-major matrix (<paramref name="rows"/> a multiple of 8) to
    /// <paramref name="destination"/>, which takes as many bytes as the source. Returns false, writing nothing
    /// useful, when a scale or minimum is infinite or NaN (the kernels' fp16 widening assumes finite values; such a
    /// matrix stays row-major).
    /// </summary>
    public static bool Interleave(TensorType type, byte* source, int rows, int cols, byte* destination)
    {
        if (!CanInterleave(type, rows, cols))
            throw new ArgumentException($"{type.Name} {rows} × {cols} has no panel layout.", nameof(type));
        if (type.Type == GgmlType.Q4_K)
            return Q4_KPanels.Interleave(source, rows, cols, destination);
        if (type.Type == GgmlType.Q6_K)
            return Q6_KPanels.Interleave(source, rows, cols, destination);
        var rowBytes = type.RowBytes(cols);
        var blocks = cols / type.BlockSize;
        var layout = BlockLayout.Of(type);
        for (var p = 0; p < rows / Rows; p++)
        {
            var panel = destination + p * Rows * rowBytes;
            for (var b = 0; b < blocks; b++, panel += Rows * type.TypeSize)
            {
                var bits = (uint*)(panel + layout.BitsOffset);
                var halves = (ushort*)(panel + layout.HalvesOffset);
                for (var r = 0; r < Rows; r++)
                {
                    var block = source + (p * Rows + r) * rowBytes + (long)b * type.TypeSize;
                    for (var h = 0; h < layout.Halves; h++)
                    {
                        var value = Unsafe.ReadUnaligned<ushort>(block + 2 * h);
                        if ((value & 0x7C00) == 0x7C00)
                            return false;
                        halves[h * Rows + r] = value;
                    }
                    if (layout.FifthBits)
                        bits[r] = GroupFifthBits(Unsafe.ReadUnaligned<uint>(block + 2 * layout.Halves));
                    // Word g of row r's quants is lane r of vector g.
                    for (var g = 0; g < layout.Words; g++)
                        ((uint*)panel)[g * Rows + r] = Unsafe.ReadUnaligned<uint>(block + layout.Header + 4 * g) ^ layout.Flip;
                }
            }
        }
        return true;
    }

    /// <summary>Writes row <paramref name="row"/> of a panel matrix in its GGUF form (<c>type.RowBytes(cols)</c> bytes).</summary>
    public static void ExtractRow(TensorType type, byte* panels, int cols, int row, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(type);
        var rowBytes = type.RowBytes(cols);
        if (destination.Length < rowBytes)
            throw new ArgumentException($"{rowBytes} bytes needed.", nameof(destination));
        if (type.Type == GgmlType.Q4_K)
        {
            Q4_KPanels.ExtractRow(panels, cols, row, destination);
            return;
        }
        if (type.Type == GgmlType.Q6_K)
        {
            Q6_KPanels.ExtractRow(panels, cols, row, destination);
            return;
        }
        var blocks = cols / type.BlockSize;
        var layout = BlockLayout.Of(type);
        var r = row % Rows;
        var panel = panels + row / Rows * Rows * rowBytes;
        fixed (byte* output = destination)
        {
            for (var b = 0; b < blocks; b++, panel += Rows * type.TypeSize)
            {
                var block = output + b * type.TypeSize;
                var bits = (uint*)(panel + layout.BitsOffset);
                var halves = (ushort*)(panel + layout.HalvesOffset);
                for (var h = 0; h < layout.Halves; h++)
                    Unsafe.WriteUnaligned(block + 2 * h, halves[h * Rows + r]);
                if (layout.FifthBits)
                    Unsafe.WriteUnaligned(block + 2 * layout.Halves, UngroupFifthBits(bits[r]));
                for (var g = 0; g < layout.Words; g++)
                    Unsafe.WriteUnaligned(block + layout.Header + 4 * g, ((uint*)panel)[g * Rows + r] ^ layout.Flip);
            }
        }
    }

    /// <summary>
    /// q5's fifth bits (bit e: element e) regrouped by panel vector: byte g holds bits 4g..4g+3 (the elements of
    /// vector g's low nibbles) below bits 16 + 4g..16 + 4g + 3 (its high nibbles).
    /// </summary>
    internal static uint GroupFifthBits(uint qh)
    {
        uint grouped = 0;
        for (var g = 0; g < 4; g++)
            grouped |= (((qh >> (4 * g)) & 0xF) | (((qh >> (16 + 4 * g)) & 0xF) << 4)) << (8 * g);
        return grouped;
    }

    /// <summary>The inverse of <see cref="GroupFifthBits"/>.</summary>
    internal static uint UngroupFifthBits(uint grouped)
    {
        uint qh = 0;
        for (var g = 0; g < 4; g++)
        {
            var b = (grouped >> (8 * g)) & 0xFF;
            qh |= ((b & 0xF) << (4 * g)) | ((b >> 4) << (16 + 4 * g));
        }
        return qh;
    }

    /// <summary>
    /// Eight fp16 scales as floats, exactly (<see cref="Float.F16Row.LoadFinite256"/>): infinities and NaN are kept
    /// out of panels by <see cref="Interleave"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Halves(ushort* halves) => Float.F16Row.LoadFinite256((byte*)halves);
}
