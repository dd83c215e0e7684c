using System.Globalization;
using System.Text;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Python's <c>json.dumps</c>, which is what Hugging Face's <c>tojson</c> filter calls:
/// <c>json.dumps(x, ensure_ascii=False, indent=indent, separators=separators, sort_keys=sort_keys)</c>.
/// Without an indent the separators are <c>", "</c> and <c>": "</c>; with one, <c>","</c> and <c>": "</c> and each
/// item on its own line. Keys keep insertion order; non-ASCII text is kept as is.
/// </summary>
internal static class PyJson
{
    public static string Dumps(object? value, string? indent = null, string? itemSeparator = null, string? keySeparator = null,
        bool sortKeys = false, bool ensureAscii = false)
    {
        var writer = new Writer(indent, itemSeparator ?? (indent is null ? ", " : ","), keySeparator ?? ": ", sortKeys, ensureAscii);
        writer.Write(value, 0);
        return writer.ToString();
    }

    private sealed class Writer(string? indent, string itemSeparator, string keySeparator, bool sortKeys, bool ensureAscii)
    {
        private readonly StringBuilder _sb = new();

        public override string ToString() => _sb.ToString();

        public void Write(object? value, int level)
        {
            switch (value)
            {
                case null: _sb.Append("null"); break;
                case bool b: _sb.Append(b ? "true" : "false"); break;
                case long l: _sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
                case double d: _sb.Append(Number(d)); break;
                case string s: WriteString(s); break;
                case List<object?> list: WriteList(list, level); break;
                case PyDict dict: WriteDict(dict, level); break;
                default:
                    throw new ChatTemplateException($"Object of type {PyValue.TypeName(value)} is not JSON serializable");
            }
        }

        private static string Number(double d) =>
            double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyValue.FormatFloat(d);

        private void WriteList(List<object?> list, int level)
        {
            if (list.Count == 0)
            {
                _sb.Append("[]");
                return;
            }
            _sb.Append('[');
            for (var i = 0; i < list.Count; i++)
            {
                Separate(i, level + 1);
                Write(list[i], level + 1);
            }
            NewLine(level);
            _sb.Append(']');
        }

        private void WriteDict(PyDict dict, int level)
        {
            if (dict.Count == 0)
            {
                _sb.Append("{}");
                return;
            }
            IEnumerable<KeyValuePair<string, object?>> pairs = dict.Select(p => new KeyValuePair<string, object?>(Key(p.Key), p.Value));
            if (sortKeys)
                pairs = pairs.OrderBy(p => p.Key, StringComparer.Ordinal);
            _sb.Append('{');
            var i = 0;
            foreach (var (key, item) in pairs)
            {
                Separate(i++, level + 1);
                WriteString(key);
                _sb.Append(keySeparator);
                Write(item, level + 1);
            }
            NewLine(level);
            _sb.Append('}');
        }

        private static string Key(object key) => key switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => Number(d),
            _ => throw new ChatTemplateException($"keys must be str, int, float, bool or None, not {PyValue.TypeName(key)}"),
        };

        private void Separate(int index, int level)
        {
            if (index > 0)
                _sb.Append(itemSeparator);
            NewLine(level);
        }

        private void NewLine(int level)
        {
            if (indent is null)
                return;
            _sb.Append('\n');
            for (var i = 0; i < level; i++)
                _sb.Append(indent);
        }

        private void WriteString(string s)
        {
            _sb.Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': _sb.Append("\\\""); break;
                    case '\\': _sb.Append("\\\\"); break;
                    case '\n': _sb.Append("\\n"); break;
                    case '\r': _sb.Append("\\r"); break;
                    case '\t': _sb.Append("\\t"); break;
                    case '\b': _sb.Append("\\b"); break;
                    case '\f': _sb.Append("\\f"); break;
                    default:
                        if (c < ' ' || (ensureAscii && c > '~'))
                            _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else
                            _sb.Append(c);
                        break;
                }
            }
            _sb.Append('"');
        }
    }
}
