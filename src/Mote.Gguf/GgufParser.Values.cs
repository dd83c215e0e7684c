using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mote.Gguf;

/// <summary>Reading metadata values and the primitive fields they are made of.</summary>
internal sealed unsafe partial class GgufParser
{
    private const int MaxArrayNesting = 8;

    // A string's UTF-16 form must fit in a .NET string (about 2^30 chars); no real metadata string comes close.
    private const long MaxStringBytes = 256L << 20;

    // A scalar array is copied through one span, so its bytes must fit in an int.
    private const long MaxScalarArrayBytes = int.MaxValue;

    private GgufValue ReadValue(string field)
    {
        var typeOffset = _position;
        var rawType = ReadUInt32(field + ".type");
        if (rawType > (uint)GgufValueType.Float64)
            throw Error(field + ".type", typeOffset, $"unknown value type {rawType}");
        var type = (GgufValueType)rawType;
        return type switch
        {
            GgufValueType.Array => ReadArray(field, depth: 0),
            GgufValueType.String => GgufValue.Scalar(type, ReadString(field)),
            _ => GgufValue.Scalar(type, ReadScalar(type, field)),
        };
    }

    // An array is (u32 element_type, u64 count, elements); an element of an array of arrays is itself
    // (element_type, count, elements), without a type tag of its own.
    private GgufValue ReadArray(GgufFieldName field, int depth)
    {
        var typeOffset = _position;
        if (depth >= MaxArrayNesting)
            throw Error(field, typeOffset, $"arrays nested deeper than {MaxArrayNesting}");
        var rawType = ReadUInt32(field.With(".element_type"));
        if (rawType > (uint)GgufValueType.Float64)
            throw Error(field.With(".element_type"), typeOffset, $"unknown array element type {rawType}");
        var elementType = (GgufValueType)rawType;
        var minBytes = elementType switch
        {
            GgufValueType.String => 8,
            GgufValueType.Array => 12,
            _ => ScalarSize(elementType),
        };
        var count = ReadCount(field.With(".count"), minBytes);
        var name = count > 0 && elementType is GgufValueType.Array or GgufValueType.String ? field.ToString() : "";

        switch (elementType)
        {
            case GgufValueType.Array:
                var nested = count == 0 ? [] : new GgufValue[count];
                for (var i = 0; i < count; i++)
                    nested[i] = ReadArray(new GgufFieldName(name, i), depth + 1);
                return GgufValue.Array(elementType, nested);
            case GgufValueType.String:
                return GgufValue.Strings(ReadStrings(name, count));
            default:
                return GgufValue.Array(elementType, ReadScalarArray(elementType, count, field));
        }
    }

    // Two passes: the lengths first (each checked against the file), so the bytes are copied into one buffer.
    private GgufStringArray ReadStrings(string name, int count)
    {
        var start = _position;
        long total = 0;
        for (var i = 0; i < count; i++)
            total += ReadStringBytes(new GgufFieldName(name, i), out _).Length;
        if (total > Array.MaxLength)
            throw Error(name, start, $"{count} strings of {total} bytes in all are more than an array can hold");
        _position = start;
        var builder = new GgufStringArray.Builder(count, total);
        for (var i = 0; i < count; i++)
            builder.Add(ReadStringBytes(new GgufFieldName(name, i), out _));
        return builder.Build();
    }

    private Array ReadScalarArray(GgufValueType type, int count, GgufFieldName field)
    {
        var byteCount = (long)count * ScalarSize(type);
        if (byteCount > MaxScalarArrayBytes)
            throw Error(field.With(".count"), _position - 8, $"an array of {count} {type} values ({byteCount} bytes) is too large");
        Need(byteCount, field);
        var bytes = new ReadOnlySpan<byte>(_base + _position, (int)byteCount);
        Array result = type switch
        {
            GgufValueType.UInt8 => bytes.ToArray(),
            GgufValueType.Int8 => CopyAs<sbyte>(bytes),
            GgufValueType.UInt16 => CopyAs<ushort>(bytes),
            GgufValueType.Int16 => CopyAs<short>(bytes),
            GgufValueType.UInt32 => CopyAs<uint>(bytes),
            GgufValueType.Int32 => CopyAs<int>(bytes),
            GgufValueType.Float32 => CopyAs<float>(bytes),
            GgufValueType.UInt64 => CopyAs<ulong>(bytes),
            GgufValueType.Int64 => CopyAs<long>(bytes),
            GgufValueType.Float64 => CopyAs<double>(bytes),
            GgufValueType.Bool => ReadBools(bytes, field),
            _ => throw Error(field, _position, $"unexpected element type {type}"),
        };
        _position += byteCount;
        return result;
    }

