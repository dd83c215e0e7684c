using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mote.Numerics.Formats;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The <see cref="WeightLayout.Panels8"/> layout of q4_0, q4_1 and q8_0 matrices: rows 8p..8p+7 form panel p, and
/// each of the panel's blocks (column range) takes exactly the bytes its eight rows' blocks take in GGUF, so a matrix
/// keeps its size and panel p starts at <c>8p · rowBytes</c>. Within a panel block: the quants as vectors of 32
/// bytes whose 32-bit lane r holds four bytes of row r (vector g: bytes 4g..4g+3 of each row's quants; q8_0's signed
/// bytes stored as w + 128), then the eight rows' fp16 scales d, then (q4_1) their fp16 minimums m. The kernel loads
/// one vector and multiplies eight rows by one broadcast of four activation bytes.
/// </summary>
public static unsafe class WeightPanels
{
    /// <summary>Rows per panel.</summary>
    public const int Rows = 8;

    /// <summary>Whether <paramref name="type"/> has a panel layout.</summary>
    public static bool Supports(TensorType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Type is GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q8_0;
    }

    /// <summary>
    /// Whether this CPU's kernels gain from panels: the AVX2 level, whose integer GEMM otherwise interleaves rows on
    /// every call (the AVX-512 level has its own per-row kernels).
    /// </summary>
    public static bool Preferred => KernelIsas.Best == KernelIsa.Avx2;

    /// <summary>Whether a matrix of this type and shape can be stored as panels.</summary>
    public static bool CanInterleave(TensorType type, int rows, int cols) =>
        Supports(type) && rows > 0 && rows % Rows == 0 && cols > 0 && cols % type.BlockSize == 0;

    /// <summary>Bytes of the block's fp16 header (d, or d and m) before its quants, in GGUF.</summary>
    private static int HeaderBytes(TensorType type) => type.Type == GgmlType.Q4_1 ? 4 : 2;

    private static int QuantBytes(TensorType type) => type.TypeSize - HeaderBytes(type);

    // q8_0's signed bytes go in as w + 128: the kernels take them as unsigned nibbles.
    private static byte Flip(TensorType type) => type.Type == GgmlType.Q8_0 ? (byte)0x80 : (byte)0;

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
        var rowBytes = type.RowBytes(cols);
        var blocks = cols / type.BlockSize;
        var header = HeaderBytes(type);
        var words = QuantBytes(type) / 4;
        var flip = Flip(type) * 0x01010101u;
        for (var p = 0; p < rows / Rows; p++)
        {
            var panel = destination + p * Rows * rowBytes;
            for (var b = 0; b < blocks; b++, panel += Rows * type.TypeSize)
            {
                var halves = (ushort*)(panel + Rows * 4 * words);
                for (var r = 0; r < Rows; r++)
                {
                    var block = source + (p * Rows + r) * rowBytes + (long)b * type.TypeSize;
                    for (var h = 0; h < header / 2; h++)
                    {
                        var bits = Unsafe.ReadUnaligned<ushort>(block + 2 * h);
                        if ((bits & 0x7C00) == 0x7C00)
                            return false;
                        halves[h * Rows + r] = bits;
                    }
                    // Word g of row r's quants is lane r of vector g.
                    for (var g = 0; g < words; g++)
                        ((uint*)panel)[g * Rows + r] = Unsafe.ReadUnaligned<uint>(block + header + 4 * g) ^ flip;
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
        var blocks = cols / type.BlockSize;
        var header = HeaderBytes(type);
        var quants = QuantBytes(type);
        var flip = Flip(type);
        var r = row % Rows;
        var panel = panels + row / Rows * Rows * rowBytes;
        for (var b = 0; b < blocks; b++, panel += Rows * type.TypeSize)
        {
            var block = destination.Slice(b * type.TypeSize, type.TypeSize);
            for (var h = 0; h < header / 2; h++)
            {
                var bits = ((ushort*)(panel + Rows * quants))[h * Rows + r];
                block[2 * h] = (byte)bits;
                block[2 * h + 1] = (byte)(bits >> 8);
            }
            for (var i = 0; i < quants; i++)
                block[header + i] = (byte)(panel[i / 4 * 32 + 4 * r + i % 4] ^ flip);
        }
    }

    /// <summary>
    /// Eight fp16 values as floats without F16C (which .NET does not expose): the bits moved into a float's
    /// exponent and mantissa, then scaled by 2^112 (exact for normal and subnormal halves; infinities and NaN are
    /// kept out of panels by <see cref="Interleave"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Halves(ushort* halves)
    {
        var bits = Avx2.ConvertToVector256Int32(halves).AsUInt32();
        var magnitude = ((bits & Vector256.Create(0x7FFFu)) << 13).AsSingle() * Vector256.Create(0x77800000u).AsSingle();
        return magnitude | ((bits & Vector256.Create(0x8000u)) << 16).AsSingle();
    }
}
