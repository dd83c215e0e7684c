using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary><c>response_format</c>: <c>text</c>, <c>json_object</c>, or <c>json_schema</c> with a schema.</summary>
public sealed record ResponseFormat
{
    public const string TextType = "text";
    public const string JsonObjectType = "json_object";
    public const string JsonSchemaType = "json_schema";

    public string? Type { get; set; }

    public JsonSchemaFormat? JsonSchema { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>True when the client asked for JSON output of either kind.</summary>
    [JsonIgnore]
    public bool WantsJson => Type is JsonObjectType or JsonSchemaType;
}
