using System.Text;
using Mote.Tokenizers.Unicode;

namespace Mote.Tokenizers;

/// <summary>
/// BERT's normalizer and pre-tokenizer as llama.cpp implements them (<c>llm_tokenizer_wpm_session::preprocess</c>):
/// optional accent stripping (NFD base character, combining marks dropped) and lowercasing; whitespace separates
/// words; NUL, U+FFFD and control/format/unassigned code points vanish; punctuation, ASCII symbols and CJK ideographs
/// become one-character words. Each word is written with the ▁ prefix the converted vocabulary expects.
/// </summary>
internal sealed class WordPieceWords(bool lowercase, bool stripAccents)
{
    private const char Space = '\u2581';

    /// <summary>
    /// Writes the words of <paramref name="text"/> into <paramref name="buffer"/> (each as ▁word) and their ranges
    /// into <paramref name="words"/>. <paramref name="buffer"/> must hold <see cref="MaxBufferLength"/> chars.
    /// </summary>
    public void Split(ReadOnlySpan<char> text, Span<char> buffer, List<Range> words)
    {
        words.Clear();
        var length = 0;
        var wordStart = -1;  // index of the current word's ▁, or -1 when between words
        foreach (var rune in text.EnumerateRunes())
        {
            var cpt = stripAccents ? NfdBaseTable.BaseOf(rune.Value) : rune.Value;
            if (CodepointClass.IsWhitespace(cpt))
            {
                EndWord(ref wordStart, length, words);
                continue;
            }
            if (cpt == 0 || cpt == 0xFFFD || CodepointClass.IsControl(cpt))
                continue;
            if (stripAccents && CodepointClass.IsAccentMark(cpt))
                continue;

            var isolated = CodepointClass.IsPunctuation(cpt) || (cpt < 0x7F && CodepointClass.IsSymbol(cpt)) || IsChinese(cpt);
            if (isolated)
                EndWord(ref wordStart, length, words);
            if (wordStart < 0)
            {
                wordStart = length;
                buffer[length++] = Space;
            }
            length += new Rune(lowercase ? CodepointClass.ToLower(cpt) : cpt).EncodeToUtf16(buffer[length..]);
            if (isolated)
                EndWord(ref wordStart, length, words);
        }
        EndWord(ref wordStart, length, words);
    }

    /// <summary>Room <see cref="Split"/> needs for a text of <paramref name="textLength"/> UTF-16 code units.</summary>
    public static int MaxBufferLength(int textLength) => 2 * textLength + 2;

    private static void EndWord(ref int wordStart, int length, List<Range> words)
    {
        if (wordStart >= 0)
            words.Add(new Range(wordStart, length));
        wordStart = -1;
    }

    // The CJK blocks BERT isolates, as llama.cpp lists them (including its 0x2B920 start copied from HF's Rust code).
    private static bool IsChinese(int cpt) =>
        (cpt >= 0x04E00 && cpt <= 0x09FFF) ||
        (cpt >= 0x03400 && cpt <= 0x04DBF) ||
        (cpt >= 0x20000 && cpt <= 0x2A6DF) ||
        (cpt >= 0x2A700 && cpt <= 0x2B73F) ||
        (cpt >= 0x2B740 && cpt <= 0x2B81F) ||
        (cpt >= 0x2B920 && cpt <= 0x2CEAF) ||
        (cpt >= 0x0F900 && cpt <= 0x0FAFF) ||
        (cpt >= 0x2F800 && cpt <= 0x2FA1F);
}
