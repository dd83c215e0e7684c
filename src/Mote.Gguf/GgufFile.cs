using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Mote.Numerics.Formats;

namespace Mote.Gguf;

/// <summary>
/// A GGUF file opened read-only and memory-mapped. Parsing checks every count, length, offset, type and shape
/// against the file and reports problems as <see cref="GgufFormatException"/>. Tensor data is never copied:
/// <see cref="GetTensorData"/> hands out views of the mapping, which any number of inference sessions share.
/// </summary>
/// <remarks>
/// Layout (little-endian), per the GGUF specification:
/// <code>
/// u32 magic "GGUF" | u32 version (2 or 3) | u64 tensor_count | u64 kv_count
/// kv_count × { string key | u32 value_type | value }
/// tensor_count × { string name | u32 n_dims | u64 dims[n_dims] | u32 ggml_type | u64 offset }
/// padding to general.alignment (default 32)
/// tensor data: each tensor at data_start + offset, offsets aligned
/// string = u64 length + UTF-8 bytes; array = u32 element_type + u64 count + elements
/// </code>
/// </remarks>
public sealed unsafe class GgufFile : IDisposable
{
    private readonly MemoryMappedFile? _mapping;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _base;
    private readonly Dictionary<string, GgufTensorInfo> _tensorsByName;
    private bool _disposed;

