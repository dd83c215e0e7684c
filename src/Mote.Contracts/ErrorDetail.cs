using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>The body of an OpenAI error object.</summary>
public sealed record ErrorDetail
{
    public string Message { get; set; } = "";

    public string Type { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Code { get; set; }
}
