using System.Text;
using System.Text.Json;
using Mote.Gguf;

namespace Mote.Cli.Output;

/// <summary>
/// <c>mote info --json</c>: one JSON object describing a GGUF file.
/// <code>
/// {"file": "...", "version": 3, "alignment": 32, "data_offset": 14176,
///  "metadata": {"general.architecture": "llama", "llama.context_length": 512,
///               "tokenizer.ggml.tokens": {"type": "array", "element_type": "string", "count": 512,
///                                         "head": ["&lt;unk&gt;", "&lt;s&gt;", "&lt;/s&gt;"]}},
///  "tensors": [{"name": "token_embd.weight", "type": "F32", "shape": [64, 512], "offset": 0, "bytes": 131072}],
///  "totals": {"tensors": 48, "elements": 292800, "bytes": 1171200}}
/// </code>
/// Scalars are plain JSON values (non-finite floats as the strings "NaN", "Infinity", "-Infinity"); arrays of up
/// to <see cref="MaxInlineArray"/> elements are JSON arrays; longer ones are summarised with their first elements.
/// Bytes that were not valid UTF-8 in a string appear as U+FFFD.
/// </summary>
internal static class GgufInfoJson
{
    public const int MaxInlineArray = 16;

    public static void Write(GgufFile file, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            // Readable tokens ("<s>", "▁the") rather than \u escapes; the output is never embedded in HTML.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("file", file.Path);
            json.WriteNumber("version", file.Version);
            json.WriteNumber("alignment", file.Alignment);
            json.WriteNumber("data_offset", file.DataOffset);

            json.WriteStartObject("metadata");
            foreach (var (key, value) in file.Metadata.Entries)
            {
                json.WritePropertyName(Sanitize(key));
                WriteValue(json, value);
            }
            json.WriteEndObject();

            long elements = 0, bytes = 0;
            json.WriteStartArray("tensors");
            foreach (var tensor in file.Tensors)
            {
                json.WriteStartObject();
                json.WriteString("name", Sanitize(tensor.Name));
                json.WriteString("type", tensor.Type.ToString());
                json.WriteStartArray("shape");
                foreach (var dim in tensor.Shape)
                    json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteNumber("offset", tensor.Offset);
                json.WriteNumber("bytes", tensor.ByteSize);
                json.WriteEndObject();
                elements += tensor.ElementCount;
                bytes += tensor.ByteSize;
            }
            json.WriteEndArray();

            json.WriteStartObject("totals");
            json.WriteNumber("tensors", file.Tensors.Count);
            json.WriteNumber("elements", elements);
            json.WriteNumber("bytes", bytes);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteValue(Utf8JsonWriter json, GgufValue value)
    {
        if (!value.IsArray)
        {
            WriteScalar(json, value.Value);
            return;
        }
        var length = value.ArrayLength;
        if (length <= MaxInlineArray)
        {
            WriteElements(json, value, length);
            return;
        }
        json.WriteStartObject();
        json.WriteString("type", "array");
        json.WriteString("element_type", GgufValueText.TypeName(value.ElementType));
        json.WriteNumber("count", length);
        json.WritePropertyName("head");
        WriteElements(json, value, GgufValueText.ArrayHead);
        json.WriteEndObject();
    }

    private static void WriteElements(Utf8JsonWriter json, GgufValue array, int count)
    {
        json.WriteStartArray();
        for (var i = 0; i < count; i++)
        {
            var element = array.GetElement(i);
            if (element is GgufValue nested)
                WriteValue(json, nested);
            else
                WriteScalar(json, element);
        }
        json.WriteEndArray();
    }

    private static void WriteScalar(Utf8JsonWriter json, object value)
    {
        switch (value)
        {
            case string s: json.WriteStringValue(Sanitize(s)); break;
            case bool b: json.WriteBooleanValue(b); break;
            case float f: WriteFloat(json, f); break;
            case double d: WriteFloat(json, d); break;
            case ulong u: json.WriteNumberValue(u); break;
            case long l: json.WriteNumberValue(l); break;
            default: json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
        }
    }

    private static void WriteFloat(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
            json.WriteNumberValue(value);
        else
            json.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    private static void WriteFloat(Utf8JsonWriter json, float value)
    {
        if (float.IsFinite(value))
            json.WriteNumberValue(value);
        else
            WriteFloat(json, (double)value);
    }

    // JSON text must be valid Unicode: unpaired surrogates (bytes the reader kept from invalid UTF-8) become U+FFFD.
    private static string Sanitize(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
            return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
                i++;
            else if (char.IsSurrogate(chars[i]))
                chars[i] = '\uFFFD';
        }
        return new string(chars);
    }
}