    private GgufFile(string path, MemoryMappedFile? mapping, MemoryMappedViewAccessor? view, byte* basePointer, long length, GgufHeader header)
    {
        Path = path;
        _mapping = mapping;
        _view = view;
        _base = basePointer;
        FileLength = length;
        Version = header.Version;
        Metadata = header.Metadata;
        Tensors = header.Tensors;
        Alignment = header.Alignment;
        HeaderLength = header.HeaderLength;
        DataOffset = header.DataOffset;
        _tensorsByName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Path the file was opened from.</summary>
    public string Path { get; }

    /// <summary>GGUF format version (2 or 3).</summary>
    public uint Version { get; }

    /// <summary>Key/value metadata in file order.</summary>
    public GgufMetadata Metadata { get; }

    /// <summary>Tensor table in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary><c>general.alignment</c>, or 32 when absent.</summary>
    public int Alignment { get; }

    /// <summary>
    /// Bytes taken by the header, metadata and tensor table, before the zero padding that aligns the data
    /// section. Equal to <see cref="FileLength"/> in a vocabulary-only file written without that padding.
    /// </summary>
    public long HeaderLength { get; }

    /// <summary>
    /// Absolute file offset where tensor data begins (<see cref="HeaderLength"/> rounded up to
    /// <see cref="Alignment"/>); may lie past the end of a file that has no tensors.
    /// </summary>
    public long DataOffset { get; }

    /// <summary>Size of the file in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Opens, maps and validates a GGUF file.</summary>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static GgufFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var length = new FileInfo(path).Length; // throws FileNotFoundException naming the file
        if (length == 0)
            throw new GgufFormatException(path, "magic", 0, "the file is empty");

        var mapping = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointer += view.PointerOffset;
            var header = GgufParser.Parse(path, pointer, length);
            return new GgufFile(path, mapping, view, pointer, length, header);
        }
        catch
        {
            if (view is not null)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                view.Dispose();
            }
            mapping.Dispose();
            throw;
        }
    }

    /// <summary>Finds a tensor by name, or null.</summary>
    public GgufTensorInfo? FindTensor(string name) => _tensorsByName.GetValueOrDefault(name);

    /// <summary>Pointer to a tensor's first byte inside the mapping; valid until the file is disposed.</summary>
    /// <exception cref="ArgumentException">The tensor entry does not come from this file.</exception>
    public byte* GetTensorPointer(GgufTensorInfo tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(tensor);
        // Only entries this file validated are known to lie inside the mapping.
        if (!_tensorsByName.TryGetValue(tensor.Name, out var own) || !ReferenceEquals(own, tensor))
            throw new ArgumentException($"{Path}: tensor '{tensor.Name}' is not an entry of this file.", nameof(tensor));
        return _base + DataOffset + (long)tensor.Offset;
    }

    /// <summary>Copies a tensor's bytes to <paramref name="destination"/>, in chunks (works for any size).</summary>
    public void CopyTensorData(GgufTensorInfo tensor, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var source = GetTensorPointer(tensor);
        const int chunk = 1 << 24;
        for (long done = 0, size = tensor.ByteSize; done < size; done += chunk)
            destination.Write(new ReadOnlySpan<byte>(source + done, (int)Math.Min(chunk, size - done)));
    }

    /// <summary>A view of a tensor's bytes (tensors of 2 GiB or more: use <see cref="GetTensorPointer"/>).</summary>
    public ReadOnlySpan<byte> GetTensorData(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var size = tensor.ByteSize;
        if (size > int.MaxValue)
            throw new NotSupportedException($"{Path}: tensor '{tensor.Name}' is {size} bytes; use GetTensorPointer for tensors over 2 GiB.");
        return new ReadOnlySpan<byte>(GetTensorPointer(tensor), (int)size);
    }

    /// <summary>A view of any byte range of the file (used by the writer to copy data verbatim).</summary>
    public ReadOnlySpan<byte> GetBytes(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (offset > FileLength - length)
            throw new ArgumentOutOfRangeException(nameof(length), "Range extends past the end of the file.");
        return new ReadOnlySpan<byte>(_base + offset, length);
    }

    /// <summary>
    /// Tells the system this process no longer reads a tensor's mapped pages (a copy took its place, e.g. weights
    /// interleaved at load): they leave the process's resident set but stay in the page cache, and a later read
    /// faults them back in, so nothing breaks if one happens. Linux only; elsewhere the pages stay resident.
    /// </summary>
    public void ReleaseTensorPages(GgufTensorInfo tensor)
    {
        var start = GetTensorPointer(tensor);
        ReleasePages(start, tensor.ByteSize);
        // A read of a neighbouring tensor maps the page cache's pages around it into the process (fault-around, 64 KB),
        // within its own mapping region: marked for random access, the released range becomes a region of its own,
        // so a neighbour's reads no longer bring its pages back (2.6 MB of peak RSS on llama3.2-1b q4_k_m, whose
        // q4_K and q6_K tensors alternate).
        Advise(start, tensor.ByteSize, MadviseRandom);
    }

    /// <summary>
    /// Whether <see cref="ReleasePages"/> takes pages out of the resident set here (Linux); elsewhere a copy of a
    /// tensor would stay resident next to its mapped pages.
    /// </summary>
    public static bool CanReleasePages => OperatingSystem.IsLinux();

    /// <summary>
    /// <see cref="ReleaseTensorPages"/> for any byte range of the mapping, e.g. the part of a tensor already copied:
    /// only the pages wholly inside the range, so neighbouring bytes on its first and last page stay mapped.
    /// </summary>
    public void ReleasePages(byte* start, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (start < _base || start + length > _base + FileLength)
            throw new ArgumentOutOfRangeException(nameof(start), $"{Path}: the range is not inside the mapped file.");
        Advise(start, length, MadviseDontNeed);
    }

    // madvise over the pages wholly inside [start, start + length), where pages can be released.
    private static void Advise(byte* start, long length, int advice)
    {
        if (!CanReleasePages)
            return;
        var page = (nint)Environment.SystemPageSize;
        var first = ((nint)start + page - 1) & ~(page - 1);
        var end = ((nint)start + (nint)length) & ~(page - 1);
        if (end > first)
            _ = Madvise(first, (nuint)(end - first), advice);
    }

    private const int MadviseRandom = 1;
    private const int MadviseDontNeed = 4;

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint address, nuint length, int advice);

    /// <summary>Unmaps the file; pointers and spans handed out before become invalid.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _mapping?.Dispose();
    }
}
