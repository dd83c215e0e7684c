using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace Mote.Gateway.Configuration;

/// <summary>Reads a configuration file (JSON or YAML by extension or content) into a <see cref="GatewayConfig"/>.</summary>
public static class GatewayConfigLoader
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads and parses <paramref name="path"/>; throws <see cref="GatewayConfigException"/> naming the file.</summary>
    public static GatewayConfig LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigException(path, [$"cannot read the file: {e.Message}"]);
        }
        var yaml = path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        return Parse(text, yaml, path);
    }

    /// <summary>Parses configuration text. <paramref name="source"/> names it in errors.</summary>
    public static GatewayConfig Parse(string text, bool yaml, string source = "configuration")
    {
        JsonNode? root;
        try
        {
            root = yaml ? YamlJson.Parse(text) : JsonNode.Parse(text, documentOptions: s_documentOptions);
        }
        catch (YamlException e)
        {
            throw new GatewayConfigException(source, [$"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}"]);
        }
        catch (InvalidOperationException e) when (yaml)
        {
            throw new GatewayConfigException(source, [$"invalid YAML: {e.Message}"]);
        }
        catch (JsonException e)
        {
            throw new GatewayConfigException(source, [$"invalid JSON at line {e.LineNumber + 1}: {e.Message}"]);
        }
        if (root is not JsonObject)
            throw new GatewayConfigException(source, ["the configuration must be an object (a mapping) at the top level."]);

        ExpandShorthands((JsonObject)root);
        try
        {
            return root.Deserialize(ConfigJsonContext.Default.GatewayConfig)
                ?? throw new GatewayConfigException(source, ["the configuration is empty."]);
        }
        catch (JsonException e)
        {
            throw new GatewayConfigException(source, [Describe(e)]);
        }
    }

    /// <summary>A bare string stands for <c>{deployment: NAME}</c> wherever a route node is expected.</summary>
    private static void ExpandShorthands(JsonObject root)
    {
        if (root["routes"] is not JsonObject routes)
            return;
        foreach (var name in routes.Select(p => p.Key).ToList())
        {
            routes[name] = ExpandNode(routes[name]);
        }
    }

    private static JsonNode? ExpandNode(JsonNode? node)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var deployment))
            return new JsonObject { ["deployment"] = deployment };
        if (node is not JsonObject obj)
            return node;
        foreach (var list in new[] { "balance", "fallback" })
            if (obj[list] is JsonArray items)
                ExpandList(items);
        if (obj["cascade"] is JsonObject cascade && cascade["tiers"] is JsonArray tiers)
            ExpandList(tiers);
        return obj;
    }

    private static void ExpandList(JsonArray items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            var expanded = ExpandNode(items[i]);
            if (!ReferenceEquals(expanded, items[i]))
                items[i] = expanded;
        }
    }

    private static string Describe(JsonException e)
    {
        var path = e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : null;
        // System.Text.Json names CLR types in its messages; the user needs the key and what was wrong.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
            message = message[..cut];
        message = message.Replace("Mote.Gateway.Configuration.", "", StringComparison.Ordinal);
        return path is null ? message : $"{path}: {message}";
    }
}
