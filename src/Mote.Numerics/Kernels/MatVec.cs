using Mote.Numerics.Formats;

namespace Mote.Numerics.Kernels;

/// <summary>
/// Matrix × vector products over weights stored in any <see cref="TensorType"/>: <c>y = W · x</c> where W is
/// <c>rows × cols</c>, row-major, row r occupying bytes <c>[r · rowBytes, (r + 1) · rowBytes)</c>. The
/// row-range overloads compute only rows <c>[rowStart, rowEnd)</c> (writing only those entries of y), so a
/// thread pool can split one product across workers.
/// </summary>
public static unsafe class MatVec
{
    /// <summary><c>y[r] = W[r] · x</c> for every row.</summary>
    /// <param name="type">Storage type of <paramref name="weights"/>.</param>
    /// <param name="weights">The matrix, <c>rows × type.RowBytes(cols)</c> bytes.</param>
    /// <param name="rows">Number of rows (length of <paramref name="y"/>).</param>
    /// <param name="cols">Number of columns (length of <paramref name="x"/>; a multiple of the block size).</param>
    /// <param name="x">The input vector.</param>
    /// <param name="y">The output vector.</param>
    public static void Multiply(TensorType type, ReadOnlySpan<byte> weights, int rows, int cols, ReadOnlySpan<float> x, Span<float> y) =>
        Multiply(type, weights, rows, cols, x, y, 0, rows);

    /// <summary><c>y[r] = W[r] · x</c> for rows <c>[rowStart, rowEnd)</c>; other entries of y are left alone.</summary>
    public static void Multiply(TensorType type, ReadOnlySpan<byte> weights, int rows, int cols, ReadOnlySpan<float> x, Span<float> y,
        int rowStart, int rowEnd)
    {
        var rowBytes = Check(type, weights.Length, rows, cols, x.Length, 1, y.Length, rowStart, rowEnd);
        for (var r = rowStart; r < rowEnd; r++)
            y[r] = type.Dot(weights.Slice(r * (int)rowBytes, (int)rowBytes), x[..cols]);
    }

    /// <summary>
    /// As <see cref="Multiply(TensorType, ReadOnlySpan{byte}, int, int, ReadOnlySpan{float}, Span{float})"/>
    /// for a matrix outside the managed heap (e.g. memory-mapped), which may exceed 2 GiB.
    /// </summary>
    public static void Multiply(TensorType type, byte* weights, int rows, int cols, ReadOnlySpan<float> x, Span<float> y) =>
        Multiply(type, weights, rows, cols, x, y, 0, rows);

    /// <summary>Row-range form of the pointer overload.</summary>
    public static void Multiply(TensorType type, byte* weights, int rows, int cols, ReadOnlySpan<float> x, Span<float> y,
        int rowStart, int rowEnd)
    {
        var rowBytes = Check(type, long.MaxValue, rows, cols, x.Length, 1, y.Length, rowStart, rowEnd);
        ArgumentNullException.ThrowIfNull(weights);
        for (var r = rowStart; r < rowEnd; r++)
            y[r] = type.Dot(new ReadOnlySpan<byte>(weights + r * rowBytes, (int)rowBytes), x[..cols]);
    }

    /// <summary>Pointer overload taking the address as <see cref="nint"/>.</summary>
    public static void Multiply(TensorType type, nint weights, int rows, int cols, ReadOnlySpan<float> x, Span<float> y) =>
        Multiply(type, (byte*)weights, rows, cols, x, y, 0, rows);

    /// <summary>Row-range form of the <see cref="nint"/> overload.</summary>
    public static void Multiply(TensorType type, nint weights, int rows, int cols, ReadOnlySpan<float> x, Span<float> y,
        int rowStart, int rowEnd) =>
        Multiply(type, (byte*)weights, rows, cols, x, y, rowStart, rowEnd);

    /// <summary>
    /// <paramref name="count"/> products at once: x holds <c>count × cols</c> floats (vector v at
    /// <c>v · cols</c>), y receives <c>count × rows</c> (result v at <c>v · rows</c>). Each weight row is
    /// expanded once for all vectors; results equal <see cref="Multiply(TensorType, ReadOnlySpan{byte}, int, int, ReadOnlySpan{float}, Span{float})"/>
    /// on each vector exactly.
    /// </summary>
    public static void MultiplyBatch(TensorType type, ReadOnlySpan<byte> weights, int rows, int cols, ReadOnlySpan<float> x, int count, Span<float> y) =>
        MultiplyBatch(type, weights, rows, cols, x, count, y, 0, rows);

