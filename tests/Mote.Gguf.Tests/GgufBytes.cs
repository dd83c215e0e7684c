using System.Text;

namespace Mote.Gguf.Tests;

/// <summary>
/// Assembles GGUF bytes field by field, independently of <see cref="GgufWriter"/>, so reader tests and
/// expected writer output rest on the specification rather than on our own code.
/// </summary>
internal sealed class GgufBytes
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _writer;

    public GgufBytes() => _writer = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);

    public long Length => _stream.Length;

    public GgufBytes Header(uint version, ulong tensorCount, ulong kvCount) =>
        U32(0x46554747).U32(version).U64(tensorCount).U64(kvCount);

    public GgufBytes U8(byte value) { _writer.Write(value); return this; }
    public GgufBytes U16(ushort value) { _writer.Write(value); return this; }
    public GgufBytes U32(uint value) { _writer.Write(value); return this; }
    public GgufBytes U64(ulong value) { _writer.Write(value); return this; }
    public GgufBytes I8(sbyte value) { _writer.Write(value); return this; }
    public GgufBytes I16(short value) { _writer.Write(value); return this; }
    public GgufBytes I32(int value) { _writer.Write(value); return this; }
    public GgufBytes I64(long value) { _writer.Write(value); return this; }
    public GgufBytes F32(float value) { _writer.Write(value); return this; }
    public GgufBytes F64(double value) { _writer.Write(value); return this; }
    public GgufBytes Raw(ReadOnlySpan<byte> bytes) { _writer.Write(bytes); return this; }

    public GgufBytes Str(string text) => RawStr(Encoding.UTF8.GetBytes(text));

    public GgufBytes RawStr(byte[] bytes) => U64((ulong)bytes.Length).Raw(bytes);

    /// <summary>A key followed by a value type tag.</summary>
    public GgufBytes Key(string key, GgufValueType type) => Str(key).U32((uint)type);

    /// <summary>A tensor-table entry.</summary>
    public GgufBytes TensorInfo(string name, uint type, ulong offset, params ulong[] dims)
    {
        Str(name).U32((uint)dims.Length);
        foreach (var dim in dims)
            U64(dim);
        return U32(type).U64(offset);
    }

    public GgufBytes PadTo(int alignment)
    {
        while (_stream.Length % alignment != 0)
            _writer.Write((byte)0);
        return this;
    }

    public byte[] ToArray()
    {
        _writer.Flush();
        return _stream.ToArray();
    }
}
