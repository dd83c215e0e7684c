using System.Text;

namespace Mote.Tokenizers;

/// <summary>Input text as llama.cpp sees it: UTF-8, in which a lone UTF-16 surrogate can only be U+FFFD.</summary>
internal static class TextInput
{
    /// <summary>Returns <paramref name="text"/> itself when well-formed, else a copy with U+FFFD for lone surrogates.</summary>
    public static string Sanitize(string text) => IsWellFormed(text) ? text : ReplaceLoneSurrogates(text);

    private static bool IsWellFormed(string text)
    {
        var surrogate = text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0)
            return true;
        for (var i = surrogate; i < text.Length; i++)
        {
            var c = text[i];
            if (!char.IsSurrogate(c))
                continue;
            if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                return false;
            i++;
        }
        return true;
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
            builder.Append(rune.ToString());
        return builder.ToString();
    }
}
