using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Mote.Gguf;

/// <summary>
/// Lossless conversion between GGUF string bytes and .NET strings. GGUF strings are meant to be UTF-8, but
/// nothing stops a converter from storing raw bytes (some vocabularies hold partial UTF-8 sequences). Valid
/// UTF-8 decodes normally; each byte of an invalid sequence becomes the lone low surrogate U+DC80..U+DCFF
/// (Python's "surrogateescape"), which valid UTF-8 can never produce, so encoding gives back the exact bytes
/// and a rewritten file is byte-identical.
/// </summary>
internal static class GgufStrings
{
    private const char EscapeBase = '\uDC00';

    /// <summary>Decodes GGUF string bytes, escaping invalid bytes as U+DC80..U+DCFF.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
            return Encoding.UTF8.GetString(bytes);
        return DecodeEscaped(bytes);
    }

    /// <summary>True when the bytes are valid UTF-8 (used for keys and tensor names, which must be).</summary>
    public static bool IsValid(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes);

    /// <summary>Number of bytes <see cref="Encode"/> writes for <paramref name="text"/>.</summary>
    public static int GetByteCount(string text)
    {
        if (!HasLoneSurrogate(text))
            return Encoding.UTF8.GetByteCount(text);
        var count = 0;
        var span = text.AsSpan();
        for (var i = 0; i < span.Length;)
        {
            if (TryEscapedByte(span, i, out _))
            {
                count++;
                i++;
                continue;
            }
            var status = Rune.DecodeFromUtf16(span[i..], out var rune, out var consumed);
            count += status == OperationStatus.Done ? rune.Utf8SequenceLength : 3; // U+FFFD for other lone surrogates
            i += consumed;
        }
        return count;
    }

    /// <summary>Encodes <paramref name="text"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(string text, Span<byte> destination)
    {
        if (!HasLoneSurrogate(text))
            return Encoding.UTF8.GetBytes(text, destination);
        var written = 0;
        var span = text.AsSpan();
        for (var i = 0; i < span.Length;)
        {
            if (TryEscapedByte(span, i, out var escaped))
            {
                destination[written++] = escaped;
                i++;
                continue;
            }
            var status = Rune.DecodeFromUtf16(span[i..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
                rune = Rune.ReplacementChar;
            written += rune.EncodeToUtf8(destination[written..]);
            i += consumed;
        }
        return written;
    }

    private static string DecodeEscaped(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status == OperationStatus.Done)
            {
                builder.Append(rune.ToString());
            }
            else
            {
                // Invalid or truncated sequence: escape each consumed byte (all are >= 0x80).
                foreach (var b in bytes[..consumed])
                    builder.Append((char)(EscapeBase + b));
            }
            bytes = bytes[consumed..];
        }
        return builder.ToString();
    }

    // An escape is a low surrogate in U+DC80..U+DCFF; the callers step over whole surrogate pairs, so a low
    // surrogate seen here is always unpaired.
    private static bool TryEscapedByte(ReadOnlySpan<char> text, int index, out byte value)
    {
        var c = text[index];
        value = (byte)(c - EscapeBase);
        return c is >= '\uDC80' and <= '\uDCFF';
    }

    private static bool HasLoneSurrogate(string text)
    {
        // Fast reject: most strings contain no surrogate at all.
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
            return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return true;
        }
        return false;
    }
}
