using Mote.Numerics.Formats;

namespace Mote.Gguf;

/// <summary>
/// One tensor's entry in the GGUF tensor table. <see cref="Shape"/> is in ggml order: <c>Shape[0]</c> is the
/// innermost (contiguous) dimension, so a weight matrix of <c>rows × cols</c> has <c>Shape = [cols, rows]</c>.
/// <see cref="Offset"/> is relative to the start of the tensor data section. Entries read from a file are
/// validated (known type, whole blocks per row, sizes that fit in 64 bits); for entries built by hand the
/// computed sizes throw <see cref="OverflowException"/> rather than wrap.
/// </summary>
public sealed record GgufTensorInfo(string Name, GgmlType Type, long[] Shape, ulong Offset)
{
    /// <summary>Total number of elements.</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Shape)
                count = checked(count * dim);
            return count;
        }
    }

    /// <summary>Bytes of tensor data (rows of the innermost dimension, each a whole number of blocks).</summary>
    public long ByteSize => checked(GgmlTypeSizes.RowBytes(Type, Columns) * Rows);

    /// <summary>Length of the innermost dimension (a matrix's column count).</summary>
    public long Columns => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Number of rows: the product of every dimension except the innermost.</summary>
    public long Rows
    {
        get
        {
            long rows = 1;
            for (var d = 1; d < Shape.Length; d++)
                rows = checked(rows * Shape[d]);
            return Columns == 0 ? 0 : rows;
        }
    }
}
