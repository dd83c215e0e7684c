using Mote.Numerics.Formats;

namespace Mote.Gguf;

/// <summary>
/// Layout rules shared by the reader and the writer, so that both agree on what a valid file is:
/// alignment, tensor shapes and tensor byte sizes.
/// </summary>
internal static class GgufLayout
{
    public const uint Magic = 0x46554747; // "GGUF" read as a little-endian u32
    public const int DefaultAlignment = 32; // GGUF_DEFAULT_ALIGNMENT
    public const int MaxDimensions = 4;     // GGML_MAX_DIMS
    public const int MaxAlignment = 1 << 20;
    public const string AlignmentKey = "general.alignment";

    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="alignment"/> (a power of two).</summary>
    public static long AlignUp(long value, int alignment) => (value + alignment - 1) & ~(long)(alignment - 1);

    /// <summary>Why an alignment is unusable, or null when it is fine.</summary>
    public static string? CheckAlignment(ulong alignment) =>
        alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > MaxAlignment
            ? $"must be a power of two up to {MaxAlignment}, found {alignment}"
            : null;

    /// <summary>
    /// Validates a tensor shape for a type and computes its byte size without overflowing. On failure returns
    /// the problem and the index of the offending dimension (-1 when the type itself is the problem).
    /// </summary>
    public static string? TryComputeByteSize(GgmlType type, ReadOnlySpan<long> shape, out long byteSize, out int badDimension)
    {
        byteSize = 0;
        badDimension = -1;
        if (!GgmlTypeSizes.IsKnown(type))
            return $"unknown tensor type {(uint)type}";
        if (shape.Length > MaxDimensions)
        {
            badDimension = MaxDimensions;
            return $"{shape.Length} dimensions (at most {MaxDimensions})";
        }

        long elements = 1;
        for (var d = 0; d < shape.Length; d++)
        {
            badDimension = d;
            var dim = shape[d];
            if (dim < 0)
                return $"dimension {d} is negative ({dim})";
            if (dim != 0 && elements > long.MaxValue / dim)
                return "the element count overflows 64 bits";
            elements *= dim;
        }

        badDimension = 0;
        var columns = shape.Length == 0 ? 1 : shape[0];
        var blockSize = GgmlTypeSizes.BlockSize(type);
        if (columns % blockSize != 0)
            return $"row length {columns} is not a multiple of {type}'s block size {blockSize}";

        var rows = columns == 0 ? 0 : elements / columns;
        var blocks = columns / blockSize;
        var typeSize = GgmlTypeSizes.TypeSize(type);
        if (blocks > long.MaxValue / typeSize)
            return "the row size overflows 64 bits";
        var rowBytes = blocks * typeSize;
        if (rows != 0 && rowBytes > long.MaxValue / rows)
            return "the byte size overflows 64 bits";
        byteSize = rowBytes * rows;
        badDimension = -1;
        return null;
    }
}
