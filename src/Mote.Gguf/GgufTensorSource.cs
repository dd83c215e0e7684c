using Mote.Numerics.Formats;

namespace Mote.Gguf;

/// <summary>A tensor queued in a <see cref="GgufWriter"/>: its table entry and where its bytes come from.</summary>
internal sealed record GgufTensorSource(
    string Name, GgmlType Type, long[] Shape, long ByteSize, ReadOnlyMemory<byte> Data, Action<Stream>? WriteData);
