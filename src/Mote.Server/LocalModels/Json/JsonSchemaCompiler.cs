using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mote.Server.LocalModels.Json;

/// <summary>
/// Compiles the JSON Schema of <c>response_format: {type: json_schema}</c> into a <see cref="JsonGrammar"/>.
/// Enforced: <c>type</c> (one or a list), <c>properties</c> (emitted in schema order), <c>required</c>,
/// <c>items</c>, <c>minItems</c>/<c>maxItems</c>, <c>enum</c>, <c>const</c>, <c>anyOf</c>/<c>oneOf</c>, single-schema
/// <c>allOf</c>, <c>nullable</c>, and <c>$ref</c> into <c>$defs</c>/<c>definitions</c> (recursion included).
/// Annotations and checks the decoder cannot steer byte by byte (<c>format</c>, <c>pattern</c>, numeric bounds,
/// string lengths) are ignored; keywords that would change the shape in ways not supported are refused.
/// </summary>
internal sealed class JsonSchemaCompiler
{
    private const int MaxNodes = 4096;

    private static readonly JsonWriterOptions s_compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JsonElement _document;
    private readonly List<JsonSchemaNode> _nodes;
    private readonly List<byte[][]> _sets;
    private readonly Dictionary<string, int> _byPointer = new(StringComparer.Ordinal);

    private JsonSchemaCompiler(JsonElement document)
    {
        _document = document;
        (_nodes, _sets) = JsonGrammar.Builtins();
    }

    /// <exception cref="JsonSchemaException">The schema is malformed or unsupported.</exception>
    public static JsonGrammar Compile(JsonElement schema)
    {
        var compiler = new JsonSchemaCompiler(schema);
        var root = compiler.Node(schema, "#");
        return new JsonGrammar(compiler._nodes, compiler._sets, root);
    }

    private int Node(JsonElement schema, string pointer)
    {
        if (_byPointer.TryGetValue(pointer, out var known))
            return known;
        if (_nodes.Count >= MaxNodes)
            throw new JsonSchemaException($"The schema is too large (more than {MaxNodes} sub-schemas).");
        var index = _nodes.Count;
        var node = new JsonSchemaNode();
        _nodes.Add(node);
        // Registered before the body is compiled, so a $ref cycle back to this schema ends here.
        _byPointer[pointer] = index;
        Fill(node, schema, pointer);
        return index;
    }

