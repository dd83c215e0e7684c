using System.Numerics.Tensors;

namespace Mote.Engine.Runtime;

/// <summary>
/// Keys and values of every past position of one sequence, allocated once, as f32 or f16
/// (<see cref="KvCacheType"/>). Layout of each: (n_layer, n_ctx, n_head_kv · head_dim), so the rows of consecutive
/// positions are contiguous.
/// </summary>
public sealed class KvCache
{
    // Exactly one pair is allocated, by Type.
    private readonly float[]? _keys32, _values32;
    private readonly Half[]? _keys16, _values16;

    public KvCache(int layers, int contextLength, int rowLength, KvCacheType type = KvCacheType.F32)
    {
        LayerCount = layers;
        ContextLength = contextLength;
        RowLength = rowLength;
        Type = type;
        var size = (long)layers * contextLength * rowLength;
        if (size > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(contextLength),
                $"A KV cache of {layers} layers × {contextLength} tokens × {rowLength} values is too large; use a smaller context.");
        if (type == KvCacheType.F16)
        {
            _keys16 = GC.AllocateUninitializedArray<Half>((int)size, pinned: true);
            _values16 = GC.AllocateUninitializedArray<Half>((int)size, pinned: true);
        }
        else
        {
            _keys32 = GC.AllocateUninitializedArray<float>((int)size, pinned: true);
            _values32 = GC.AllocateUninitializedArray<float>((int)size, pinned: true);
        }
    }

    public int LayerCount { get; }

    public int ContextLength { get; }

    /// <summary>Values per position and layer (n_head_kv · head_dim).</summary>
    public int RowLength { get; }

    public KvCacheType Type { get; }

    /// <summary>Bytes held by keys and values together.</summary>
    public long ByteSize => 2L * LayerCount * ContextLength * RowLength * (Type == KvCacheType.F16 ? 2 : 4);

    /// <summary>Index of the first value of a layer's row at a position.</summary>
    public int Offset(int layer, int position) => (layer * ContextLength + position) * RowLength;

    /// <summary>Stores one position's key and value rows of a layer (rounded to f16 for an f16 cache).</summary>
    public void Write(int layer, int position, ReadOnlySpan<float> key, ReadOnlySpan<float> value)
    {
        var offset = Offset(layer, position);
        if (Type == KvCacheType.F16)
        {
            TensorPrimitives.ConvertToHalf(key, _keys16.AsSpan(offset, RowLength));
            TensorPrimitives.ConvertToHalf(value, _values16.AsSpan(offset, RowLength));
        }
        else
        {
            key.CopyTo(_keys32.AsSpan(offset, RowLength));
            value.CopyTo(_values32.AsSpan(offset, RowLength));
        }
    }

    /// <summary>The f32 keys of a layer's first <paramref name="positions"/> positions (an f32 cache only).</summary>
    public ReadOnlySpan<float> KeysF32(int layer, int positions) => _keys32.AsSpan(Offset(layer, 0), positions * RowLength);

    /// <summary>The f32 values of a layer's first <paramref name="positions"/> positions (an f32 cache only).</summary>
    public ReadOnlySpan<float> ValuesF32(int layer, int positions) => _values32.AsSpan(Offset(layer, 0), positions * RowLength);

    /// <summary>The f16 keys of a layer's first <paramref name="positions"/> positions (an f16 cache only).</summary>
    public ReadOnlySpan<Half> KeysF16(int layer, int positions) => _keys16.AsSpan(Offset(layer, 0), positions * RowLength);

    /// <summary>The f16 values of a layer's first <paramref name="positions"/> positions (an f16 cache only).</summary>
    public ReadOnlySpan<Half> ValuesF16(int layer, int positions) => _values16.AsSpan(Offset(layer, 0), positions * RowLength);

    /// <summary>Copies the first <paramref name="positions"/> positions of every layer from a cache of the same shape and type.</summary>
    public void CopyPrefixFrom(KvCache source, int positions)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Type != Type || source.RowLength != RowLength || source.LayerCount != LayerCount)
            throw new ArgumentException("The source cache has another type or shape.", nameof(source));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(positions, Math.Min(source.ContextLength, ContextLength));
        var count = positions * RowLength;
        for (var layer = 0; layer < LayerCount; layer++)
        {
            int from = source.Offset(layer, 0), to = Offset(layer, 0);
            if (Type == KvCacheType.F16)
            {
                Array.Copy(source._keys16!, from, _keys16!, to, count);
                Array.Copy(source._values16!, from, _values16!, to, count);
            }
            else
            {
                Array.Copy(source._keys32!, from, _keys32!, to, count);
                Array.Copy(source._values32!, from, _values32!, to, count);
            }
        }
    }
}
