using System.Text.Json.Serialization;
using Mote.Gateway.Keys;
using Mote.Server.Endpoints;

namespace Mote.Server;

/// <summary>Source-generated JSON for the server's own bodies (admin API, health), snake_case like OpenAI's.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VirtualKeySpec))]
[JsonSerializable(typeof(CreatedKey))]
[JsonSerializable(typeof(KeyList))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(SpendView))]
[JsonSerializable(typeof(UsageList))]
[JsonSerializable(typeof(ReloadResult))]
[JsonSerializable(typeof(HealthStatus))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
