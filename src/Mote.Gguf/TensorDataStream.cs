namespace Mote.Gguf;

/// <summary>
/// The write-only stream a tensor-data callback writes into: it forwards to the output file and refuses to go
/// past the tensor's declared size, so a buggy quantizer cannot shift every tensor after it.
/// </summary>
internal sealed class TensorDataStream(Stream inner, string tensorName, long expectedBytes) : Stream
{
    public long Written { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length > expectedBytes - Written)
            throw new InvalidOperationException(
                $"Tensor '{tensorName}': the data callback wrote more than the {expectedBytes} bytes its type and shape take.");
        inner.Write(buffer);
        Written += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
