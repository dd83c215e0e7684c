using System.Buffers.Binary;

namespace Mote.Gguf.Tests;

internal enum GgufFieldKind
{
    TensorCount,
    KvCount,
    StringLength,
    ValueType,
    ArrayElementType,
    ArrayCount,
    AlignmentValue,
    DimensionCount,
    Dimension,
    TensorType,
    TensorOffset,
}

/// <summary>One field of a GGUF image: what it is and where its bytes start.</summary>
internal readonly record struct GgufField(GgufFieldKind Kind, int Offset);

/// <summary>
/// A minimal, independent walk over a valid GGUF image that records where every structural field lies, so
/// corruption tests can aim at counts, lengths, type tags, shapes and offsets.
/// </summary>
internal sealed class GgufFieldMap
{
    private readonly byte[] _image;
    private int _position;

    private GgufFieldMap(byte[] image) => _image = image;

    public List<GgufField> Fields { get; } = [];

    /// <summary>End of the tensor table.</summary>
    public int HeaderLength { get; private set; }

    public static GgufFieldMap Of(byte[] image)
    {
        var map = new GgufFieldMap(image);
        map.Walk();
        return map;
    }

    private void Walk()
    {
        _position = 8;
        var tensorCount = U64(GgufFieldKind.TensorCount);
        var kvCount = U64(GgufFieldKind.KvCount);
        for (ulong i = 0; i < kvCount; i++)
        {
            var key = Str();
            var type = U32(GgufFieldKind.ValueType);
            if (key == "general.alignment")
                Fields.Add(new(GgufFieldKind.AlignmentValue, _position));
            Value(type);
        }
        for (ulong i = 0; i < tensorCount; i++)
        {
            Str();
            var dims = U32(GgufFieldKind.DimensionCount);
            for (var d = 0; d < dims; d++)
                U64(GgufFieldKind.Dimension);
            U32(GgufFieldKind.TensorType);
            U64(GgufFieldKind.TensorOffset);
        }
        HeaderLength = _position;
    }

    private void Value(uint type)
    {
        switch ((GgufValueType)type)
        {
            case GgufValueType.String:
                Str();
                break;
            case GgufValueType.Array:
                ArrayBody();
                break;
            default:
                _position += (GgufValueType)type switch
                {
                    GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
                    GgufValueType.UInt16 or GgufValueType.Int16 => 2,
                    GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
                    _ => 8,
                };
                break;
        }
    }

    private void ArrayBody()
    {
        var elementType = U32(GgufFieldKind.ArrayElementType);
        var count = U64(GgufFieldKind.ArrayCount);
        for (ulong i = 0; i < count; i++)
        {
            if (elementType == (uint)GgufValueType.Array)
                ArrayBody();
            else
                Value(elementType);
        }
    }

    private string Str()
    {
        var length = (int)U64(GgufFieldKind.StringLength);
        var text = System.Text.Encoding.UTF8.GetString(_image, _position, length);
        _position += length;
        return text;
    }

    private uint U32(GgufFieldKind kind)
    {
        Fields.Add(new(kind, _position));
        var value = BinaryPrimitives.ReadUInt32LittleEndian(_image.AsSpan(_position));
        _position += 4;
        return value;
    }

    private ulong U64(GgufFieldKind kind)
    {
        Fields.Add(new(kind, _position));
        var value = BinaryPrimitives.ReadUInt64LittleEndian(_image.AsSpan(_position));
        _position += 8;
        return value;
    }
}
