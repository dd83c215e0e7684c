using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Turns the .NET values a caller passes to a render (strings, numbers, booleans, dictionaries, sequences,
/// <see cref="JsonElement"/> / <see cref="JsonNode"/> trees such as an OpenAI <c>tools</c> array, <see cref="ChatMessage"/>)
/// into template values. JSON numbers that are integers stay integers, as Python's <c>json.loads</c> keeps them.
/// </summary>
internal static class ValueConverter
{
    public static object? From(object? value) => value switch
    {
        null => null,
        string or bool or long or double => value,
        int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : (double)u,
        float or decimal => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        Undefined or Namespace or PyDict or List<object?> or Callable => value,
        JsonElement element => FromJson(element),
        JsonNode node => FromJson(node),
        ChatMessage message => new PyDict { ["role"] = message.Role, ["content"] = message.Content },
        IDictionary<string, object?> dict => FromPairs(dict),
        IReadOnlyDictionary<string, object?> dict => FromPairs(dict),
        IDictionary dict => FromDictionary(dict),
        IEnumerable sequence => sequence.Cast<object?>().Select(From).ToList(),
        _ => throw new ArgumentException(
            $"a template variable of type {value.GetType().Name} is not supported; pass strings, numbers, booleans, dictionaries, lists or JSON"),
    };

    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => FromPairs(element.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, FromJson(p.Value)))),
        JsonValueKind.Array => element.EnumerateArray().Select(e => FromJson(e)).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static object? FromJson(JsonNode node) => node switch
    {
        JsonObject obj => FromPairs(obj.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value is null ? null : FromJson(p.Value)))),
        JsonArray array => array.Select(n => n is null ? null : FromJson(n)).ToList(),
        _ => FromJsonText(node.ToJsonString()),
    };

    private static object? FromJsonText(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    private static PyDict FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var dict = new PyDict();
        foreach (var (key, value) in pairs)
            dict[key] = From(value);
        return dict;
    }

    private static PyDict FromDictionary(IDictionary source)
    {
        var dict = new PyDict();
        foreach (DictionaryEntry entry in source)
            dict[From(entry.Key) ?? throw new ArgumentException("dictionary keys cannot be null")] = From(entry.Value);
        return dict;
    }
}
