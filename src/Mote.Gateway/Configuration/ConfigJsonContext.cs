using System.Text.Json.Serialization;

namespace Mote.Gateway.Configuration;

/// <summary>
/// Source-generated reader of the configuration file: snake_case, comments and trailing commas allowed, and
/// unknown keys rejected so that a typo is an error, not a silently ignored setting.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GatewayConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
