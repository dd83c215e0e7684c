using Mote.Contracts;

namespace Mote.Gateway.Providers.Anthropic;

/// <summary>
/// Turns Anthropic stream events into OpenAI chunks: <c>message_start</c> → role delta; text deltas → content
/// deltas; a tool_use block → a tool call (id and name first, then argument fragments); <c>message_delta</c> →
/// finish reason; <c>message_stop</c> → usage chunk and the end. One instance per stream.
/// </summary>
internal sealed class AnthropicStreamTranslator(long created)
{
    private readonly Dictionary<int, int> _toolIndexByBlock = [];
    private string _id = "";
    private string _model = "";
    private int _inputTokens;
    private int _outputTokens;

    /// <summary>True once <c>message_stop</c> arrived.</summary>
    public bool Finished { get; private set; }

    /// <summary>The chunk this event becomes, or null for events with nothing to say (ping, block stop).</summary>
    public ChatCompletionChunk? Translate(AnthropicStreamEvent e, string upstream)
    {
        switch (e.Type)
        {
            case "message_start":
                _id = e.Message?.Id ?? "";
                _model = e.Message?.Model ?? "";
                _inputTokens = InputTokens(e.Message?.Usage);
                _outputTokens = e.Message?.Usage?.OutputTokens ?? 0;
                return Chunk(new ChatDelta { Role = ChatRoles.Assistant, Content = "" });
            case "content_block_start" when e.ContentBlock is { Type: "tool_use" } block:
                var toolIndex = _toolIndexByBlock.Count;
                _toolIndexByBlock[e.Index ?? 0] = toolIndex;
                return Chunk(new ChatDelta
                {
                    ToolCalls = [new ToolCall
                    {
                        Index = toolIndex,
                        Id = block.Id,
                        Type = "function",
                        Function = new FunctionCall { Name = block.Name, Arguments = "" },
                    }],
                });
            case "content_block_start" when e.ContentBlock is { Type: "text", Text: { Length: > 0 } text }:
                return Chunk(new ChatDelta { Content = text });
            case "content_block_delta" when e.Delta is { Type: "text_delta" } delta:
                return Chunk(new ChatDelta { Content = delta.Text });
            case "content_block_delta" when e.Delta is { Type: "input_json_delta" } delta
                                           && _toolIndexByBlock.TryGetValue(e.Index ?? 0, out var index):
                return Chunk(new ChatDelta
                {
                    ToolCalls = [new ToolCall { Index = index, Function = new FunctionCall { Arguments = delta.PartialJson } }],
                });
            case "message_delta":
                if (e.Usage is { } usage)
                {
                    _outputTokens = usage.OutputTokens;
                    if (usage.InputTokens > 0)
                        _inputTokens = InputTokens(usage);
                }
                return Chunk(new ChatDelta(), AnthropicTranslator.FinishReason(e.Delta?.StopReason));
            case "message_stop":
                Finished = true;
                return new ChatCompletionChunk
                {
                    Id = _id,
                    Created = created,
                    Model = _model,
                    Choices = [],
                    Usage = Contracts.Usage.Of(_inputTokens, _outputTokens),
                };
            case "error":
                var error = e.Error ?? new AnthropicError { Type = "api_error", Message = "unknown error" };
                throw new ProviderException(AnthropicErrors.Classify(error.Type, 500, error.Message),
                    $"{upstream} sent an error in the stream: {error.Type}: {error.Message}")
                {
                    UpstreamError = ErrorResponse.Create(error.Message, error.Type),
                };
            default:
                return null; // ping, content_block_stop, thinking and other deltas
        }
    }

    private ChatCompletionChunk Chunk(ChatDelta delta, string? finishReason = null) => new()
    {
        Id = _id,
        Created = created,
        Model = _model,
        Choices = [new ChunkChoice { Index = 0, Delta = delta, FinishReason = finishReason }],
    };

    private static int InputTokens(AnthropicUsage? usage) =>
        usage is null ? 0 : usage.InputTokens + (usage.CacheCreationInputTokens ?? 0) + (usage.CacheReadInputTokens ?? 0);
}
