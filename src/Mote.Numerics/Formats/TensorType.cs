using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Mote.Numerics.Formats;

/// <summary>
/// One row of the tensor-type table: what a weight type is and what Mote can do with it. Rows are built once
/// in <see cref="TensorTypes"/>; adding a type adds a row, not a switch arm in ten places.
/// </summary>
[SkipLocalsInit]
public abstract class TensorType
{
    protected TensorType(GgmlType type)
    {
        Type = type;
        BlockSize = GgmlTypeSizes.BlockSize(type);
        TypeSize = GgmlTypeSizes.TypeSize(type);
    }

    public GgmlType Type { get; }

    /// <summary>The type's name as llama.cpp prints it ("q4_K", "f16", ...).</summary>
    public virtual string Name => Type.ToString();

    /// <summary>Elements per block.</summary>
    public int BlockSize { get; }

    /// <summary>Bytes per block.</summary>
    public int TypeSize { get; }

    /// <summary>Bytes taken by <paramref name="elements"/> elements (a multiple of <see cref="BlockSize"/>).</summary>
    public long RowBytes(long elements) => elements / BlockSize * TypeSize;

    /// <summary>
    /// Expands <c>dst.Length</c> elements (a multiple of <see cref="BlockSize"/>) stored in <paramref name="src"/>
    /// to floats, bit-exactly as ggml's <c>dequantize_row_*</c>.
    /// </summary>
    public abstract void Dequantize(ReadOnlySpan<byte> src, Span<float> dst);

    /// <summary>Quantizes <c>src.Length</c> floats into <paramref name="dst"/> as ggml's reference quantizer does.</summary>
    public abstract void Quantize(ReadOnlySpan<float> src, Span<byte> dst);

    /// <summary>Dot product of one stored row with float activations of the same length.</summary>
    public abstract float Dot(ReadOnlySpan<byte> row, ReadOnlySpan<float> x);

    /// <summary>
    /// Dots one stored row of <paramref name="columns"/> elements with <paramref name="count"/> activation
    /// vectors stored one after another in <paramref name="x"/> (<c>count × columns</c>), writing the result
    /// for vector v to <c>y[v * yStride]</c>. The row is expanded once for all vectors; each result equals
    /// <see cref="Dot"/> of the same row and vector, bit for bit (a row that overrides <see cref="Dot"/> with
    /// a different summation overrides this too, to keep that true).
    /// </summary>
    public virtual void DotMany(ReadOnlySpan<byte> row, int columns, ReadOnlySpan<float> x, int count, Span<float> y, int yStride)
    {
        CheckDotMany(columns, x, count, y, yStride);
        // y accumulates chunk by chunk in the same order as DequantizeAndDot, so results match Dot exactly.
        for (var v = 0; v < count; v++)
            y[v * yStride] = 0f;
        Span<float> chunk = stackalloc float[DotChunk];
        for (var start = 0; start < columns; start += DotChunk)
        {
            var length = Math.Min(DotChunk, columns - start);
            var values = chunk[..length];
            Dequantize(row.Slice((int)RowBytes(start), (int)RowBytes(length)), values);
            for (var v = 0; v < count; v++)
                y[v * yStride] += TensorPrimitives.Dot(values, x.Slice(v * columns + start, length));
        }
    }

    /// <summary>
    /// Elements expanded at a time by <see cref="DequantizeAndDot"/> and <see cref="DotMany"/>: a multiple of
    /// every block size, small enough for the stack.
    /// </summary>
    protected const int DotChunk = 256;

    /// <summary>
    /// The portable dot: expands the row <see cref="DotChunk"/> elements at a time into a stack buffer and
    /// sums vectorized float dot products of the chunks.
    /// </summary>
    protected float DequantizeAndDot(ReadOnlySpan<byte> row, ReadOnlySpan<float> x)
    {
        if (x.Length % BlockSize != 0)
            throw new ArgumentException($"{Name}: length {x.Length} is not a multiple of the block size {BlockSize}.", nameof(x));
        if (row.Length < RowBytes(x.Length))
            throw new ArgumentException($"{Name}: row holds {row.Length} bytes, {RowBytes(x.Length)} needed for {x.Length} elements.", nameof(row));
        Span<float> chunk = stackalloc float[DotChunk];
        var sum = 0f;
        for (var start = 0; start < x.Length; start += DotChunk)
        {
            var length = Math.Min(DotChunk, x.Length - start);
            var values = chunk[..length];
            Dequantize(row.Slice((int)RowBytes(start), (int)RowBytes(length)), values);
            sum += TensorPrimitives.Dot(values, x.Slice(start, length));
        }
        return sum;
    }

    /// <summary>Validates the arguments of <see cref="DotMany"/>.</summary>
    protected void CheckDotMany(int columns, ReadOnlySpan<float> x, int count, Span<float> y, int yStride)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(yStride, 1);
        if (columns % BlockSize != 0)
            throw new ArgumentException($"{Name}: {columns} columns is not a multiple of the block size {BlockSize}.", nameof(columns));
        if (x.Length < (long)count * columns)
            throw new ArgumentException($"{Name}: {count} vectors of {columns} need {(long)count * columns} floats, got {x.Length}.", nameof(x));
        if (count > 0 && y.Length < (long)(count - 1) * yStride + 1)
            throw new ArgumentException($"{Name}: output too short for {count} results at stride {yStride}.", nameof(y));
    }
}
