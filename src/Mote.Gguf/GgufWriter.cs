using Mote.Numerics.Formats;

namespace Mote.Gguf;

/// <summary>
/// Writes a GGUF file (v3 by default, v2 on request) from metadata and a list of tensors, laid out exactly as
/// llama.cpp's gguf-py and ggml do: tensor data in the order tensors were added, each tensor starting at a
/// multiple of <c>general.alignment</c> (32 when absent) and followed by zero padding up to the next multiple —
/// the last one included. Rewriting a file those tools produced therefore gives identical bytes.
/// </summary>
/// <remarks>
/// Tensor bytes come from memory or from a callback that streams them, so a quantizer never has to hold every
/// tensor at once; only the header is buffered. Offsets are computed from types and shapes before anything is
/// written, so the destination stream need not be seekable.
/// <code>
/// var writer = new GgufWriter(metadata);
/// writer.AddTensor("token_embd.weight", GgmlType.Q8_0, [64, 512], stream => quantizer.WriteRows(stream));
/// writer.Write("model-q8_0.gguf");
/// </code>
/// </remarks>
public sealed class GgufWriter
{
    /// <summary>Longest tensor name ggml accepts, in UTF-8 bytes (<c>GGML_MAX_NAME - 1</c>).</summary>
    public const int MaxTensorNameBytes = 63;

