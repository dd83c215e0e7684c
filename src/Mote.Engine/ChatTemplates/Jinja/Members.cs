using System.Text;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// <c>obj.name</c>, <c>obj[key]</c> and <c>obj[a:b:c]</c> as Jinja resolves them: attribute lookup falls back to items
/// and items fall back to attributes, so <c>message.role</c> and <c>message['role']</c> agree, while <c>dict.items</c>
/// is the method. Anything missing is <see cref="Undefined"/>.
/// </summary>
internal static class Members
{
    public static object? GetAttribute(object? target, string name) => target switch
    {
        PyDict dict => (object?)DictMethods.Bind(dict, name) ?? dict.GetOrUndefined(name, name),
        string s => (object?)StringMethods.Bind(s, name) ?? new Undefined(name),
        Namespace ns => ns.Attributes.TryGetValue(name, out var value) ? value : new Undefined(name),
        LoopContext loop => loop.GetAttribute(name),
        Undefined u => new Undefined(u.Name is null ? name : u.Name + "." + name),
        _ => new Undefined(name),
    };

    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case PyDict dict:
                if (key is not null && dict.TryGetValue(key, out var value))
                    return value;
                return key is string name ? GetAttribute(dict, name) : new Undefined(PyValue.Repr(key));
            case List<object?> list when key is long or bool:
                var index = PyValue.ToLong(key);
                if (index < 0)
                    index += list.Count;
                return index >= 0 && index < list.Count ? list[(int)index] : new Undefined($"[{PyValue.ToLong(key)}]");
            case string s when key is long or bool:
                var chars = s.Length == PyValue.CodePointCount(s) ? null : PyValue.Characters(s).ToList();
                var count = chars?.Count ?? s.Length;
                var at = PyValue.ToLong(key);
                if (at < 0)
                    at += count;
                if (at < 0 || at >= count)
                    return new Undefined($"[{PyValue.ToLong(key)}]");
                return chars is null ? s[(int)at].ToString() : chars[(int)at];
            case Undefined u:
                return new Undefined($"{u.Name}[{PyValue.Repr(key)}]");
            default:
                return key is string attribute ? GetAttribute(target, attribute) : new Undefined(PyValue.Repr(key));
        }
    }

    /// <summary>Python slicing with negative indices and steps (<c>[::-1]</c> reverses).</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        List<object?> items;
        string? text = null;
        switch (target)
        {
            case List<object?> list:
                items = list;
                break;
            case string s:
                text = s;
                items = PyValue.Characters(s).ToList();
                break;
            case Undefined:
                return new Undefined(null);
            default:
                throw new ChatTemplateException($"'{PyValue.TypeName(target)}' object is not subscriptable");
        }
        var stride = step is null or Undefined ? 1 : PyValue.ToLong(step);
        if (stride == 0)
            throw new ChatTemplateException("slice step cannot be zero");
        long length = items.Count;
        var (lower, upper) = stride > 0 ? (0L, length) : (-1L, length - 1);
        var from = Bound(start, stride > 0 ? lower : upper, length, lower, upper);
        var to = Bound(stop, stride > 0 ? upper : lower, length, lower, upper);

        var result = new List<object?>();
        for (var i = from; stride > 0 ? i < to : i > to; i += stride)
            result.Add(items[(int)i]);
        if (text is null)
            return result;
        var sb = new StringBuilder();
        foreach (var c in result)
            sb.Append((string)c!);
        return sb.ToString();
    }

    private static long Bound(object? value, long fallback, long length, long lower, long upper)
    {
        if (value is null or Undefined)
            return fallback;
        var v = PyValue.ToLong(value);
        if (v < 0)
        {
            v += length;
            return v < lower ? lower : v;
        }
        return v > upper ? upper : v;
    }
}
