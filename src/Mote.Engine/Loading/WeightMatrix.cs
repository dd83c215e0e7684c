using Mote.Numerics.Formats;
using Mote.Numerics.Kernels;
using Mote.Numerics.Kernels.Quantized;

namespace Mote.Engine.Loading;

/// <summary>
/// A weight matrix of <see cref="Rows"/> × <see cref="Columns"/> in its GGUF type: row-major, viewed directly in the
/// memory-mapped file, or interleaved into panels at load for the CPU's kernels (<see cref="Layout"/>). Row r holds
/// the weights producing output r.
/// </summary>
public sealed unsafe class WeightMatrix
{
    internal WeightMatrix(string name, TensorType type, int rows, int columns, byte* data, WeightLayout layout = WeightLayout.RowMajor)
    {
        Name = name;
        Type = type;
        Rows = rows;
        Columns = columns;
        RowBytes = (int)type.RowBytes(columns);
        Data = data;
        Layout = layout;
    }

    /// <summary>The GGUF tensor name, e.g. <c>blk.0.attn_q.weight</c>.</summary>
    public string Name { get; }

    public TensorType Type { get; }

    /// <summary>Output width.</summary>
    public int Rows { get; }

    /// <summary>Input width.</summary>
    public int Columns { get; }

    /// <summary>Bytes per stored row.</summary>
    public int RowBytes { get; }

    /// <summary>First byte of the tensor data; valid while the owning <see cref="Model"/> lives.</summary>
    public byte* Data { get; }

    /// <summary>How the blocks are arranged: as in the file, or in panels of eight rows.</summary>
    public WeightLayout Layout { get; }

    /// <summary>Total bytes of this matrix.</summary>
    public long ByteSize => (long)RowBytes * Rows;

    /// <summary>The stored bytes of one row (row-major matrices; a panel row is spread over its panel).</summary>
    public ReadOnlySpan<byte> Row(int row)
    {
        if (Layout != WeightLayout.RowMajor)
            throw new InvalidOperationException($"{Name}: row {row} is interleaved with seven others ({Layout}).");
        return new(Data + (long)row * RowBytes, RowBytes);
    }

    /// <summary>Expands one row to floats (used for embedding look-up).</summary>
    public void DequantizeRow(int row, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        if (Layout == WeightLayout.RowMajor)
        {
            Type.Dequantize(Row(row), destination[..Columns]);
            return;
        }
        Span<byte> bytes = RowBytes <= 16 << 10 ? stackalloc byte[RowBytes] : new byte[RowBytes];
        WeightPanels.ExtractRow(Type, Data, Columns, row, bytes);
        Type.Dequantize(bytes, destination[..Columns]);
    }
}
