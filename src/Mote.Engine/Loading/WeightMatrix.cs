using Mote.Numerics.Formats;

namespace Mote.Engine.Loading;

/// <summary>
/// A weight matrix of <see cref="Rows"/> × <see cref="Columns"/> stored row-major in its GGUF type, viewed
/// directly in the memory-mapped file (never copied). Row r holds the weights producing output r.
/// </summary>
public sealed unsafe class WeightMatrix
{
    internal WeightMatrix(string name, TensorType type, int rows, int columns, byte* data)
    {
        Name = name;
        Type = type;
        Rows = rows;
        Columns = columns;
        RowBytes = (int)type.RowBytes(columns);
        Data = data;
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

    /// <summary>First byte of the mapped tensor data; valid while the owning <see cref="Model"/> lives.</summary>
    public byte* Data { get; }

    /// <summary>Total bytes of this matrix.</summary>
    public long ByteSize => (long)RowBytes * Rows;

    /// <summary>The stored bytes of one row.</summary>
    public ReadOnlySpan<byte> Row(int row) => new(Data + (long)row * RowBytes, RowBytes);

    /// <summary>Expands one row to floats (used for embedding look-up).</summary>
    public void DequantizeRow(int row, Span<float> destination) => Type.Dequantize(Row(row), destination[..Columns]);
}
