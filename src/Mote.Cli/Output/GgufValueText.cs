using System.Globalization;
using System.Text;
using Mote.Gguf;

namespace Mote.Cli.Output;

/// <summary>
/// Short, readable renderings of GGUF metadata values for people: type names as gguf-py prints them, quoted
/// and escaped strings, and long arrays summarised as <c>[string × 32000] "&lt;unk&gt;", "&lt;s&gt;", "&lt;/s&gt;", …</c>.
/// </summary>
internal static class GgufValueText
{
    /// <summary>Array elements shown before the ellipsis.</summary>
    public const int ArrayHead = 3;

    /// <summary>Characters of a string shown before it is cut.</summary>
    public const int MaxStringChars = 60;

    public static string TypeName(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => "uint8",
        GgufValueType.Int8 => "int8",
        GgufValueType.UInt16 => "uint16",
        GgufValueType.Int16 => "int16",
        GgufValueType.UInt32 => "uint32",
        GgufValueType.Int32 => "int32",
        GgufValueType.Float32 => "float32",
        GgufValueType.Bool => "bool",
        GgufValueType.String => "string",
        GgufValueType.Array => "array",
        GgufValueType.UInt64 => "uint64",
        GgufValueType.Int64 => "int64",
        GgufValueType.Float64 => "float64",
        _ => type.ToString(),
    };

    /// <summary>The type column: <c>uint32</c>, <c>string</c>, <c>array[string]</c>.</summary>
    public static string TypeOf(GgufValue value) =>
        value.IsArray ? $"array[{TypeName(value.ElementType)}]" : TypeName(value.Type);

    /// <summary>The value column.</summary>
    public static string Format(GgufValue value) => value.IsArray ? FormatArray(value) : FormatScalar(value.Value);

    private static string FormatArray(GgufValue array)
    {
        var length = array.ArrayLength;
        var text = new StringBuilder();
        text.Append('[').Append(TypeName(array.ElementType)).Append(" × ").Append(length).Append(']');
        var shown = Math.Min(length, ArrayHead);
        for (var i = 0; i < shown; i++)
        {
            text.Append(i == 0 ? " " : ", ");
            var element = array.GetElement(i);
            text.Append(element is GgufValue nested ? Format(nested) : FormatScalar(element));
        }
        if (length > shown)
            text.Append(", …");
        return text.ToString();
    }

    private static string FormatScalar(object value) => value switch
    {
        string s => Quote(s),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>A string in double quotes with control characters escaped, cut after <see cref="MaxStringChars"/>.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxStringChars) + 4);
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]);
            if (i >= MaxStringChars && !paired)
            {
                builder.Append('…');
                break;
            }
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                // A byte that was not valid UTF-8 (the reader keeps it as an unpaired U+DC80..U+DCFF).
                case >= '\uDC80' and <= '\uDCFF' when !paired:
                    builder.Append(CultureInfo.InvariantCulture, $"\\x{c - 0xDC00:X2}");
                    break;
                case < ' ': builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"); break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }
}
