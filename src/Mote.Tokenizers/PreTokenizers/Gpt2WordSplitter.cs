namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// GPT-2's pattern <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c> written out by
/// hand, behaving as llama.cpp's <c>unicode_regex_split_custom_gpt2</c> (which llama.cpp uses in place of the regex).
/// </summary>
internal sealed class Gpt2WordSplitter : IWordSplitter
{
    public static readonly Gpt2WordSplitter Instance = new();

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

            // 's 't 're 've 'm 'll 'd (lower case only)
            if (c == '\'' && pos + 1 < end)
            {
                var next = cps[pos + 1];
                if (next is 's' or 't' or 'm' or 'd')
                {
                    pos += 2;
                    Emit(result, ref wordStart, pos);
                    continue;
                }
                if (pos + 2 < end && IsTwoLetterContraction(next, cps[pos + 2]))
                {
                    pos += 3;
                    Emit(result, ref wordStart, pos);
                    continue;
                }
            }

            // <space>?\p{L}+ | <space>?\p{N}+ | <space>?[^\s\p{L}\p{N}]+
            var lead = c == ' ' ? At(flags, pos + 1) : flags[pos];
            var skip = c == ' ' ? 1 : 0;
            if (Has(lead, CodepointFlags.Letter))
            {
                pos += skip;
                while (Has(At(flags, pos), CodepointFlags.Letter))
                    pos++;
                Emit(result, ref wordStart, pos);
                continue;
            }
            if (Has(lead, CodepointFlags.Number))
            {
                pos += skip;
                while (Has(At(flags, pos), CodepointFlags.Number))
                    pos++;
                Emit(result, ref wordStart, pos);
                continue;
            }
            if (IsOther(lead))
            {
                pos += skip;
                while (IsOther(At(flags, pos)))
                    pos++;
                Emit(result, ref wordStart, pos);
                continue;
            }

            var spaces = 0;
            while (Has(At(flags, pos + spaces), CodepointFlags.Whitespace))
                spaces++;

            if (spaces > 1 && pos + spaces < end)
                pos += spaces - 1; // \s+(?!\S): leave the last space to lead the next word
            else if (spaces > 0)
                pos += spaces;     // \s+
            else
                pos++;             // nothing matched: the character stands alone
            Emit(result, ref wordStart, pos);
        }
    }

    internal static bool IsTwoLetterContraction(int first, int second) =>
        (first == 'r' && second == 'e') || (first == 'v' && second == 'e') || (first == 'l' && second == 'l');

    internal static CodepointFlags At(ReadOnlySpan<CodepointFlags> flags, int pos) =>
        pos < flags.Length ? flags[pos] : CodepointFlags.None;

    internal static bool Has(CodepointFlags flags, CodepointFlags bit) => (flags & bit) != 0;

    /// <summary>[^\s\p{L}\p{N}] inside the text (the out-of-range sentinel never matches).</summary>
    internal static bool IsOther(CodepointFlags flags) =>
        flags != CodepointFlags.None
        && (flags & (CodepointFlags.Whitespace | CodepointFlags.Letter | CodepointFlags.Number)) == 0;

    internal static void Emit(List<int> result, ref int wordStart, int end)
    {
        if (end > wordStart)
            result.Add(end - wordStart);
        wordStart = end;
    }
}
