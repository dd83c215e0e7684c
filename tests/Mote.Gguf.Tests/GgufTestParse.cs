namespace Mote.Gguf.Tests;

/// <summary>Runs the parser over an in-memory image, as <see cref="GgufFile.Open"/> does over a mapping.</summary>
internal static unsafe class GgufTestParse
{
    public const string FileName = "memory.gguf";

    public static GgufHeader Parse(byte[] image) => Parse(image, image.Length);

    /// <summary>Parses the first <paramref name="length"/> bytes, as if the file were truncated there.</summary>
    public static GgufHeader Parse(byte[] image, int length)
    {
        fixed (byte* pointer = image)
            return GgufParser.Parse(FileName, pointer, length);
    }

    public static GgufFormatException Rejects(byte[] image) => Assert.Throws<GgufFormatException>(() => Parse(image));
}
