using System.Globalization;
using System.Text;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Splits template source into tokens the way Jinja2's lexer does under Hugging Face's settings
/// (<c>trim_blocks=True</c>, <c>lstrip_blocks=True</c>, <c>keep_trailing_newline=False</c>). Whitespace control is
/// applied here, so the parser only ever sees final template text:
/// <list type="bullet">
/// <item><c>{%-</c> / <c>{{-</c> / <c>{#-</c> strip all whitespace before the tag; <c>-%}</c> / <c>-}}</c> / <c>-#}</c> strip all after it.</item>
/// <item>trim_blocks: one newline right after a block or comment tag is dropped (not after <c>}}</c>).</item>
/// <item>lstrip_blocks: spaces and tabs from the start of a line up to a block or comment tag are dropped.</item>
/// <item><c>+</c> (<c>{%+</c>, <c>+%}</c>) turns the lstrip/trim off for that side of one tag.</item>
/// </list>
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] s_operators =
        ["//", "**", "==", "!=", ">=", "<=", "+", "-", "*", "/", "%", "~", "[", "]", "(", ")", "{", "}", "=", ".", ":", "|", ",", ";", "<", ">"];

    private readonly string _src;
    private readonly List<Token> _tokens = [];
    private readonly Stack<char> _brackets = new();
    private int _pos;
    private int _line = 1;
    private bool _lineStarting = true; // Jinja's line_starting: the last consumed character was a newline.

    private Lexer(string source) => _src = source;

    public static List<Token> Tokenize(string source)
    {
        // Jinja normalizes every newline sequence to "\n" and drops one trailing newline.
        var normalized = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (normalized.EndsWith('\n'))
            normalized = normalized[..^1];
        var lexer = new Lexer(normalized);
        lexer.Run();
        lexer._tokens.Add(new Token(TokenKind.End, "", lexer._line));
        return lexer._tokens;
    }

    private void Run()
    {
        while (_pos < _src.Length)
        {
            var tag = FindTagStart(_pos);
            if (tag < 0)
            {
                EmitText(_src[_pos..], _line);
                Advance(_src.Length);
                break;
            }

            var kind = _src[tag + 1];
            var sign = tag + 2 < _src.Length && _src[tag + 2] is '-' or '+' ? _src[tag + 2] : '\0';
            var text = _src[_pos..tag];
            if (sign == '-')
                text = PyString.RStrip(text);
            else if (sign != '+' && kind != '{')
                text = LStripBlock(text);
            EmitText(text, _line);
            Advance(tag + 2 + (sign == '\0' ? 0 : 1));

            switch (kind)
            {
                case '#': LexComment(); break;
                case '{': LexTag(isBlock: false); break;
                default:
                    if (!TryLexRaw())
                        LexTag(isBlock: true);
                    break;
            }
        }
    }

    private int FindTagStart(int from)
    {
        for (var i = _src.IndexOf('{', from); i >= 0 && i + 1 < _src.Length; i = _src.IndexOf('{', i + 1))
        {
            if (_src[i + 1] is '{' or '%' or '#')
                return i;
        }
        return -1;
    }

    // lstrip_blocks: drop whitespace between the last newline (or the start of a line) and a block tag.
    private string LStripBlock(string text)
    {
        var lineStart = text.LastIndexOf('\n') + 1;
        if (lineStart == text.Length || (lineStart == 0 && !_lineStarting))
            return text;
        for (var i = lineStart; i < text.Length; i++)
        {
            if (!PyString.IsSpace(text[i]))
                return text;
        }
        return text[..lineStart];
    }

    private void LexComment()
    {
        var end = _src.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (end < 0)
            throw Error("unterminated comment: '{#' without '#}'");
        var sign = end > _pos && _src[end - 1] is '-' or '+' ? _src[end - 1] : '\0';
        Advance(end + 2);
        AfterTagEnd(sign, isBlock: true);
    }

    private void LexTag(bool isBlock)
    {
        _tokens.Add(new Token(isBlock ? TokenKind.BlockBegin : TokenKind.VariableBegin, isBlock ? "{%" : "{{", _line));
        var close = isBlock ? '%' : '}';
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _src.Length)
                throw Error($"unexpected end of template: missing '{close}}}'");
            if (_brackets.Count == 0 && TryTagEnd(close, out var sign))
            {
                _tokens.Add(new Token(isBlock ? TokenKind.BlockEnd : TokenKind.VariableEnd, isBlock ? "%}" : "}}", _line));
                AfterTagEnd(sign, isBlock);
                return;
            }
            LexExpressionToken();
        }
    }

    private bool TryTagEnd(char close, out char sign)
    {
        sign = '\0';
        var at = _pos;
        if (_src[at] is '-' or '+')
        {
            sign = _src[at];
            at++;
        }
        if (at + 1 < _src.Length && _src[at] == close && _src[at + 1] == '}')
        {
            // "-}" after a variable could also be minus followed by a closing brace; Jinja reads it as the tag end too.
            Advance(at + 2);
            return true;
        }
        sign = '\0';
        return false;
    }

    private void AfterTagEnd(char sign, bool isBlock)
    {
        if (sign == '-')
        {
            var end = _pos;
            while (end < _src.Length && PyString.IsSpace(_src[end]))
                end++;
            Advance(end);
        }
        else if (sign != '+' && isBlock && _pos < _src.Length && _src[_pos] == '\n')
        {
            Advance(_pos + 1); // trim_blocks
        }
        _lineStarting = _pos > 0 && _src[_pos - 1] == '\n';
    }

    // {% raw %}...{% endraw %}: everything in between is text, tags included.
    private bool TryLexRaw()
    {
        var at = _pos;
        while (at < _src.Length && PyString.IsSpace(_src[at]))
            at++;
        if (string.CompareOrdinal(_src, at, "raw", 0, 3) != 0)
            return false;
        at += 3;
        while (at < _src.Length && PyString.IsSpace(_src[at]))
            at++;
        var strip = at < _src.Length && _src[at] == '-';
        if (strip)
            at++;
        if (at + 1 >= _src.Length || _src[at] != '%' || _src[at + 1] != '}')
            return false;
        Advance(at + 2);
        if (strip)
            AfterTagEnd('-', isBlock: true);

        var search = _pos;
        while (true)
        {
            var open = _src.IndexOf("{%", search, StringComparison.Ordinal);
            if (open < 0)
                throw Error("unterminated raw block: missing '{% endraw %}'");
            var p = open + 2;
            var sign = p < _src.Length && _src[p] is '-' or '+' ? _src[p++] : '\0';
            while (p < _src.Length && PyString.IsSpace(_src[p]))
                p++;
            if (string.CompareOrdinal(_src, p, "endraw", 0, 6) == 0)
            {
                p += 6;
                while (p < _src.Length && PyString.IsSpace(_src[p]))
                    p++;
                var endSign = p < _src.Length && _src[p] is '-' or '+' ? _src[p++] : '\0';
                if (p + 1 < _src.Length && _src[p] == '%' && _src[p + 1] == '}')
                {
                    var text = _src[_pos..open];
                    EmitText(sign == '-' ? PyString.RStrip(text) : text, _line);
                    Advance(p + 2);
                    AfterTagEnd(endSign, isBlock: true);
                    return true;
                }
            }
            search = open + 2;
        }
    }

    private void LexExpressionToken()
    {
        var c = _src[_pos];
        var line = _line;
        if (char.IsAsciiLetter(c) || c == '_')
        {
            var end = _pos + 1;
            while (end < _src.Length && (char.IsAsciiLetterOrDigit(_src[end]) || _src[end] == '_'))
                end++;
            _tokens.Add(new Token(TokenKind.Name, _src[_pos..end], line));
            Advance(end);
        }
        else if (char.IsAsciiDigit(c))
        {
            LexNumber();
        }
        else if (c is '\'' or '"')
        {
            LexString(c);
        }
        else
        {
            foreach (var op in s_operators)
            {
                if (string.CompareOrdinal(_src, _pos, op, 0, op.Length) != 0)
                    continue;
                TrackBracket(op[0]);
                _tokens.Add(new Token(TokenKind.Operator, op, line));
                Advance(_pos + op.Length);
                return;
            }
            throw Error($"unexpected character '{c}'");
        }
    }

    private void TrackBracket(char c)
    {
        switch (c)
        {
            case '(' or '[' or '{':
                _brackets.Push(c);
                break;
            case ')' or ']' or '}':
                var expected = c switch { ')' => '(', ']' => '[', _ => '{' };
                if (_brackets.Count == 0 || _brackets.Pop() != expected)
                    throw Error($"unexpected '{c}'");
                break;
        }
    }

    private void LexNumber()
    {
        var start = _pos;
        var end = SkipDigits(_pos);
        var isFloat = false;
        if (end + 1 < _src.Length && _src[end] == '.' && char.IsAsciiDigit(_src[end + 1]))
        {
            end = SkipDigits(end + 1);
            isFloat = true;
        }
        if (end < _src.Length && _src[end] is 'e' or 'E')
        {
            var exp = end + 1;
            if (exp < _src.Length && _src[exp] is '+' or '-')
                exp++;
            if (exp < _src.Length && char.IsAsciiDigit(_src[exp]))
            {
                end = SkipDigits(exp);
                isFloat = true;
            }
        }
        var text = _src[start..end].Replace("_", "", StringComparison.Ordinal);
        _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text, _line));
        Advance(end);
    }

    private int SkipDigits(int at)
    {
        while (at < _src.Length && (char.IsAsciiDigit(_src[at]) || (_src[at] == '_' && at + 1 < _src.Length && char.IsAsciiDigit(_src[at + 1]))))
            at++;
        return at;
    }

    private void LexString(char quote)
    {
        var line = _line;
        var sb = new StringBuilder();
        var i = _pos + 1;
        while (true)
        {
            if (i >= _src.Length)
                throw Error("unterminated string literal");
            var c = _src[i];
            if (c == quote)
                break;
            if (c != '\\' || i + 1 >= _src.Length)
            {
                sb.Append(c);
                i++;
                continue;
            }
            i = Unescape(i + 1, sb);
        }
        _tokens.Add(new Token(TokenKind.String, sb.ToString(), line));
        Advance(i + 1);
    }

    // Python "unicode-escape" decoding, which is what Jinja applies to string literals.
    private int Unescape(int i, StringBuilder sb)
    {
        var c = _src[i];
        switch (c)
        {
            case '\n': return i + 1; // backslash-newline continues the line
            case '\\': sb.Append('\\'); return i + 1;
            case '\'': sb.Append('\''); return i + 1;
            case '"': sb.Append('"'); return i + 1;
            case 'n': sb.Append('\n'); return i + 1;
            case 't': sb.Append('\t'); return i + 1;
            case 'r': sb.Append('\r'); return i + 1;
            case 'a': sb.Append('\a'); return i + 1;
            case 'b': sb.Append('\b'); return i + 1;
            case 'f': sb.Append('\f'); return i + 1;
            case 'v': sb.Append('\v'); return i + 1;
            case 'x': return AppendHex(i, 2, sb);
            case 'u': return AppendHex(i, 4, sb);
            case 'U': return AppendHex(i, 8, sb);
        }
        if (c is >= '0' and <= '7')
        {
            var end = i;
            while (end < _src.Length && end < i + 3 && _src[end] is >= '0' and <= '7')
                end++;
            sb.Append((char)Convert.ToInt32(_src[i..end], 8));
            return end;
        }
        sb.Append('\\').Append(c); // unknown escapes keep their backslash
        return i + 1;
    }

    private int AppendHex(int i, int digits, StringBuilder sb)
    {
        var start = i + 1;
        if (start + digits > _src.Length
            || !int.TryParse(_src.AsSpan(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code > 0x10FFFF)
            throw Error($"truncated \\{_src[i]} escape in string literal");
        if (code is >= 0xD800 and <= 0xDFFF)
            sb.Append((char)code);
        else
            sb.Append(char.ConvertFromUtf32(code));
        return start + digits;
    }

    private void SkipWhitespace()
    {
        var end = _pos;
        while (end < _src.Length && PyString.IsSpace(_src[end]))
            end++;
        Advance(end);
    }

    private void Advance(int to)
    {
        for (var i = _pos; i < to; i++)
        {
            if (_src[i] == '\n')
                _line++;
        }
        _pos = to;
    }

    private void EmitText(string text, int line)
    {
        if (text.Length > 0)
            _tokens.Add(new Token(TokenKind.Text, text, line));
    }

    private ChatTemplateException Error(string message) => new($"line {_line}: {message}", _line);
}
