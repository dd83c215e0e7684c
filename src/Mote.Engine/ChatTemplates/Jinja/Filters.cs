using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Jinja's built-in filters as chat templates use them, one table entry each; <c>tojson</c> is Hugging Face's override.
/// Collection filters (<c>map</c>, <c>selectattr</c>, <c>sort</c>, …) live in <c>Filters.Sequences.cs</c>.
/// </summary>
internal static partial class Filters
{
    private static readonly FrozenDictionary<string, Func<object?, CallArguments, object?>> s_filters = BuildTable();

    public static bool Exists(string name) => s_filters.ContainsKey(name);

    public static object? Apply(string name, object? value, CallArguments arguments)
    {
        if (!s_filters.TryGetValue(name, out var filter))
            throw new ChatTemplateException($"no filter named '{name}'");
        return filter(value, arguments);
    }

    private static FrozenDictionary<string, Func<object?, CallArguments, object?>> BuildTable()
    {
        var table = new Dictionary<string, Func<object?, CallArguments, object?>>(StringComparer.Ordinal)
        {
            ["trim"] = (v, a) => PyString.Strip(PyValue.ToStr(v), a.Get(0, "chars") as string),
            ["upper"] = (v, _) => PyValue.ToStr(v).ToUpperInvariant(),
            ["lower"] = (v, _) => PyValue.ToStr(v).ToLowerInvariant(),
            ["capitalize"] = (v, _) => PyString.Capitalize(PyValue.ToStr(v)),
            ["title"] = (v, _) => PyString.TitleFilter(PyValue.ToStr(v)),
            ["string"] = (v, _) => PyValue.ToStr(v),
            ["length"] = (v, _) => PyValue.Length(v),
            ["default"] = Default,
            ["replace"] = (v, a) => StringMethods.Replace(PyValue.ToStr(v), PyValue.ToStr(a.Required(0, "old", "replace")),
                PyValue.ToStr(a.Required(1, "new", "replace")), a.Get(2, "count") is { } n and not Undefined ? PyValue.ToLong(n) : -1),
            ["int"] = ToInt,
            ["float"] = ToFloat,
            ["abs"] = (v, _) => v switch
            {
                long l => (object)Math.Abs(l),
                double d => Math.Abs(d),
                bool b => b ? 1L : 0L,
                _ => throw new ChatTemplateException($"bad operand type for abs(): '{PyValue.TypeName(v)}'"),
            },
            ["round"] = Round,
            ["tojson"] = ToJson,
            ["safe"] = (v, _) => v,
            ["escape"] = (v, _) => Escape(PyValue.ToStr(v)),
            ["indent"] = Indent,
            ["wordcount"] = (v, _) => (long)PyValue.ToStr(v).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length,
            ["format"] = (v, a) => PrintfFormat(PyValue.ToStr(v), a.Positional),
            ["center"] = (v, a) => Center(PyValue.ToStr(v), (int)PyValue.ToLong(a.Get(0, "width", 80L))),
        };
        AddSequenceFilters(table);
        table["count"] = table["length"];
        table["d"] = table["default"];
        table["e"] = table["escape"];
        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static object? Default(object? value, CallArguments a)
    {
        var fallback = a.Get(0, "default_value", "");
        var boolean = PyValue.Truthy(a.Get(1, "boolean", false));
        return value is Undefined || (boolean && !PyValue.Truthy(value)) ? fallback : value;
    }

    // Jinja's int filter: int(value, base) for strings, int(value) otherwise, then int(float(value)), then the default.
    private static object? ToInt(object? value, CallArguments a)
    {
        var fallback = a.Get(0, "default", 0L);
        var radix = (int)PyValue.ToLong(a.Get(1, "base", 10L));
        switch (value)
        {
            case long or bool:
                return PyValue.ToLong(value);
            case double d:
                return double.IsFinite(d) ? (long)Math.Truncate(d) : fallback;
            case string s:
                var text = PyString.Strip(s).Replace("_", "", StringComparison.Ordinal);
                try
                {
                    if (radix == 10 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                        return parsed;
                    if (radix != 10 && text.Length > 0)
                        return Convert.ToInt64(text, radix);
                }
                catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
                {
                    return fallback;
                }
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f)
                    ? (long)Math.Truncate(f) : fallback;
            default:
                return fallback;
        }
    }

    private static object? ToFloat(object? value, CallArguments a) => value switch
    {
        long or bool or double => PyValue.ToDouble(value),
        string s when double.TryParse(PyString.Strip(s), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => a.Get(0, "default", 0.0),
    };

    private static object? Round(object? value, CallArguments a)
    {
        var x = PyValue.ToDouble(value);
        var precision = (int)PyValue.ToLong(a.Get(0, "precision", 0L));
        var method = PyValue.ToStr(a.Get(1, "method", "common"));
        var scale = Math.Pow(10, precision);
        return method switch
        {
            "common" => Math.Round(x, Math.Clamp(precision, 0, 15), MidpointRounding.ToEven),
            "ceil" => Math.Ceiling(x * scale) / scale,
            "floor" => Math.Floor(x * scale) / scale,
            _ => throw new ChatTemplateException("round(): method must be 'common', 'ceil' or 'floor'"),
        };
    }

    // Hugging Face's override: tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False).
    private static object? ToJson(object? value, CallArguments a)
    {
        var ensureAscii = PyValue.Truthy(a.Get(0, "ensure_ascii", false));
        var indent = a.Get(1, "indent") switch
        {
            null or Undefined => null,
            string s => s,
            var n => new string(' ', (int)Math.Max(0, PyValue.ToLong(n))),
        };
        string? itemSeparator = null, keySeparator = null;
        if (a.Get(2, "separators") is List<object?> { Count: 2 } separators)
        {
            itemSeparator = PyValue.ToStr(separators[0]);
            keySeparator = PyValue.ToStr(separators[1]);
        }
        var sortKeys = PyValue.Truthy(a.Get(3, "sort_keys", false));
        return PyJson.Dumps(value, indent, itemSeparator, keySeparator, sortKeys, ensureAscii);
    }

    private static string Escape(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
         .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&#34;", StringComparison.Ordinal)
         .Replace("'", "&#39;", StringComparison.Ordinal);

    private static object? Indent(object? value, CallArguments a)
    {
        var width = a.Get(0, "width", 4L);
        var indentation = width as string ?? new string(' ', (int)Math.Max(0, PyValue.ToLong(width)));
        var first = PyValue.Truthy(a.Get(1, "first", false));
        var blank = PyValue.Truthy(a.Get(2, "blank", false));
        var lines = (PyValue.ToStr(value) + "\n").Split('\n').SkipLast(1).ToList();
        string result;
        if (blank)
            result = string.Join("\n" + indentation, lines);
        else
            result = lines[0] + string.Concat(lines.Skip(1).Select(l => "\n" + (l.Length > 0 ? indentation + l : l)));
        return first ? indentation + result : result;
    }

    private static string Center(string s, int width)
    {
        if (width <= s.Length)
            return s;
        var total = width - s.Length;
        var left = (total / 2) + (total & width & 1); // CPython's centering puts the odd space on the left for odd widths
        return new string(' ', left) + s + new string(' ', total - left);
    }

    // printf-style "%s"|format(x): %s, %r, %d/%i, %f and %% are enough for templates.
    private static string PrintfFormat(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var spec = format[++i];
            if (spec == '%')
            {
                sb.Append('%');
                continue;
            }
            if (next >= args.Count)
                throw new ChatTemplateException("not enough arguments for format string");
            var arg = args[next++];
            sb.Append(spec switch
            {
                's' => PyValue.ToStr(arg),
                'r' => PyValue.Repr(arg),
                'd' or 'i' => PyValue.ToLong(arg).ToString(CultureInfo.InvariantCulture),
                'f' => PyValue.ToDouble(arg).ToString("F6", CultureInfo.InvariantCulture),
                _ => throw new ChatTemplateException($"unsupported format character '{spec}'"),
            });
        }
        return sb.ToString();
    }
}
