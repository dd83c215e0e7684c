using System.Globalization;
using System.Text;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Python semantics for the runtime values templates see. A value is one of: <c>null</c> (None), <see cref="Undefined"/>,
/// <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <see cref="List{T}"/> of values
/// (lists and tuples), <see cref="PyDict"/>, <see cref="Namespace"/>, <see cref="LoopContext"/> or <see cref="Callable"/>.
/// </summary>
internal static class PyValue
{
    public static bool Truthy(object? value) => value switch
    {
        null or Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        PyDict dict => dict.Count > 0,
        _ => true,
    };

    /// <summary>Python <c>str(value)</c>; what <c>{{ value }}</c> renders (undefined renders as nothing).</summary>
    public static string ToStr(object? value) => value switch
    {
        string s => s,
        Undefined => "",
        _ => Repr(value),
    };

    /// <summary>Python <c>repr(value)</c>, used for values nested in rendered lists and dicts.</summary>
    public static string Repr(object? value)
    {
        switch (value)
        {
            case null: return "None";
            case Undefined: return "";
            case bool b: return b ? "True" : "False";
            case long l: return l.ToString(CultureInfo.InvariantCulture);
            case double d: return FormatFloat(d);
            case string s: return PyString.Repr(s);
            case PyTuple tuple:
                return tuple.Count == 1 ? "(" + Repr(tuple[0]) + ",)" : "(" + string.Join(", ", tuple.Select(Repr)) + ")";
            case List<object?> list:
                return "[" + string.Join(", ", list.Select(Repr)) + "]";
            case PyDict dict:
                return "{" + string.Join(", ", dict.Select(p => Repr(p.Key) + ": " + Repr(p.Value))) + "}";
            case Namespace ns:
                return "<Namespace " + string.Join(", ", ns.Attributes.Select(p => p.Key + "=" + Repr(p.Value))) + ">";
            case Callable c: return $"<function {c.Name}>";
            case LoopContext: return "<LoopContext>";
            default: return value.ToString() ?? "";
        }
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, exponent form below 1e-4 and from 1e16.</summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d))
            return "nan";
        if (double.IsInfinity(d))
            return d > 0 ? "inf" : "-inf";
        if (d == 0)
            return double.IsNegative(d) ? "-0.0" : "0.0";

        var r = d.ToString("R", CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        if (negative)
            r = r[1..];
        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }
        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? r : r.Remove(dot, 1);
        var integerDigits = dot < 0 ? r.Length : dot;
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
            leadingZeros++;
        digits = digits[leadingZeros..].TrimEnd('0');
        if (digits.Length == 0)
            digits = "0";
        var sciExponent = integerDigits - leadingZeros - 1 + exponent; // value = d.ddd × 10^sciExponent

        var sb = new StringBuilder();
        if (negative)
            sb.Append('-');
        if (sciExponent is < -4 or >= 16)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('e').Append(sciExponent < 0 ? '-' : '+').Append(Math.Abs(sciExponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (sciExponent < 0)
        {
            sb.Append("0.").Append('0', -sciExponent - 1).Append(digits);
        }
        else
        {
            var whole = sciExponent + 1;
            sb.Append(digits.Length >= whole ? digits[..whole] : digits + new string('0', whole - digits.Length));
            sb.Append('.').Append(digits.Length > whole ? digits[whole..] : "0");
        }
        return sb.ToString();
    }

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        Undefined => "Undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        PyTuple => "tuple",
        List<object?> => "list",
        PyDict => "dict",
        Namespace => "Namespace",
        LoopContext => "LoopContext",
        Callable => "function",
        _ => value.GetType().Name,
    };

    public static bool IsNumber(object? value) => value is long or double or bool;

    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new ChatTemplateException($"expected a number, got {TypeName(value)}"),
    };

    /// <summary>Python <c>==</c> (numbers compare by value across int, float and bool; containers compare deeply).</summary>
    public static bool AreEqual(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
            return a is double || b is double ? ToDouble(a) == ToDouble(b) : ToLong(a) == ToLong(b);
        switch (a)
        {
            case null: return b is null;
            case Undefined: return b is Undefined;
            case string s: return b is string t && string.Equals(s, t, StringComparison.Ordinal);
            case List<object?> x:
                if (b is not List<object?> y || x.Count != y.Count || (x is PyTuple) != (y is PyTuple))
                    return false;
                for (var i = 0; i < x.Count; i++)
                {
                    if (!AreEqual(x[i], y[i]))
                        return false;
                }
                return true;
            case PyDict d:
                if (b is not PyDict e || d.Count != e.Count)
                    return false;
                foreach (var (key, value) in d)
                {
                    if (!e.TryGetValue(key, out var other) || !AreEqual(value, other))
                        return false;
                }
                return true;
            default:
                return ReferenceEquals(a, b);
        }
    }

    /// <summary>Python ordering (<c>&lt;</c> and friends): numbers, strings by code point, lists lexicographically.</summary>
    public static int Compare(object? a, object? b, string op)
    {
        if (IsNumber(a) && IsNumber(b))
            return a is double || b is double ? ToDouble(a).CompareTo(ToDouble(b)) : ToLong(a).CompareTo(ToLong(b));
        if (a is string s && b is string t)
            return Math.Sign(string.CompareOrdinal(s, t));
        if (a is List<object?> x && b is List<object?> y)
        {
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                if (!AreEqual(x[i], y[i]))
                    return Compare(x[i], y[i], op);
            }
            return x.Count.CompareTo(y.Count);
        }
        if (a is Undefined u)
            throw u.Fail();
        if (b is Undefined v)
            throw v.Fail();
        throw new ChatTemplateException($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    public static long ToLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => (long)d,
        _ => throw new ChatTemplateException($"expected an integer, got {TypeName(value)}"),
    };

    /// <summary>Python iteration: lists, a dict's keys, a string's characters; undefined iterates as empty.</summary>
    public static List<object?> Iterate(object? value) => value switch
    {
        List<object?> list => list,
        PyDict dict => [.. dict.Keys],
        string s => [.. Characters(s)],
        Undefined => [],
        _ => throw new ChatTemplateException($"'{TypeName(value)}' object is not iterable"),
    };

    /// <summary>A string's characters as Python sees them: one per Unicode code point.</summary>
    public static IEnumerable<object?> Characters(string s)
    {
        foreach (var rune in s.EnumerateRunes())
            yield return rune.ToString();
    }

    public static long Length(object? value) => value switch
    {
        string s => CodePointCount(s),
        List<object?> list => list.Count,
        PyDict dict => dict.Count,
        Undefined => 0,
        Namespace ns => ns.Attributes.Count,
        _ => throw new ChatTemplateException($"object of type '{TypeName(value)}' has no len()"),
    };

    public static int CodePointCount(string s)
    {
        var count = s.Length;
        foreach (var c in s)
        {
            if (char.IsLowSurrogate(c))
                count--;
        }
        return count;
    }

    /// <summary>Python <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string s:
                return item is string t
                    ? s.Contains(t, StringComparison.Ordinal)
                    : throw new ChatTemplateException($"'in <string>' requires string as left operand, not {TypeName(item)}");
            case List<object?> list:
                return list.Exists(x => AreEqual(x, item));
            case PyDict dict:
                return item is not null && dict.ContainsKey(item);
            case Namespace ns:
                return item is string key && ns.Attributes.ContainsKey(key);
            case Undefined:
                return false;
            default:
                throw new ChatTemplateException($"argument of type '{TypeName(container)}' is not iterable");
        }
    }
}
