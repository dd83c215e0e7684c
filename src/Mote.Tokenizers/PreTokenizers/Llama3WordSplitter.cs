using static Mote.Tokenizers.PreTokenizers.Gpt2WordSplitter;

namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// Llama 3's pattern <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>
/// written out by hand, behaving as llama.cpp's <c>unicode_regex_split_custom_llama3</c>.
/// </summary>
internal sealed class Llama3WordSplitter : IWordSplitter
{
    public static readonly Llama3WordSplitter Instance = new();

    private const int MaxDigits = 3;

    public void Split(PreTokenizerText text, List<int> segments, List<int> result)
    {
        var start = 0;
        foreach (var length in segments)
        {
            SplitSegment(text.Codepoints, text.Flags, start, start + length, result);
            start += length;
        }
    }

    private static void SplitSegment(
        ReadOnlySpan<int> cps, ReadOnlySpan<CodepointFlags> allFlags, int begin, int end, List<int> result)
    {
        var flags = allFlags[..end];
        var wordStart = begin;
        var pos = begin;
        while (pos < end)
        {
            var c = cps[pos];
            var f = flags[pos];

            // (?i:'s|'t|'re|'ve|'m|'ll|'d): only ASCII letters lower-case to these, so ASCII folding is exact
            if (c == '\'' && pos + 1 < end)
            {
                var next = AsciiLower(cps[pos + 1]);
                if (next is 's' or 't' or 'm' or 'd')
                {
                    pos += 2;
                    Emit(result, ref wordStart, pos);
                    continue;
                }
                if (pos + 2 < end && IsTwoLetterContraction(next, AsciiLower(cps[pos + 2])))
                {
                    pos += 3;
                    Emit(result, ref wordStart, pos);
                    continue;
                }
            }

            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (c != '\r' && c != '\n' && !Has(f, CodepointFlags.Number)
                && (Has(f, CodepointFlags.Letter) || Has(At(flags, pos + 1), CodepointFlags.Letter)))
            {
                pos++;
                while (Has(At(flags, pos), CodepointFlags.Letter))
                    pos++;
                Emit(result, ref wordStart, pos);
                continue;
            }

            // \p{N}{1,3}
            if (Has(f, CodepointFlags.Number))
            {
                var groupStart = pos;
                while (Has(At(flags, pos), CodepointFlags.Number))
                {
                    pos++;
                    if (pos - groupStart >= MaxDigits)
                    {
                        Emit(result, ref wordStart, pos);
                        groupStart = pos;
                    }
                }
                Emit(result, ref wordStart, pos);
                continue;
            }

            // <space>?[^\s\p{L}\p{N}]+[\r\n]*  (a lone space at the very end also lands here, as in llama.cpp)
            var lead = c == ' ' ? At(flags, pos + 1) : f;
            if ((lead & (CodepointFlags.Whitespace | CodepointFlags.Letter | CodepointFlags.Number)) == 0)
            {
                pos += c == ' ' ? 1 : 0;
                while (IsOther(At(flags, pos)))
                    pos++;
                while (pos < end && cps[pos] is '\r' or '\n')
                    pos++;
                Emit(result, ref wordStart, pos);
                continue;
            }

            var spaces = 0;
            var afterLastNewline = 0;
            while (Has(At(flags, pos + spaces), CodepointFlags.Whitespace))
            {
                if (cps[pos + spaces] is '\r' or '\n')
                    afterLastNewline = pos + spaces + 1;
                spaces++;
            }

            if (afterLastNewline > 0)
                pos = afterLastNewline;          // \s*[\r\n]+
            else if (spaces > 1 && pos + spaces < end)
                pos += spaces - 1;               // \s+(?!\S)
            else if (spaces > 0)
                pos += spaces;                   // \s+
            else
                pos++;
            Emit(result, ref wordStart, pos);
        }
    }

    private static int AsciiLower(int c) => c is >= 'A' and <= 'Z' ? c + 32 : c;
}
