namespace Mote.Gguf;

/// <summary>
/// A GGUF file is malformed: truncated, inconsistent or using something this reader does not know.
/// The message always names the file, the field and the byte offset where the problem was found.
/// </summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException(string filePath, string field, long offset, string problem)
        : base($"{filePath}: invalid GGUF field '{field}' at offset {offset}: {problem}")
    {
        FilePath = filePath;
        Field = field;
        Offset = offset;
    }

    public GgufFormatException()
    {
        FilePath = Field = string.Empty;
    }

    public GgufFormatException(string message) : base(message)
    {
        FilePath = Field = string.Empty;
    }

    public GgufFormatException(string message, Exception innerException) : base(message, innerException)
    {
        FilePath = Field = string.Empty;
    }

    /// <summary>The file that failed to parse.</summary>
    public string FilePath { get; }

    /// <summary>The GGUF field being read, e.g. <c>tensor_infos[3].offset</c> or <c>kv[general.alignment]</c>.</summary>
    public string Field { get; }

    /// <summary>Byte offset in the file where the field starts.</summary>
    public long Offset { get; }
}
