using System.Text.Json.Serialization;

namespace Mote.Gateway.Providers.Anthropic;

/// <summary>Source-generated metadata for plain strings written as JSON elements.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class AnthropicStringContext : JsonSerializerContext;
