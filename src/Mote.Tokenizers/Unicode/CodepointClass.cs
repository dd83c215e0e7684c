using System.Globalization;
using System.Text;

namespace Mote.Tokenizers.Unicode;

/// <summary>
/// The code point properties llama.cpp's tokenizers test (<c>unicode_cpt_flags</c>), derived from .NET's Unicode
/// data. llama.cpp generates its table with Python's <c>regex</c> module: <c>\p{P}</c>, <c>\p{S}</c>, <c>\p{M}</c>,
/// <c>\p{C}</c> (which includes unassigned code points) and <c>\s</c> (Unicode White_Space).
/// </summary>
internal static class CodepointClass
{
    public static bool IsWhitespace(int codepoint) => Rune.IsWhiteSpace(new Rune(codepoint));

    public static bool IsPunctuation(int codepoint) => CharUnicodeInfo.GetUnicodeCategory(codepoint) switch
    {
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
        _ => false,
    };

    public static bool IsSymbol(int codepoint) => CharUnicodeInfo.GetUnicodeCategory(codepoint) switch
    {
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
            or UnicodeCategory.OtherSymbol => true,
        _ => false,
    };

    /// <summary>Accent marks: the general categories Mn, Mc and Me.</summary>
    public static bool IsAccentMark(int codepoint) => CharUnicodeInfo.GetUnicodeCategory(codepoint) switch
    {
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        _ => false,
    };

    /// <summary>"Other": Cc, Cf, Cs, Co and unassigned code points.</summary>
    public static bool IsControl(int codepoint) => CharUnicodeInfo.GetUnicodeCategory(codepoint) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned => true,
        _ => false,
    };

    /// <summary>
    /// The first code point of the full lowercase mapping, as Python's <c>chr(c).lower()[0]</c> (llama.cpp's
    /// <c>unicode_tolower</c> table). .NET's invariant simple mapping agrees except for U+0130 (İ), which it leaves
    /// alone to stay culture-neutral while the full mapping gives "i̇".
    /// </summary>
    public static int ToLower(int codepoint) =>
        codepoint == 0x130 ? 'i' : Rune.ToLowerInvariant(new Rune(codepoint)).Value;
}
