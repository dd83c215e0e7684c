using System.Text.Json;

namespace Mote.Server.Tests.LocalModels.Json;

/// <summary>
/// An independent check of the JSON Schema subset the tests use (type, properties, required,
/// additionalProperties: false, items, minItems/maxItems, enum, const, anyOf, local $ref), written from the spec,
/// not from the grammar compiler, so that a compiler bug cannot hide itself.
/// </summary>
internal static class MiniSchemaValidator
{
    public static IReadOnlyList<string> Validate(JsonElement value, JsonElement schema)
    {
        var errors = new List<string>();
        Check(value, schema, schema, "$", errors);
        return errors;
    }

    private static void Check(JsonElement value, JsonElement schema, JsonElement root, string path, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var target = root;
            foreach (var part in reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
                target = target.GetProperty(part);
            Check(value, target, root, path, errors);
            return;
        }
        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            if (!anyOf.EnumerateArray().Any(s => Validate(value, s, root)))
                errors.Add($"{path}: matches no anyOf alternative");
            return;
        }
        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)))
            errors.Add($"{path}: {value.GetRawText()} not in enum");
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
            errors.Add($"{path}: not the const");
        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
            if (!types.Any(t => IsType(value, t)))
                errors.Add($"{path}: {value.ValueKind} is not {string.Join("|", types)}");
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema.TryGetProperty("properties", out var p) ? p : default;
            if (schema.TryGetProperty("required", out var required))
                foreach (var name in required.EnumerateArray())
                    if (!value.TryGetProperty(name.GetString()!, out _))
                        errors.Add($"{path}: missing {name.GetString()}");
            foreach (var member in value.EnumerateObject())
            {
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var sub))
                    Check(member.Value, sub, root, $"{path}.{member.Name}", errors);
                else if (schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False)
                    errors.Add($"{path}: unexpected property {member.Name}");
            }
        }
        if (value.ValueKind == JsonValueKind.Array)
        {
            var count = value.GetArrayLength();
            if (schema.TryGetProperty("minItems", out var min) && count < min.GetInt32())
                errors.Add($"{path}: fewer than {min.GetInt32()} items");
            if (schema.TryGetProperty("maxItems", out var max) && count > max.GetInt32())
                errors.Add($"{path}: more than {max.GetInt32()} items");
            if (schema.TryGetProperty("items", out var items))
            {
                var i = 0;
                foreach (var item in value.EnumerateArray())
                    Check(item, items, root, $"{path}[{i++}]", errors);
            }
        }
    }

    private static bool Validate(JsonElement value, JsonElement schema, JsonElement root)
    {
        var errors = new List<string>();
        Check(value, schema, root, "", errors);
        return errors.Count == 0;
    }

    private static bool IsType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };
}
