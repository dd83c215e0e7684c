using System.Text.Json.Serialization;

namespace Mote.Cli.GatewayReport;

/// <summary>Source-generated JSON for <c>mote gateway report --json</c> (snake_case, one object).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CascadeReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
