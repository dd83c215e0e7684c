namespace Mote.Tokenizers.Unicode;

/// <summary>
/// The first code point of a code point's canonical decomposition (NFD), as llama.cpp's
/// <c>unicode_cpts_normalize_nfd</c> maps it: "é" → "e", "ử" → "u", "한" → "ᄒ". The combining marks that a full
/// decomposition would add are not produced; BERT's accent stripping drops them anyway.
/// </summary>
internal static partial class NfdBaseTable
{
    /// <summary>The base code point of <paramref name="codepoint"/>, or the code point itself when it does not decompose.</summary>
    public static int BaseOf(int codepoint)
    {
        // Most text is ASCII; the first decomposing code point is U+00C0.
        if (codepoint < 0xC0)
            return codepoint;

        var ranges = Ranges;
        int lo = 0, hi = ranges.Length / 3 - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var first = ranges[mid * 3];
            if (codepoint < first)
                hi = mid - 1;
            else if (codepoint > ranges[mid * 3 + 1])
                lo = mid + 1;
            else
                return ranges[mid * 3 + 2];
        }
        return codepoint;
    }
}
