using System.Globalization;
using System.Text;

namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// Rewrites one of llama.cpp's pre-tokenizer regexes (ECMAScript, as <c>std::regex</c> runs them) into a .NET
/// pattern that matches the same spans of the text view llama.cpp would run it on:
/// <list type="bullet">
/// <item>Regexes naming a Unicode category (<c>\p{L}</c>, <c>\p{N}</c>, ...) run on the collapsed view, where every
/// non-ASCII code point is one category character; <c>\p{X}</c> becomes that character plus the ASCII members
/// llama.cpp lists for X (note that llama.cpp's list leaves <c>~</c> out of both \p{P} and \p{S}).</item>
/// <item>The others run on the text itself; astral code points inside a character class become surrogate-pair
/// alternatives, because .NET matches UTF-16 units.</item>
/// <item><c>\s</c>, <c>\S</c> and <c>\d</c> keep their ECMAScript/C-locale ASCII meaning, <c>$</c> means end of the
/// segment, and <c>.</c> excludes ECMAScript's line terminators.</item>
/// </list>
/// </summary>
internal static class LlamaRegexTranslator
{
    // llama.cpp's k_ucat_enum: the category names that make a regex run on the collapsed view.
    private static readonly string[] s_categoryNames = ["N", "L", "P", "M", "S", "Lu", "Ll", "Lt", "Lm", "Lo"];

    private const string AsciiSpaceBody = @"\t\n\x0B\f\r\x20";

