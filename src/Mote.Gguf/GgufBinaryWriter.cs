using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Mote.Gguf;

/// <summary>
/// Buffered little-endian writer of GGUF primitives and metadata values over any stream (seekable or not),
/// counting the bytes it has written so the caller can pad to the alignment.
/// </summary>
internal sealed class GgufBinaryWriter
{
    private const int BufferSize = 1 << 16;
    private static readonly byte[] s_zeros = new byte[4096];

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _used;

    public GgufBinaryWriter(Stream stream)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Writing GGUF needs a little-endian machine.");
        _stream = stream;
    }

    /// <summary>Bytes written so far, buffered or not.</summary>
    public long Position { get; private set; }

    /// <summary>The underlying stream, after <see cref="Flush"/>; for writing tensor data straight through.</summary>
    public Stream Stream => _stream;

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= BufferSize - _used)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            return;
        }
        Flush();
        _stream.Write(bytes);
        Position += bytes.Length;
    }

    public void WriteZeros(long count)
    {
        for (; count > 0; count -= s_zeros.Length)
            WriteBytes(s_zeros.AsSpan(0, (int)Math.Min(count, s_zeros.Length)));
    }

    /// <summary>u64 byte length, then the bytes (see <see cref="GgufStrings"/> for lone surrogates).</summary>
    public void WriteString(string text)
    {
        // UTF-8 takes at most 3 bytes per UTF-16 char: short strings are encoded straight into the buffer in one
        // pass, with the length filled in afterwards.
        var worstCase = 8 + 3L * text.Length;
        if (worstCase > BufferSize - _used && worstCase <= BufferSize)
            Flush();
        if (worstCase <= BufferSize - _used)
        {
            var written = GgufStrings.Encode(text, _buffer.AsSpan(_used + 8));
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_used), (ulong)written);
            _used += 8 + written;
            Position += 8 + written;
            return;
        }

        var length = GgufStrings.GetByteCount(text);
        WriteUInt64((ulong)length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var encoded = GgufStrings.Encode(text, rented);
            WriteBytes(rented.AsSpan(0, encoded));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A metadata value: u32 type, then the value (arrays: u32 element type, u64 count, elements).</summary>
    public void WriteValue(GgufValue value)
    {
        WriteUInt32((uint)value.Type);
        if (value.IsArray)
            WriteArrayBody(value);
        else
            WriteScalar(value.Value);
    }

    private void WriteArrayBody(GgufValue array)
    {
        WriteUInt32((uint)array.ElementType);
        WriteUInt64((ulong)array.ArrayLength);
        if (array.Value is GgufStringArray strings)
        {
            for (var i = 0; i < strings.Count; i++)
            {
                var bytes = strings.Utf8(i);
                WriteUInt64((ulong)bytes.Length);
                WriteBytes(bytes);
            }
            return;
        }
        var elements = (Array)array.Value;
        switch (elements)
        {
            case GgufValue[] nested:
                foreach (var element in nested)
                    WriteArrayBody(element); // elements of an array of arrays carry no type tag
                break;
            case byte[] a: WriteBytes(a); break;
            case sbyte[] a: WriteBytes(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case ushort[] a: WriteBytes(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case short[] a: WriteBytes(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case uint[] a: WriteBytes(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case int[] a: WriteBytes(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case float[] a: WriteBytes(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case ulong[] a: WriteBytes(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case long[] a: WriteBytes(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case double[] a: WriteBytes(MemoryMarshal.AsBytes(a.AsSpan())); break;
            case bool[] a:
                foreach (var b in a)
                    Reserve(1)[0] = b ? (byte)1 : (byte)0;
                break;
            default:
                throw new InvalidOperationException($"Cannot write a GGUF array held as {elements.GetType().Name}.");
        }
    }

    private void WriteScalar(object value)
    {
        switch (value)
        {
            case byte v: Reserve(1)[0] = v; break;
            case sbyte v: Reserve(1)[0] = (byte)v; break;
            case bool v: Reserve(1)[0] = v ? (byte)1 : (byte)0; break;
            case ushort v: BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), v); break;
            case short v: BinaryPrimitives.WriteInt16LittleEndian(Reserve(2), v); break;
            case uint v: WriteUInt32(v); break;
            case int v: BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), v); break;
            case float v: BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), v); break;
            case ulong v: WriteUInt64(v); break;
            case long v: BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), v); break;
            case double v: BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), v); break;
            case string v: WriteString(v); break;
            default: throw new InvalidOperationException($"Cannot write a GGUF scalar held as {value.GetType().Name}.");
        }
    }

    /// <summary>Writes buffered bytes to the stream.</summary>
    public void Flush()
    {
        if (_used == 0)
            return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    /// <summary>Counts bytes written directly to <see cref="Stream"/> (tensor data) into <see cref="Position"/>.</summary>
    public void Advance(long bytes) => Position += bytes;

    private Span<byte> Reserve(int count)
    {
        if (count > BufferSize - _used)
            Flush();
        var span = _buffer.AsSpan(_used, count);
        _used += count;
        Position += count;
        return span;
    }
}