    /// <summary>Row-range form of <see cref="MultiplyBatch(TensorType, ReadOnlySpan{byte}, int, int, ReadOnlySpan{float}, int, Span{float})"/>.</summary>
    public static void MultiplyBatch(TensorType type, ReadOnlySpan<byte> weights, int rows, int cols, ReadOnlySpan<float> x, int count, Span<float> y,
        int rowStart, int rowEnd)
    {
        var rowBytes = Check(type, weights.Length, rows, cols, x.Length, count, y.Length, rowStart, rowEnd);
        for (var r = rowStart; r < rowEnd; r++)
            type.DotMany(weights.Slice(r * (int)rowBytes, (int)rowBytes), cols, x, count, y[r..], rows);
    }

    /// <summary>Batched product over a matrix outside the managed heap (may exceed 2 GiB).</summary>
    public static void MultiplyBatch(TensorType type, byte* weights, int rows, int cols, ReadOnlySpan<float> x, int count, Span<float> y) =>
        MultiplyBatch(type, weights, rows, cols, x, count, y, 0, rows);

    /// <summary>Row-range form of the pointer batch overload.</summary>
    public static void MultiplyBatch(TensorType type, byte* weights, int rows, int cols, ReadOnlySpan<float> x, int count, Span<float> y,
        int rowStart, int rowEnd)
    {
        var rowBytes = Check(type, long.MaxValue, rows, cols, x.Length, count, y.Length, rowStart, rowEnd);
        ArgumentNullException.ThrowIfNull(weights);
        for (var r = rowStart; r < rowEnd; r++)
            type.DotMany(new ReadOnlySpan<byte>(weights + r * rowBytes, (int)rowBytes), cols, x, count, y[r..], rows);
    }

    /// <summary>Batched pointer overload taking the address as <see cref="nint"/>.</summary>
    public static void MultiplyBatch(TensorType type, nint weights, int rows, int cols, ReadOnlySpan<float> x, int count, Span<float> y) =>
        MultiplyBatch(type, (byte*)weights, rows, cols, x, count, y, 0, rows);

    /// <summary>Row-range form of the <see cref="nint"/> batch overload.</summary>
    public static void MultiplyBatch(TensorType type, nint weights, int rows, int cols, ReadOnlySpan<float> x, int count, Span<float> y,
        int rowStart, int rowEnd) =>
        MultiplyBatch(type, (byte*)weights, rows, cols, x, count, y, rowStart, rowEnd);

    /// <summary>Validates shapes and returns the bytes per row.</summary>
    private static long Check(TensorType type, long weightBytes, int rows, int cols, int xLength, int count, int yLength, int rowStart, int rowEnd)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (rowStart < 0 || rowEnd > rows || rowStart > rowEnd)
            throw new ArgumentOutOfRangeException(nameof(rowStart), $"Row range [{rowStart}, {rowEnd}) is outside [0, {rows}).");
        if (cols % type.BlockSize != 0)
            throw new ArgumentException($"{type.Name}: {cols} columns is not a multiple of the block size {type.BlockSize}.", nameof(cols));
        var rowBytes = type.RowBytes(cols);
        if (rowBytes > int.MaxValue)
            throw new ArgumentException($"{type.Name}: a row of {cols} columns is {rowBytes} bytes, over 2 GiB.", nameof(cols));
        if (weightBytes < rowBytes * rows)
            throw new ArgumentException($"{type.Name}: weights hold {weightBytes} bytes, {rowBytes * rows} needed for {rows} × {cols}.", "weights");
        if (xLength < (long)count * cols)
            throw new ArgumentException($"x holds {xLength} floats, {(long)count * cols} needed for {count} × {cols}.", "x");
        if (yLength < (long)count * rows)
            throw new ArgumentException($"y holds {yLength} floats, {(long)count * rows} needed for {count} × {rows}.", "y");
        return rowBytes;
    }
}
