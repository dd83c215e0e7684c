namespace Mote.Engine.Runtime;

/// <summary>
/// Keys and values of every past position of one session, allocated once.
/// Layout of each: (n_layer, n_ctx, n_head_kv · head_dim), so the rows of consecutive positions are contiguous.
/// </summary>
public sealed class KvCache
{
    public KvCache(int layers, int contextLength, int rowLength)
    {
        LayerCount = layers;
        ContextLength = contextLength;
        RowLength = rowLength;
        var size = (long)layers * contextLength * rowLength;
        if (size > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(contextLength),
                $"A KV cache of {layers} layers × {contextLength} tokens × {rowLength} floats is too large; use a smaller context.");
        Keys = GC.AllocateUninitializedArray<float>((int)size, pinned: true);
        Values = GC.AllocateUninitializedArray<float>((int)size, pinned: true);
    }

    public int LayerCount { get; }

    public int ContextLength { get; }

    /// <summary>Floats per position and layer (n_head_kv · head_dim).</summary>
    public int RowLength { get; }

    /// <summary>All keys. (n_layer, n_ctx, row)</summary>
    public float[] Keys { get; }

    /// <summary>All values. (n_layer, n_ctx, row)</summary>
    public float[] Values { get; }

    /// <summary>Bytes held by keys and values together.</summary>
    public long ByteSize => 2L * Keys.Length * sizeof(float);

    /// <summary>Index of the first float of a layer's row at a position.</summary>
    public int Offset(int layer, int position) => (layer * ContextLength + position) * RowLength;
}
