using System.Globalization;
using System.Text;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>Python <c>str</c> semantics that templates rely on (whitespace, strip, split, title, repr).</summary>
internal static class PyString
{
    /// <summary>Python's <c>str.isspace</c> for one character: .NET's notion plus the ASCII separators 0x1C–0x1F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    public static string Strip(string s, string? chars = null) => RStrip(LStrip(s, chars), chars);

    public static string LStrip(string s, string? chars = null)
    {
        var start = 0;
        while (start < s.Length && Strippable(s[start], chars))
            start++;
        return s[start..];
    }

    public static string RStrip(string s, string? chars = null)
    {
        var end = s.Length;
        while (end > 0 && Strippable(s[end - 1], chars))
            end--;
        return s[..end];
    }

    private static bool Strippable(char c, string? chars) => chars is null ? IsSpace(c) : chars.Contains(c, StringComparison.Ordinal);

    /// <summary>Python <c>str.split(sep, maxsplit)</c>: with no separator, splits on runs of whitespace and drops empties.</summary>
    public static List<object?> Split(string s, string? separator, long maxSplit)
    {
        var parts = new List<object?>();
        if (separator is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && IsSpace(s[i]))
                    i++;
                if (i >= s.Length)
                    break;
                if (maxSplit >= 0 && parts.Count == maxSplit)
                {
                    parts.Add(RStrip(s[i..]));
                    break;
                }
                var start = i;
                while (i < s.Length && !IsSpace(s[i]))
                    i++;
                parts.Add(s[start..i]);
            }
            return parts;
        }
        if (separator.Length == 0)
            throw new ChatTemplateException("split(): empty separator");
        var from = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            var at = s.IndexOf(separator, from, StringComparison.Ordinal);
            if (at < 0)
                break;
            parts.Add(s[from..at]);
            from = at + separator.Length;
        }
        parts.Add(s[from..]);
        return parts;
    }

    /// <summary>Python <c>str.title()</c>: a cased character is upper-cased after an uncased one, lower-cased otherwise.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previousCased = false;
        foreach (var c in s)
        {
            if (char.IsUpper(c) || char.IsLower(c))
            {
                sb.Append(previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
                previousCased = true;
            }
            else
            {
                sb.Append(c);
                previousCased = false;
            }
        }
        return sb.ToString();
    }

    /// <summary>Jinja's <c>title</c> filter: capitalizes each chunk that follows a run of <c>-</c>, whitespace or an opening bracket.</summary>
    public static string TitleFilter(string s)
    {
        var sb = new StringBuilder(s.Length);
        var wordStart = true;
        foreach (var c in s)
        {
            if (c is '-' or '(' or '{' or '[' or '<' || IsSpace(c))
            {
                sb.Append(c);
                wordStart = true;
                continue;
            }
            sb.Append(wordStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            wordStart = false;
        }
        return sb.ToString();
    }

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    /// <summary>Python <c>repr(str)</c>: single quotes unless the text has a single quote and no double quote.</summary>
    public static string Repr(string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 2).Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote)
                        sb.Append('\\').Append(c);
                    else if (c < ' ' || c == '\x7f')
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append(quote).ToString();
    }
}
