namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>The <c>str</c> methods templates call (<c>content.strip()</c>, <c>role.title()</c>, <c>text.split('\n')</c>, …).</summary>
internal static class StringMethods
{
    public static Callable? Bind(string s, string name)
    {
        Func<CallArguments, object?>? body = name switch
        {
            "strip" => a => PyString.Strip(s, Chars(a)),
            "lstrip" => a => PyString.LStrip(s, Chars(a)),
            "rstrip" => a => PyString.RStrip(s, Chars(a)),
            "upper" => _ => s.ToUpperInvariant(),
            "lower" => _ => s.ToLowerInvariant(),
            "title" => _ => PyString.Title(s),
            "capitalize" => _ => PyString.Capitalize(s),
            "swapcase" => _ => string.Concat(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c))),
            "startswith" => a => Affix(s, a.Required(0, "prefix", "startswith"), start: true),
            "endswith" => a => Affix(s, a.Required(0, "suffix", "endswith"), start: false),
            "split" => a => PyString.Split(s, Separator(a), MaxSplit(a)),
            "rsplit" => a => RSplit(s, Separator(a), MaxSplit(a)),
            "splitlines" => _ => SplitLines(s),
            "replace" => a => Replace(s, Text(a.Required(0, "old", "replace")), Text(a.Required(1, "new", "replace")), PyValue.ToLong(a.Get(2, "count", -1L))),
            "find" => a => (long)s.IndexOf(Text(a.Required(0, "sub", "find")), StringComparison.Ordinal),
            "rfind" => a => (long)s.LastIndexOf(Text(a.Required(0, "sub", "rfind")), StringComparison.Ordinal),
            "index" => a => s.IndexOf(Text(a.Required(0, "sub", "index")), StringComparison.Ordinal) is var i and >= 0
                ? (long)i : throw new ChatTemplateException("substring not found"),
            "count" => a => CountOf(s, Text(a.Required(0, "sub", "count"))),
            "join" => a => string.Join(s, PyValue.Iterate(a.Required(0, "iterable", "join")).Select(PyValue.ToStr)),
            "isdigit" => _ => s.Length > 0 && s.All(char.IsDigit),
            "isalpha" => _ => s.Length > 0 && s.All(char.IsLetter),
            "isalnum" => _ => s.Length > 0 && s.All(char.IsLetterOrDigit),
            "isspace" => _ => s.Length > 0 && s.All(PyString.IsSpace),
            "islower" => _ => s.Any(char.IsLower) && !s.Any(char.IsUpper),
            "isupper" => _ => s.Any(char.IsUpper) && !s.Any(char.IsLower),
            _ => null,
        };
        return body is null ? null : new Callable("str." + name, body);
    }

    private static List<object?> SplitLines(string s)
    {
        var lines = new List<object?>();
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] is not ('\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029'))
                continue;
            lines.Add(s[start..i]);
            if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
                i++;
            start = i + 1;
        }
        if (start < s.Length)
            lines.Add(s[start..]);
        return lines;
    }

    private static string? Chars(CallArguments a) => a.Get(0, "chars") is string chars ? chars : null;

    private static string? Separator(CallArguments a) => a.Get(0, "sep") is string sep ? sep : null;

    private static long MaxSplit(CallArguments a) => a.Get(1, "maxsplit") is { } max and not Undefined ? PyValue.ToLong(max) : -1;

    private static string Text(object? value) =>
        value as string ?? throw new ChatTemplateException($"expected a string argument, got {PyValue.TypeName(value)}");

    private static bool Affix(string s, object? affix, bool start)
    {
        var candidates = affix is List<object?> tuple ? tuple : [affix];
        foreach (var candidate in candidates)
        {
            var text = Text(candidate);
            if (start ? s.StartsWith(text, StringComparison.Ordinal) : s.EndsWith(text, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private static List<object?> RSplit(string s, string? separator, long maxSplit)
    {
        if (maxSplit < 0 || separator is null)
            return PyString.Split(s, separator, maxSplit);
        var parts = new List<object?>();
        var end = s.Length;
        while (parts.Count < maxSplit)
        {
            var at = end == 0 ? -1 : s.LastIndexOf(separator, end - 1, StringComparison.Ordinal);
            if (at < 0 || at + separator.Length > end)
                break;
            parts.Insert(0, s[(at + separator.Length)..end]);
            end = at;
        }
        parts.Insert(0, s[..end]);
        return parts;
    }

    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0)
            return old.Length == 0 ? InsertBetweenAll(s, replacement) : s.Replace(old, replacement, StringComparison.Ordinal);
        var result = s;
        var from = 0;
        for (var n = 0; n < count; n++)
        {
            var at = result.IndexOf(old, from, StringComparison.Ordinal);
            if (at < 0)
                break;
            result = string.Concat(result.AsSpan(0, at), replacement, result.AsSpan(at + old.Length));
            from = at + replacement.Length + (old.Length == 0 ? 1 : 0);
            if (from > result.Length)
                break;
        }
        return result;
    }

    private static string InsertBetweenAll(string s, string insert) =>
        insert + string.Concat(s.Select(c => c + insert));

    private static long CountOf(string s, string sub)
    {
        if (sub.Length == 0)
            return PyValue.CodePointCount(s) + 1;
        long n = 0;
        for (var at = s.IndexOf(sub, StringComparison.Ordinal); at >= 0; at = s.IndexOf(sub, at + sub.Length, StringComparison.Ordinal))
            n++;
        return n;
    }
}

/// <summary>The <c>dict</c> methods templates call: <c>items()</c>, <c>keys()</c>, <c>values()</c>, <c>get(key, default)</c>.</summary>
internal static class DictMethods
{
    public static Callable? Bind(PyDict dict, string name)
    {
        Func<CallArguments, object?>? body = name switch
        {
            "items" => _ => dict.Select(p => (object?)new PyTuple([p.Key, p.Value])).ToList(),
            "keys" => _ => dict.Keys.Select(k => (object?)k).ToList(),
            "values" => _ => dict.Values.ToList(),
            "get" => a =>
            {
                var key = a.Required(0, "key", "get");
                return key is not null && dict.TryGetValue(key, out var value) ? value : a.Get(1, "default");
            },
            _ => null,
        };
        return body is null ? null : new Callable("dict." + name, body);
    }
}
