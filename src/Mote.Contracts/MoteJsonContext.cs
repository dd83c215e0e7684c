using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>
/// Source-generated JSON metadata for every wire type, with OpenAI's snake_case names and nulls omitted
/// (except the few keys OpenAI always writes). Use <c>MoteJsonContext.Default.ChatCompletionRequest</c> etc.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(CompletionResponse))]
[JsonSerializable(typeof(Usage))]
[JsonSerializable(typeof(List<ContentPart>))]
[JsonSerializable(typeof(IReadOnlyList<ContentPart>))]
public sealed partial class MoteJsonContext : JsonSerializerContext;