    private void Fill(JsonSchemaNode node, JsonElement schema, string pointer)
    {
        if (schema.ValueKind == JsonValueKind.True)
            return;
        if (schema.ValueKind == JsonValueKind.False)
            throw new JsonSchemaException($"The schema at '{pointer}' is false: nothing can satisfy it.");
        if (schema.ValueKind != JsonValueKind.Object)
            throw new JsonSchemaException($"The schema at '{pointer}' must be an object or a boolean.");

        if (schema.TryGetProperty("$ref", out var reference))
        {
            var target = Resolve(reference.GetString() ?? "", pointer);
            node.AnyOf = [Node(target.Element, target.Pointer)];
            return;
        }
        foreach (var unsupported in new[] { "prefixItems", "not", "if", "patternProperties", "dependentSchemas" })
            if (schema.TryGetProperty(unsupported, out _))
                throw new JsonSchemaException($"The schema at '{pointer}' uses '{unsupported}', which constrained decoding does not support.");

        if (schema.TryGetProperty("const", out var constant))
        {
            node.LiteralSet = AddLiterals([constant], pointer);
            return;
        }
        if (schema.TryGetProperty("enum", out var values))
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
                throw new JsonSchemaException($"'enum' at '{pointer}' must be a non-empty array.");
            node.LiteralSet = AddLiterals([.. values.EnumerateArray()], pointer);
            return;
        }
        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(keyword, out var alternatives))
            {
                node.AnyOf = Alternatives(alternatives, $"{pointer}/{keyword}");
                return;
            }
        }
        if (schema.TryGetProperty("allOf", out var all))
        {
            if (all.ValueKind != JsonValueKind.Array || all.GetArrayLength() != 1)
                throw new JsonSchemaException($"'allOf' at '{pointer}' is supported only with a single schema.");
            node.AnyOf = [Node(all[0], $"{pointer}/allOf/0")];
            return;
        }

        node.Types = Types(schema, pointer);
        if ((node.Types & JsonTypes.Object) != 0 && schema.TryGetProperty("properties", out var properties))
            Properties(node, schema, properties, pointer);
        if ((node.Types & JsonTypes.Array) != 0)
            Array(node, schema, pointer);
    }

    private static JsonTypes Types(JsonElement schema, string pointer)
    {
        JsonTypes types;
        if (schema.TryGetProperty("type", out var type))
        {
            types = JsonTypes.None;
            if (type.ValueKind == JsonValueKind.String)
                types = TypeOf(type.GetString(), pointer);
            else if (type.ValueKind == JsonValueKind.Array)
                foreach (var item in type.EnumerateArray())
                    types |= TypeOf(item.GetString(), pointer);
            else
                throw new JsonSchemaException($"'type' at '{pointer}' must be a string or an array of strings.");
        }
        else if (schema.TryGetProperty("properties", out _))
            types = JsonTypes.Object;
        else if (schema.TryGetProperty("items", out _))
            types = JsonTypes.Array;
        else
            types = JsonTypes.Any;
        if (schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True)
            types |= JsonTypes.Null;
        return types;
    }

    private static JsonTypes TypeOf(string? name, string pointer) => name switch
    {
        "object" => JsonTypes.Object,
        "array" => JsonTypes.Array,
        "string" => JsonTypes.String,
        "number" => JsonTypes.Number,
        "integer" => JsonTypes.Integer,
        "boolean" => JsonTypes.Boolean,
        "null" => JsonTypes.Null,
        _ => throw new JsonSchemaException($"Unknown type '{name}' at '{pointer}'."),
    };

    private void Properties(JsonSchemaNode node, JsonElement schema, JsonElement properties, string pointer)
    {
        if (properties.ValueKind != JsonValueKind.Object)
            throw new JsonSchemaException($"'properties' at '{pointer}' must be an object.");
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("required", out var list))
            foreach (var name in list.EnumerateArray())
                required.Add(name.GetString() ?? "");

        var keys = new List<byte[]>();
        var values = new List<int>();
        var flags = new List<bool>();
        foreach (var property in properties.EnumerateObject())
        {
            keys.Add(Encode(w => w.WriteStringValue(property.Name)));
            values.Add(Node(property.Value, $"{pointer}/properties/{Escape(property.Name)}"));
            flags.Add(required.Contains(property.Name));
        }
        foreach (var name in required)
            if (!properties.TryGetProperty(name, out _))
                throw new JsonSchemaException($"'required' at '{pointer}' names '{name}', which is not among its properties.");
        if (keys.Count == 0)
            return;
        if (keys.Count > JsonGrammar.MaxLiterals)
            throw new JsonSchemaException($"The object at '{pointer}' lists {keys.Count} properties; at most {JsonGrammar.MaxLiterals} are supported.");
        node.KeySet = _sets.Count;
        _sets.Add([.. keys]);
        node.PropertyNodes = [.. values];
        node.Required = [.. flags];
    }

    private void Array(JsonSchemaNode node, JsonElement schema, string pointer)
    {
        if (schema.TryGetProperty("items", out var items))
            node.Items = Node(items, $"{pointer}/items");
        if (schema.TryGetProperty("minItems", out var min))
            node.MinItems = Math.Max(0, min.GetInt32());
        if (schema.TryGetProperty("maxItems", out var max))
            node.MaxItems = Math.Max(0, max.GetInt32());
        if (node.MaxItems < node.MinItems)
            throw new JsonSchemaException($"'maxItems' is below 'minItems' at '{pointer}'.");
    }

    private int[] Alternatives(JsonElement alternatives, string pointer)
    {
        if (alternatives.ValueKind != JsonValueKind.Array || alternatives.GetArrayLength() == 0)
            throw new JsonSchemaException($"'{pointer}' must be a non-empty array of schemas.");
        var result = new int[alternatives.GetArrayLength()];
        var i = 0;
        foreach (var alternative in alternatives.EnumerateArray())
        {
            result[i] = Node(alternative, $"{pointer}/{i}");
            i++;
        }
        return result;
    }

    private int AddLiterals(IReadOnlyList<JsonElement> values, string pointer)
    {
        if (values.Count > JsonGrammar.MaxLiterals)
            throw new JsonSchemaException($"'enum' at '{pointer}' has {values.Count} values; at most {JsonGrammar.MaxLiterals} are supported.");
        var literals = new byte[values.Count][];
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            literals[i] = Encode(w => value.WriteTo(w));
        }
        _sets.Add(literals);
        return _sets.Count - 1;
    }

    private (JsonElement Element, string Pointer) Resolve(string reference, string from)
    {
        if (reference == "#")
            return (_document, "#");
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            throw new JsonSchemaException($"'$ref' '{reference}' at '{from}' is not a local reference (only '#/...' is supported).");
        var element = _document;
        foreach (var raw in reference[2..].Split('/'))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
                throw new JsonSchemaException($"'$ref' '{reference}' at '{from}' points to nothing.");
        }
        return (element, reference);
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static byte[] Encode(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_compact))
            write(writer);
        return buffer.ToArray();
    }

    internal static string Text(byte[] literal) => Encoding.UTF8.GetString(literal);
}
