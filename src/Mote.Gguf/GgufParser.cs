using Mote.Numerics.Formats;

namespace Mote.Gguf;

/// <summary>What the parser extracts from a file's header section.</summary>
/// <param name="HeaderLength">Bytes of header, metadata and tensor table, before the padding to the data section.</param>
internal sealed record GgufHeader(
    uint Version, GgufMetadata Metadata, IReadOnlyList<GgufTensorInfo> Tensors, int Alignment, long HeaderLength, long DataOffset);

/// <summary>
/// Parses the header of a GGUF image in memory, checking everything against the image length so that any
/// corruption surfaces as a <see cref="GgufFormatException"/> naming the field and offset — never an
/// out-of-range read, an overflow, or an allocation larger than the file can justify.
/// </summary>
/// <remarks>
/// Versions 2 and 3 share one layout (v3 only added big-endian files, which are refused here); v1 used 32-bit
/// counts and is refused. Every count is checked against the bytes left before anything is allocated, so the
/// memory a file can make the parser allocate is proportional to the file's size.
/// </remarks>
internal sealed unsafe partial class GgufParser
{
    private const int TensorInfoMinBytes = 8 + 4 + 4 + 8; // name length, n_dims, type, offset
    private const int KeyValueMinBytes = 8 + 4 + 1;       // key length, value type, smallest value

    private readonly string _path;
    private readonly byte* _base;
    private readonly long _length;
    private long _position;

    private GgufParser(string path, byte* basePointer, long length)
    {
        _path = path;
        _base = basePointer;
        _length = length;
    }

    public static GgufHeader Parse(string path, byte* basePointer, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new GgufParser(path, basePointer, length).ParseHeader();
    }

    private GgufHeader ParseHeader()
    {
        var magic = ReadUInt32("magic");
        if (magic != GgufLayout.Magic)
            throw Error("magic", 0, $"expected \"GGUF\" (0x{GgufLayout.Magic:X8}), found 0x{magic:X8}");

        var version = ReadUInt32("version");
        if (version is not (2 or 3))
            throw Error("version", 4, DescribeBadVersion(version));

        var tensorCount = ReadCount("tensor_count", TensorInfoMinBytes);
        var kvCount = ReadCount("metadata_kv_count", KeyValueMinBytes);

        var metadata = new GgufMetadata();
        var alignment = GgufLayout.DefaultAlignment;
        for (var i = 0; i < kvCount; i++)
        {
            var keyOffset = _position;
            var key = ReadName($"kv[{i}].key");
            var valueOffset = _position;
            var value = ReadValue($"kv[{key}]");
            if (!metadata.TryAdd(key, value))
                throw Error($"kv[{i}].key", keyOffset, $"duplicate key '{key}'");
            if (key == GgufLayout.AlignmentKey)
                alignment = CheckAlignment(value, valueOffset);
        }

        var tensors = new List<GgufTensorInfo>(Math.Min(tensorCount, 4096));
        var offsetFields = new long[tensorCount]; // where each tensor's offset field is, for error messages
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tensorCount; i++)
        {
            var nameOffset = _position;
            var tensor = ReadTensorInfo(i, alignment, out offsetFields[i]);
            if (!names.Add(tensor.Name))
                throw Error($"tensor_infos[{i}].name", nameOffset, $"duplicate tensor name '{tensor.Name}'");
            tensors.Add(tensor);
        }

