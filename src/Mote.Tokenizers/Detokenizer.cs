using System.Buffers;
using System.Text;

namespace Mote.Tokenizers;

/// <summary>
/// Whole-sequence decoding as llama.cpp's <c>llama_detokenize</c> (with <c>remove_special = false</c>): token pieces
/// concatenated, optionally without the leading space of the first piece (vocabularies that add a space prefix) and
/// optionally with Hugging Face's <c>clean_up_tokenization_spaces</c> passes. Tokenizers call this from
/// <see cref="Tokenizer.Decode"/> with their own flags.
/// </summary>
internal static class Detokenizer
{
    public static string Decode(Tokenizer tokenizer, ReadOnlySpan<int> ids, bool special, bool removeLeadingSpace, bool cleanSpaces)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(256, ids.Length * 8));
        try
        {
            var length = 0;
            var stripSpace = removeLeadingSpace;
            foreach (var id in ids)
            {
                var piece = tokenizer.GetPiece(id, special);
                // llama.cpp strips one leading space from the first token only; a BOS (empty piece) uses up the chance.
                if (stripSpace && piece.Length > 0 && piece[0] == (byte)' ')
                    piece = piece[1..];
                stripSpace = false;
                if (length + piece.Length > buffer.Length)
                    Grow(ref buffer, length + piece.Length);
                piece.CopyTo(buffer.AsSpan(length));
                length += piece.Length;
            }
            if (cleanSpaces)
                length = CleanSpaces(buffer.AsSpan(0, length));
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// llama.cpp's three in-place clean-up passes: drop the space before <c>? ! . ,</c>; turn <c>" ' "</c> into
    /// <c>"'"</c>; drop the space before <c>'s 'm 're 've</c>. Returns the new length.
    /// </summary>
    public static int CleanSpaces(Span<byte> text)
    {
        // Pass 1: " ?", " !", " .", " ," lose their space.
        var length = text.Length;
        var total = length > 0 ? 1 : 0;
        for (var i = 1; i < length; i++)
        {
            var x = text[i];
            if (text[i - 1] == ' ' && x is (byte)'?' or (byte)'!' or (byte)'.' or (byte)',')
                total--;
            text[total++] = x;
        }

        // Pass 2: a lone apostrophe between spaces loses both spaces. The following space is overwritten with NUL,
        // exactly as llama.cpp does, so that it cannot start another match.
        length = total;
        total = length > 0 ? 1 : 0;
        for (var i = 1; i < length; i++)
        {
            var x = text[i];
            if (x == '\'' && i + 1 < length && text[i - 1] == ' ' && text[i + 1] == ' ')
            {
                total--;
                text[++i] = 0;
            }
            text[total++] = x;
        }

        // Pass 3: contractions " 's", " 'm", " 're", " 've" lose their space (" 't", " 'd", " 'll" keep it).
        length = total;
        total = length > 0 ? 1 : 0;
        for (var i = 1; i < length; i++)
        {
            var x = text[i];
            if (text[i - 1] == ' ' && x == '\'' && i + 1 < length)
            {
                var x1 = text[i + 1];
                if (x1 is (byte)'s' or (byte)'m')
                    total--;
                else if (x1 is not ((byte)'t' or (byte)'d') && i + 2 < length)
                {
                    var x2 = text[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e'))
                        total--;
                }
            }
            text[total++] = x;
        }
        return total;
    }

    private static void Grow(ref byte[] buffer, int needed)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.CopyTo(bigger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = bigger;
    }
}