    /// <summary>True when llama.cpp would run this regex on the collapsed text.</summary>
    public static bool UsesCategories(string regex)
    {
        foreach (var name in s_categoryNames)
            if (regex.Contains(@"\p{" + name + "}", StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>The .NET pattern for <paramref name="regex"/>; throws <see cref="NotSupportedException"/> for syntax none of llama.cpp's lists use.</summary>
    public static string Translate(string regex)
    {
        var collapsed = UsesCategories(regex);
        if (collapsed)
        {
            foreach (var c in regex)
                if (c >= 128)
                    throw new NotSupportedException($"Pre-tokenizer regex '{regex}' mixes Unicode categories and non-ASCII characters, which llama.cpp rejects too.");
        }

        var output = new StringBuilder(regex.Length * 2);
        var i = 0;
        while (i < regex.Length)
        {
            var c = regex[i];
            switch (c)
            {
                case '[':
                    i = TranslateClass(regex, i, collapsed, output);
                    break;
                case '\\':
                    i = TranslateEscape(regex, i, collapsed, output);
                    break;
                case '$':
                    output.Append(@"\z");
                    i++;
                    break;
                case '.':
                    output.Append(@"[^\n\r\u2028\u2029]");
                    i++;
                    break;
                default:
                    output.Append(c);
                    i++;
                    break;
            }
        }
        return output.ToString();
    }

    private static int TranslateEscape(string regex, int i, bool collapsed, StringBuilder output)
    {
        if (i + 1 >= regex.Length)
            throw Unsupported(regex, "a trailing backslash");
        var next = regex[i + 1];
        switch (next)
        {
            case 'p':
                var (body, end) = CategoryBody(regex, i, collapsed);
                output.Append('[').Append(body).Append(']');
                return end;
            case 's':
                output.Append('[').Append(AsciiSpaceBody).Append(']');
                return i + 2;
            case 'S':
                output.Append("[^").Append(AsciiSpaceBody).Append(']');
                return i + 2;
            case 'd':
                output.Append("[0-9]");
                return i + 2;
            case 'D':
                output.Append("[^0-9]");
                return i + 2;
            case 'r' or 'n' or 't' or 'f' or 'v':
                output.Append('\\').Append(next);
                return i + 2;
            case 'b' or 'B' or 'w' or 'W' or 'c' or 'x' or 'u' or (>= '0' and <= '9'):
                throw Unsupported(regex, @"the escape \" + next);
            default:
                // ECMAScript identity escape: libstdc++ reads any other escaped character as itself, letters included
                // (deepseek-llm's list relies on this: its "\U00010400" is the characters U, 0, 0, ...).
                AppendLiteral(output, next);
                return i + 2;
        }
    }

    private static int TranslateClass(string regex, int i, bool collapsed, StringBuilder output)
    {
        i++; // '['
        var negated = i < regex.Length && regex[i] == '^';
        if (negated)
            i++;
        if (i < regex.Length && regex[i] == ']')
            throw Unsupported(regex, "an empty character class");

        var body = new StringBuilder();
        var astral = new List<(int Low, int High)>();
        while (true)
        {
            if (i >= regex.Length)
                throw Unsupported(regex, "an unterminated character class");
            if (regex[i] == ']')
                break;
            i = TranslateClassItem(regex, i, collapsed, body, astral);
        }
        i++; // ']'

        if (astral.Count == 0)
            output.Append(negated ? "[^" : "[").Append(body).Append(']');
        else if (negated)
            throw Unsupported(regex, "a negated character class with astral code points");
        else
            AppendWithAstral(output, body, astral);
        return i;
    }

    /// <summary>One member of a class: a category or class escape, a code point or a range.</summary>
    private static int TranslateClassItem(
        string regex, int i, bool collapsed, StringBuilder body, List<(int Low, int High)> astral)
    {
        if (regex[i] == '\\' && i + 1 < regex.Length && regex[i + 1] is 'p' or 's' or 'd' or 'S' or 'D' or 'w' or 'W')
        {
            switch (regex[i + 1])
            {
                case 'p':
                    var (categories, end) = CategoryBody(regex, i, collapsed);
                    body.Append(categories);
                    return end;
                case 's':
                    body.Append(AsciiSpaceBody);
                    return i + 2;
                case 'd':
                    body.Append("0-9");
                    return i + 2;
                default:
                    throw Unsupported(regex, @"\" + regex[i + 1] + " inside a character class");
            }
        }

        var low = ReadClassCodepoint(regex, ref i);
        var high = low;
        if (i + 1 < regex.Length && regex[i] == '-' && regex[i + 1] != ']')
        {
            i++;
            high = ReadClassCodepoint(regex, ref i);
            if (high < low)
                throw Unsupported(regex, "a reversed range");
        }

        if (low <= 0xFFFF)
            AppendRange(body, low, Math.Min(high, 0xFFFF));
        if (high > 0xFFFF)
            astral.Add((Math.Max(low, 0x10000), high));
        return i;
    }

    /// <summary>
    /// .NET classes hold UTF-16 units, so each astral range becomes "high surrogate, then a low-surrogate range"
    /// alternatives next to the class of BMP members.
    /// </summary>
    private static void AppendWithAstral(StringBuilder output, StringBuilder body, List<(int Low, int High)> astral)
    {
        output.Append("(?:");
        var first = true;
        if (body.Length > 0)
        {
            output.Append('[').Append(body).Append(']');
            first = false;
        }
        foreach (var (rangeLow, rangeHigh) in astral)
        {
            var low = char.ConvertFromUtf32(rangeLow);
            var high = char.ConvertFromUtf32(rangeHigh);
            for (int lead = low[0]; lead <= high[0]; lead++)
            {
                if (!first)
                    output.Append('|');
                first = false;
                AppendCodeUnit(output, lead);
                output.Append('[');
                AppendRange(output, lead == low[0] ? low[1] : 0xDC00, lead == high[0] ? high[1] : 0xDFFF);
                output.Append(']');
            }
        }
        output.Append(')');
    }

    private static int ReadClassCodepoint(string regex, ref int i)
    {
        var c = regex[i];
        if (c != '\\')
        {
            if (char.IsHighSurrogate(c) && i + 1 < regex.Length && char.IsLowSurrogate(regex[i + 1]))
            {
                var value = char.ConvertToUtf32(c, regex[i + 1]);
                i += 2;
                return value;
            }
            i++;
            return c;
        }

        if (i + 1 >= regex.Length)
            throw Unsupported(regex, "a trailing backslash");
        var next = regex[i + 1];
        i += 2;
        switch (next)
        {
            case 'r': return '\r';
            case 'n': return '\n';
            case 't': return '\t';
            case 'f': return '\f';
            case 'v': return '\v';
            case 'b' or 'c' or 'x' or 'u' or (>= '0' and <= '9'):
                throw Unsupported(regex, @"the escape \" + next + " inside a character class");
            default:
                return next; // identity escape, as above
        }
    }

    /// <summary>The class body for <c>\p{Name}</c> at <paramref name="i"/> and the index after its closing brace.</summary>
    private static (string Body, int End) CategoryBody(string regex, int i, bool collapsed)
    {
        var close = regex.IndexOf('}', i);
        if (close < 0 || i + 2 >= regex.Length || regex[i + 2] != '{')
            throw Unsupported(regex, @"a malformed \p{..}");
        var name = regex[(i + 3)..close];
        if (!collapsed)
            throw Unsupported(regex, @"\p{" + name + "}");
        var body = name switch
        {
            "N" => @"\u00D1\u0030-\u0039",
            "L" or "Lu" or "Ll" or "Lt" or "Lm" or "Lo" => @"\u00D2\u0041-\u005A\u0061-\u007A",
            "P" => @"\u00D3\u0021-\u0023\u0025-\u002A\u002C-\u002F\u003A-\u003B\u003F-\u0040\u005B-\u005D\u005F\u007B\u007D",
            "M" => @"\u00D4",
            "S" => @"\u00D5\u0024\u002B\u003C-\u003E\u005E\u0060\u007C",
            _ => throw Unsupported(regex, @"\p{" + name + "}"),
        };
        return (body, close + 1);
    }

    private static void AppendLiteral(StringBuilder output, char c)
    {
        if (char.IsAsciiLetterOrDigit(c))
            output.Append(c);
        else
            AppendCodeUnit(output, c);
    }

    private static void AppendRange(StringBuilder output, int low, int high)
    {
        AppendCodeUnit(output, low);
        if (high > low)
        {
            output.Append('-');
            AppendCodeUnit(output, high);
        }
    }

    private static void AppendCodeUnit(StringBuilder output, int value) =>
        output.Append(@"\u").Append(value.ToString("X4", CultureInfo.InvariantCulture));

    private static NotSupportedException Unsupported(string regex, string what) =>
        new($"Pre-tokenizer regex '{regex}' uses {what}, which the regex translator does not support.");
}
