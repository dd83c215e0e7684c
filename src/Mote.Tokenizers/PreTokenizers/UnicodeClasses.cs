using System.Globalization;

namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// Code point classification as llama.cpp's <c>unicode.cpp</c> sees it, built on .NET's Unicode tables (which may
/// be a Unicode version newer than llama.cpp's generated <c>unicode-data.cpp</c>; only code points assigned in
/// between can differ).
/// </summary>
internal static class UnicodeClasses
{
    private static readonly CodepointFlags[] s_latin1 = BuildLatin1();

    public static CodepointFlags Flags(int codepoint) =>
        (uint)codepoint < (uint)s_latin1.Length ? s_latin1[codepoint] : Compute(codepoint);

    /// <summary>
    /// The single character llama.cpp's <c>unicode_regex_split</c> puts in its "collapsed" text for a code point,
    /// so that a byte-oriented <c>std::regex</c> can test Unicode categories: ASCII stays itself, other whitespace
    /// becomes a vertical tab, and every other code point becomes one of 0xD0..0xD5 by category.
    /// </summary>
    public static char Collapse(int codepoint, CodepointFlags flags)
    {
        if (codepoint < 128)
            return (char)codepoint;
        if ((flags & CodepointFlags.Whitespace) != 0)
            return '\v';
        return (flags & ~CodepointFlags.Whitespace) switch
        {
            CodepointFlags.Number => CollapsedNumber,
            CodepointFlags.Letter => CollapsedLetter,
            CodepointFlags.Punctuation => CollapsedPunctuation,
            CodepointFlags.Mark => CollapsedMark,
            CodepointFlags.Symbol => CollapsedSymbol,
            _ => CollapsedOther,
        };
    }

    public const char CollapsedOther = '\u00D0';
    public const char CollapsedNumber = '\u00D1';
    public const char CollapsedLetter = '\u00D2';
    public const char CollapsedPunctuation = '\u00D3';
    public const char CollapsedMark = '\u00D4';
    public const char CollapsedSymbol = '\u00D5';

    /// <summary>Unicode White_Space, the list llama.cpp's generator writes into <c>unicode_set_whitespace</c>.</summary>
    public static bool IsWhitespace(int c) =>
        c is (>= 0x09 and <= 0x0D) or 0x20 or 0x85 or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A)
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    private static CodepointFlags Compute(int codepoint)
    {
        if ((uint)codepoint > 0x10FFFF)
            return CodepointFlags.Undefined;
        var flags = CharUnicodeInfo.GetUnicodeCategory(codepoint) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CodepointFlags.Letter,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                => CodepointFlags.Mark,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                => CodepointFlags.Number,
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                => CodepointFlags.Separator,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => CodepointFlags.Punctuation,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => CodepointFlags.Symbol,
            UnicodeCategory.OtherNotAssigned => CodepointFlags.Undefined,
            _ => CodepointFlags.Control, // Cc, Cf, Cs, Co
        };
        return IsWhitespace(codepoint) ? flags | CodepointFlags.Whitespace : flags;
    }

    private static CodepointFlags[] BuildLatin1()
    {
        var table = new CodepointFlags[256];
        for (var c = 0; c < table.Length; c++)
            table[c] = Compute(c);
        return table;
    }
}
