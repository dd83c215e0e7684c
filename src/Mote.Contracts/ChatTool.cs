using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>A tool the model may call; today always <c>{"type":"function","function":{…}}</c>.</summary>
public sealed record ChatTool
{
    public string? Type { get; set; } = "function";

    public FunctionDefinition? Function { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
