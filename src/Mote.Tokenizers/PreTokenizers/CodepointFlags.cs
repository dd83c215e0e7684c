namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// What llama.cpp's <c>unicode_cpt_flags</c> says about a code point: exactly one general-category bit, plus
/// <see cref="Whitespace"/> for members of Unicode's White_Space set. <see cref="None"/> only ever describes a
/// position outside the text being split (llama.cpp's out-of-range sentinel), never a real code point.
/// </summary>
[Flags]
internal enum CodepointFlags : ushort
{
    None = 0,
    Undefined = 1 << 0,   // Cn
    Number = 1 << 1,      // \p{N}
    Letter = 1 << 2,      // \p{L}
    Separator = 1 << 3,   // \p{Z}
    Mark = 1 << 4,        // \p{M}
    Punctuation = 1 << 5, // \p{P}
    Symbol = 1 << 6,      // \p{S}
    Control = 1 << 7,     // \p{C} other than Cn
    Whitespace = 1 << 8,  // White_Space property (not the same as \p{Z}: \t..\r are Cc, U+180E is excluded)
}