        var headerLength = _position;
        var dataOffset = GgufLayout.AlignUp(headerLength, alignment);
        if (tensorCount > 0 && dataOffset > _length)
            throw Error("tensor_data", headerLength, $"the file ends at {_length}, before tensor data starts at {dataOffset}");
        CheckTensorData(tensors, offsetFields, dataOffset);
        return new GgufHeader(version, metadata, tensors, alignment, headerLength, dataOffset);
    }

    private static string DescribeBadVersion(uint version)
    {
        if (version == 1)
            return "GGUF v1 is not supported (re-convert the model)";
        var swapped = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(version);
        return swapped is 2 or 3
            ? $"this is a big-endian GGUF v{swapped} file; only little-endian files are supported"
            : $"unsupported version {version}";
    }

    private int CheckAlignment(GgufValue value, long valueOffset)
    {
        // ggml accepts general.alignment only as a u32 power of two.
        if (value.Type != GgufValueType.UInt32)
            throw Error($"kv[{GgufLayout.AlignmentKey}]", valueOffset, $"must be a uint32, found {value.Type}");
        var alignment = (uint)value.Value;
        var problem = GgufLayout.CheckAlignment(alignment);
        if (problem is not null)
            throw Error($"kv[{GgufLayout.AlignmentKey}]", valueOffset + 4, problem);
        return (int)alignment;
    }

    private GgufTensorInfo ReadTensorInfo(int index, int alignment, out long offsetField)
    {
        var name = ReadName($"tensor_infos[{index}].name");
        if (name.Length == 0)
            throw Error($"tensor_infos[{index}].name", _position - 8, "empty tensor name");
        var field = $"tensor_infos[{index}:{name}]";

        var dimsOffset = _position;
        var dimensionCount = ReadUInt32(field + ".n_dims");
        if (dimensionCount > GgufLayout.MaxDimensions)
            throw Error(field + ".n_dims", dimsOffset, $"{dimensionCount} dimensions (at most {GgufLayout.MaxDimensions})");

        var shape = new long[dimensionCount];
        for (var d = 0; d < shape.Length; d++)
        {
            var dim = ReadUInt64($"{field}.dims[{d}]");
            if (dim > long.MaxValue)
                throw Error($"{field}.dims[{d}]", _position - 8, $"dimension {dim} is too large");
            shape[d] = (long)dim;
        }

        var typeOffset = _position;
        var rawType = ReadUInt32(field + ".type");
        var type = (GgmlType)rawType;
        var problem = GgufLayout.TryComputeByteSize(type, shape, out _, out var badDimension);
        if (problem is not null)
        {
            var (badField, badOffset) = badDimension < 0
                ? (field + ".type", typeOffset)
                : ($"{field}.dims[{badDimension}]", dimsOffset + 4 + 8L * badDimension);
            throw Error(badField, badOffset, problem);
        }

        offsetField = _position;
        var offset = ReadUInt64(field + ".offset");
        if (offset > long.MaxValue)
            throw Error(field + ".offset", offsetField, $"offset {offset} is out of range");
        if (offset % (ulong)alignment != 0)
            throw Error(field + ".offset", offsetField, $"offset {offset} is not a multiple of the alignment {alignment}");
        return new GgufTensorInfo(name, type, shape, offset);
    }

    private void CheckTensorData(List<GgufTensorInfo> tensors, long[] offsetFields, long dataOffset)
    {
        var dataLength = (ulong)Math.Max(0, _length - dataOffset);
        var order = new int[tensors.Count];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        Array.Sort(order, (a, b) => tensors[a].Offset.CompareTo(tensors[b].Offset));

        ulong previousEnd = 0;
        string? previousName = null;
        foreach (var i in order)
        {
            var tensor = tensors[i];
            var field = $"tensor_infos[{i}:{tensor.Name}].offset";
            var size = (ulong)tensor.ByteSize; // validated: fits in a long
            var end = tensor.Offset + size;   // both below 2^63, so no wrap-around
            if (end > dataLength)
                throw Error(field, offsetFields[i], $"data [{tensor.Offset}, {end}) lies outside the {dataLength} bytes of tensor data");
            if (size == 0)
                continue;
            if (previousName is not null && tensor.Offset < previousEnd)
                throw Error(field, offsetFields[i], $"data [{tensor.Offset}, {end}) overlaps tensor '{previousName}', which ends at {previousEnd}");
            previousEnd = end;
            previousName = tensor.Name;
        }
    }

    private GgufFormatException Error(GgufFieldName field, long offset, string problem) => new(_path, field.ToString(), offset, problem);
}
