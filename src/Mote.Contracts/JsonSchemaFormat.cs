using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>The <c>json_schema</c> member of a <c>json_schema</c> response format.</summary>
public sealed record JsonSchemaFormat
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Schema { get; set; }

    public bool? Strict { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