    private bool[] ReadBools(ReadOnlySpan<byte> bytes, GgufFieldName field)
    {
        var result = new bool[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] > 1)
                throw Error(new GgufFieldName(field.ToString(), i), _position + i, $"a bool must be 0 or 1, found {bytes[i]}");
            result[i] = bytes[i] != 0;
        }
        return result;
    }

    private static T[] CopyAs<T>(ReadOnlySpan<byte> bytes) where T : unmanaged => MemoryMarshal.Cast<byte, T>(bytes).ToArray();

    private object ReadScalar(GgufValueType type, GgufFieldName field)
    {
        var offset = _position;
        var size = ScalarSize(type);
        Need(size, field);
        var p = _base + _position;
        object value = type switch
        {
            GgufValueType.UInt8 => *p,
            GgufValueType.Int8 => *(sbyte*)p,
            GgufValueType.UInt16 => Unsafe.ReadUnaligned<ushort>(p),
            GgufValueType.Int16 => Unsafe.ReadUnaligned<short>(p),
            GgufValueType.UInt32 => Unsafe.ReadUnaligned<uint>(p),
            GgufValueType.Int32 => Unsafe.ReadUnaligned<int>(p),
            GgufValueType.Float32 => Unsafe.ReadUnaligned<float>(p),
            GgufValueType.UInt64 => Unsafe.ReadUnaligned<ulong>(p),
            GgufValueType.Int64 => Unsafe.ReadUnaligned<long>(p),
            GgufValueType.Float64 => Unsafe.ReadUnaligned<double>(p),
            GgufValueType.Bool => *p <= 1 ? *p != 0 : throw Error(field, offset, $"a bool must be 0 or 1, found {*p}"),
            _ => throw Error(field, offset, $"unexpected type {type}"),
        };
        _position += size;
        return value;
    }

    /// <summary>Bytes of one scalar value (for strings, of the length prefix).</summary>
    internal static int ScalarSize(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 or GgufValueType.String => 8,
        _ => 0,
    };

    /// <summary>A key or tensor name: must be valid UTF-8.</summary>
    private string ReadName(string field)
    {
        var bytes = ReadStringBytes(field, out var start);
        if (!GgufStrings.IsValid(bytes))
            throw Error(field, start, "not valid UTF-8");
        return GgufStrings.Decode(bytes);
    }

    /// <summary>A string value; invalid UTF-8 is kept losslessly (see <see cref="GgufStrings"/>).</summary>
    private string ReadString(GgufFieldName field) => GgufStrings.Decode(ReadStringBytes(field, out _));

    private ReadOnlySpan<byte> ReadStringBytes(GgufFieldName field, out long start)
    {
        var lengthOffset = _position;
        var length = ReadUInt64(field.With(".length"));
        start = _position;
        if (length > (ulong)(_length - _position))
            throw Error(field.With(".length"), lengthOffset, $"string length {length} exceeds the {_length - _position} bytes left in the file");
        if ((long)length > MaxStringBytes)
            throw Error(field.With(".length"), lengthOffset, $"string length {length} is over the {MaxStringBytes}-byte limit");
        var bytes = new ReadOnlySpan<byte>(_base + _position, (int)length);
        _position += (long)length;
        return bytes;
    }

    /// <summary>
    /// Reads a u64 element count and rejects it unless that many elements of at least
    /// <paramref name="minBytesEach"/> bytes fit in the rest of the file and in a .NET array.
    /// </summary>
    private int ReadCount(GgufFieldName field, int minBytesEach)
    {
        var offset = _position;
        var count = ReadUInt64(field);
        var remaining = (ulong)(_length - _position);
        if (minBytesEach > 0 && count > remaining / (ulong)minBytesEach)
            throw Error(field, offset, $"count {count} is impossible: only {remaining} bytes remain in the file");
        if (count > (ulong)Array.MaxLength)
            throw Error(field, offset, $"count {count} is more than an array can hold");
        return (int)count;
    }

    private uint ReadUInt32(GgufFieldName field)
    {
        Need(4, field);
        var value = Unsafe.ReadUnaligned<uint>(_base + _position);
        _position += 4;
        return value;
    }

    private ulong ReadUInt64(GgufFieldName field)
    {
        Need(8, field);
        var value = Unsafe.ReadUnaligned<ulong>(_base + _position);
        _position += 8;
        return value;
    }

    private void Need(long bytes, GgufFieldName field)
    {
        if (_length - _position < bytes)
            throw Error(field, _position, $"the file is truncated: needs {bytes} bytes, {_length - _position} remain");
    }
}
