using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mote.Gateway.Configuration;

/// <summary>
/// Converts a YAML document to a JSON tree so that YAML and JSON configurations share one schema and one
/// deserializer. Plain scalars are typed by the YAML 1.2 core schema (null, booleans, numbers); quoted scalars
/// stay strings. Anchors and aliases are supported.
/// </summary>
internal static class YamlJson
{
    public static JsonNode? Parse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _))
            return null;
        parser.Consume<DocumentStart>();
        var root = ReadNode(parser, anchors);
        parser.Consume<DocumentEnd>();
        return root;
    }

    private static JsonNode? ReadNode(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                throw new YamlException(alias.Start, alias.End, $"Unknown alias '*{alias.Value.Value}'.");
            return target?.DeepClone();
        }
        if (parser.TryConsume<Scalar>(out var scalar))
            return Remember(scalar, anchors, ScalarValue(scalar));
        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var array = new JsonArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
                array.Add(ReadNode(parser, anchors));
            return Remember(sequenceStart, anchors, array);
        }
        if (!parser.TryConsume<MappingStart>(out var mappingStart))
            throw Unexpected(parser, "a value");
        var map = new JsonObject();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (!parser.TryConsume<Scalar>(out var key))
                throw Unexpected(parser, "a plain key");
            if (map.ContainsKey(key.Value))
                throw new YamlException(key.Start, key.End, $"Duplicate key '{key.Value}'.");
            map[key.Value] = ReadNode(parser, anchors);
        }
        return Remember(mappingStart, anchors, map);
    }

    private static YamlException Unexpected(IParser parser, string expected)
    {
        var current = parser.Current;
        return current is null
            ? new YamlException($"Unexpected end of the document; expected {expected}.")
            : new YamlException(current.Start, current.End, $"Expected {expected}, found {current.GetType().Name}.");
    }

    private static JsonNode? Remember(NodeEvent node, Dictionary<string, JsonNode?> anchors, JsonNode? value)
    {
        if (!node.Anchor.IsEmpty)
            anchors[node.Anchor.Value] = value?.DeepClone();
        return value;
    }

    private static JsonNode? ScalarValue(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Style is not ScalarStyle.Plain)
            return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonValue.Create(integer);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
            return JsonValue.Create(real);
        return JsonValue.Create(text);
    }
}
