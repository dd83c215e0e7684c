using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary><c>stream_options</c>: asks for a final usage chunk when streaming.</summary>
public sealed record StreamOptions
{
    public bool? IncludeUsage { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