    private readonly List<GgufTensorSource> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Creates a writer for <paramref name="metadata"/>, which is written as it is when <see cref="Write(Stream)"/> runs.</summary>
    /// <param name="metadata">Key/value metadata, written in its entry order.</param>
    /// <param name="version">GGUF version to write: 3 (current) or 2 (same layout, older readers).</param>
    public GgufWriter(GgufMetadata metadata, uint version = 3)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (version is not (2 or 3))
            throw new ArgumentOutOfRangeException(nameof(version), version, "Only GGUF versions 2 and 3 can be written.");
        Metadata = metadata;
        Version = version;
    }

    /// <summary>The metadata to write.</summary>
    public GgufMetadata Metadata { get; }

    /// <summary>The GGUF version written.</summary>
    public uint Version { get; }

    /// <summary>
    /// Whether a file without tensors still gets zero padding after its header up to the alignment. ggml and
    /// gguf-py's tensor writer always pad; gguf-py's vocabulary-only path (<c>write_header_to_file</c> +
    /// <c>write_kv_data_to_file</c>) stops right after the metadata. Files with tensors are always padded.
    /// </summary>
    public bool PadEmptyDataSection { get; set; } = true;

    /// <summary>Number of tensors added so far.</summary>
    public int TensorCount => _tensors.Count;

    /// <summary>Adds a tensor whose bytes are already in memory.</summary>
    /// <param name="name">Unique tensor name, at most <see cref="MaxTensorNameBytes"/> UTF-8 bytes.</param>
    /// <param name="type">Storage type.</param>
    /// <param name="shape">Dimensions in ggml order (<c>shape[0]</c> is the contiguous one), at most 4.</param>
    /// <param name="data">Exactly the tensor's bytes; must stay unchanged until the file is written.</param>
    public void AddTensor(string name, GgmlType type, long[] shape, ReadOnlyMemory<byte> data)
    {
        var size = Validate(name, type, shape);
        if (data.Length != size)
            throw new ArgumentException($"Tensor '{name}' ({type}, [{string.Join(", ", shape)}]) takes {size} bytes, but {data.Length} were given.", nameof(data));
        Add(new GgufTensorSource(name, type, (long[])shape.Clone(), size, data, null));
    }

    /// <summary>
    /// Adds a tensor whose bytes a callback writes when the file is written, in as many calls to
    /// <see cref="Stream.Write(ReadOnlySpan{byte})"/> as it likes; it must write exactly the tensor's size.
    /// </summary>
    public void AddTensor(string name, GgmlType type, long[] shape, Action<Stream> writeData)
    {
        ArgumentNullException.ThrowIfNull(writeData);
        var size = Validate(name, type, shape);
        Add(new GgufTensorSource(name, type, (long[])shape.Clone(), size, default, writeData));
    }

    /// <summary>
    /// A writer that reproduces <paramref name="file"/>: a copy of its metadata (which the caller may edit),
    /// its version and its tensors, whose bytes are copied verbatim from the mapping when written. The file
    /// must stay open until then.
    /// </summary>
    public static GgufWriter FromFile(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var metadata = new GgufMetadata();
        foreach (var (key, value) in file.Metadata.Entries)
            metadata.Set(key, value);
        var writer = new GgufWriter(metadata, file.Version)
        {
            // A vocabulary-only file that ends right after its metadata was written without the padding.
            PadEmptyDataSection = file.Tensors.Count > 0 || file.FileLength >= file.DataOffset,
        };
        foreach (var tensor in file.Tensors)
        {
            var source = tensor;
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Shape, stream => file.CopyTensorData(source, stream));
        }
        return writer;
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> through a temporary file in the same folder that replaces
    /// the destination only once complete, so a failure never leaves a half-written model behind.
    /// </summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Write(stream);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Writes the file to <paramref name="destination"/> (which need not be seekable), then flushes it.</summary>
    public void Write(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var alignment = ReadAlignment();
        var output = new GgufBinaryWriter(destination);

        output.WriteUInt32(GgufLayout.Magic);
        output.WriteUInt32(Version);
        output.WriteUInt64((ulong)_tensors.Count);
        output.WriteUInt64((ulong)Metadata.Count);
        foreach (var (key, value) in Metadata.Entries)
        {
            output.WriteString(key);
            output.WriteValue(value);
        }

        long offset = 0;
        foreach (var tensor in _tensors)
        {
            output.WriteString(tensor.Name);
            output.WriteUInt32((uint)tensor.Shape.Length);
            foreach (var dim in tensor.Shape)
                output.WriteUInt64((ulong)dim);
            output.WriteUInt32((uint)tensor.Type);
            output.WriteUInt64((ulong)offset);
            offset += GgufLayout.AlignUp(tensor.ByteSize, alignment);
        }

        if (_tensors.Count > 0 || PadEmptyDataSection)
            output.WriteZeros(GgufLayout.AlignUp(output.Position, alignment) - output.Position);

        foreach (var tensor in _tensors)
        {
            WriteTensorData(output, tensor);
            output.WriteZeros(GgufLayout.AlignUp(tensor.ByteSize, alignment) - tensor.ByteSize);
        }
        output.Flush();
        destination.Flush();
    }

    private static void WriteTensorData(GgufBinaryWriter output, GgufTensorSource tensor)
    {
        if (tensor.WriteData is null)
        {
            output.WriteBytes(tensor.Data.Span);
            return;
        }
        output.Flush();
        var data = new TensorDataStream(output.Stream, tensor.Name, tensor.ByteSize);
        tensor.WriteData(data);
        if (data.Written != tensor.ByteSize)
            throw new InvalidOperationException($"Tensor '{tensor.Name}': the data callback wrote {data.Written} of its {tensor.ByteSize} bytes.");
        output.Advance(data.Written);
    }

    private int ReadAlignment()
    {
        if (!Metadata.TryGetValue(GgufLayout.AlignmentKey, out var value))
            return GgufLayout.DefaultAlignment;
        if (value.Type != GgufValueType.UInt32)
            throw new InvalidOperationException($"Metadata '{GgufLayout.AlignmentKey}' must be a uint32 (readers reject other types), not {value.Type}.");
        var problem = GgufLayout.CheckAlignment((uint)value.Value);
        return problem is null
            ? (int)(uint)value.Value
            : throw new InvalidOperationException($"Metadata '{GgufLayout.AlignmentKey}' {problem}.");
    }

    private long Validate(string name, GgmlType type, long[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (GgufStrings.GetByteCount(name) > MaxTensorNameBytes)
            throw new ArgumentException($"Tensor name '{name}' is longer than {MaxTensorNameBytes} UTF-8 bytes.", nameof(name));
        if (_names.Contains(name))
            throw new ArgumentException($"A tensor named '{name}' was already added.", nameof(name));
        var problem = GgufLayout.TryComputeByteSize(type, shape, out var size, out _);
        return problem is null ? size : throw new ArgumentException($"Tensor '{name}': {problem}.", nameof(shape));
    }

    private void Add(GgufTensorSource tensor)
    {
        _names.Add(tensor.Name);
        _tensors.Add(tensor);
    }
}
