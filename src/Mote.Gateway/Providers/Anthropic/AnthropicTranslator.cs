using System.Text;
using System.Text.Json;
using Mote.Contracts;

namespace Mote.Gateway.Providers.Anthropic;

/// <summary>
/// OpenAI chat ⇄ Anthropic Messages for complete requests and responses: system and developer messages become the
/// top-level system prompt, tool calls become tool_use blocks and tool messages tool_result blocks, consecutive
/// same-role turns merge, a trailing assistant message stays last (Anthropic continues it: prefill), stop reasons
/// and usage map both ways.
/// </summary>
internal static class AnthropicTranslator
{
    private static readonly JsonElement s_emptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static AnthropicRequest ToAnthropic(ChatCompletionRequest request, string model, int defaultMaxTokens, bool stream)
    {
        var system = new StringBuilder();
        var messages = new List<AnthropicMessage>();
        foreach (var message in request.Messages ?? [])
        {
            switch (message.Role)
            {
                case ChatRoles.System or ChatRoles.Developer:
                    if (system.Length > 0)
                        system.Append("\n\n");
                    system.Append(message.Content?.GetText());
                    break;
                case ChatRoles.Assistant:
                    Append(messages, "assistant", AssistantBlocks(message));
                    break;
                case ChatRoles.Tool:
                    Append(messages, "user", [new AnthropicBlock
                    {
                        Type = "tool_result",
                        ToolUseId = message.ToolCallId,
                        Content = JsonSerializer.SerializeToElement(message.Content?.GetText() ?? "", AnthropicStringContext.Default.String),
                    }]);
                    break;
                default:
                    Append(messages, "user", UserBlocks(message.Content));
                    break;
            }
        }

        // Anthropic rejects a final assistant (prefill) turn that ends in whitespace.
        if (messages.Count > 0 && messages[^1].Role == "assistant" && messages[^1].Content is [.., { Type: "text" } last])
            messages[^1].Content[^1] = last with { Text = last.Text?.TrimEnd() };

        return new AnthropicRequest
        {
            Model = model,
            MaxTokens = request.EffectiveMaxTokens ?? defaultMaxTokens,
            System = system.Length == 0 ? null : system.ToString(),
            Messages = messages,
            StopSequences = request.Stop?.Values.ToList(),
            // Both default to 1; Anthropic stops at 1 where OpenAI allows 2.
            Temperature = request.Temperature is { } t ? Math.Min(t, 1.0) : null,
            TopP = request.TopP,
            Stream = stream ? true : null,
            Tools = request.Tools?.Select(t => new AnthropicTool
            {
                Name = t.Function?.Name ?? "",
                Description = t.Function?.Description,
                InputSchema = t.Function?.Parameters ?? s_emptyObject,
            }).ToList(),
            ToolChoice = ToolChoice(request.ToolChoice, request.ParallelToolCalls),
            Metadata = request.User is null ? null : new AnthropicMetadata { UserId = request.User },
        };
    }

    public static ChatCompletionResponse FromAnthropic(AnthropicResponse response, long created)
    {
        var text = new StringBuilder();
        var calls = new List<ToolCall>();
        foreach (var block in response.Content)
        {
            if (block.Type == "text")
                text.Append(block.Text);
            else if (block.Type == "tool_use")
                calls.Add(new ToolCall
                {
                    Id = block.Id,
                    Type = "function",
                    Function = new FunctionCall { Name = block.Name, Arguments = block.Input?.GetRawText() ?? "{}" },
                });
        }
        return new ChatCompletionResponse
        {
            Id = response.Id,
            Created = created,
            Model = response.Model,
            Choices =
            [
                new ChatChoice
                {
                    Index = 0,
                    Message = new ChatMessage
                    {
                        Role = ChatRoles.Assistant,
                        Content = text.Length == 0 && calls.Count > 0 ? null : MessageContent.FromText(text.ToString()),
                        ToolCalls = calls.Count > 0 ? calls : null,
                    },
                    FinishReason = FinishReason(response.StopReason),
                },
            ],
            Usage = Usage(response.Usage),
        };
    }

    public static string FinishReason(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => FinishReasons.Length,
        "tool_use" => FinishReasons.ToolCalls,
        "refusal" => FinishReasons.ContentFilter,
        _ => FinishReasons.Stop, // end_turn, stop_sequence, pause_turn
    };

    public static string StopReason(string? finishReason) => finishReason switch
    {
        FinishReasons.Length => "max_tokens",
        FinishReasons.ToolCalls => "tool_use",
        FinishReasons.ContentFilter => "refusal",
        _ => "end_turn",
    };

    /// <summary>Anthropic counts cached prompt tokens apart; OpenAI's prompt_tokens includes them.</summary>
    public static Contracts.Usage? Usage(AnthropicUsage? usage) => usage is null
        ? null
        : Contracts.Usage.Of(
            usage.InputTokens + (usage.CacheCreationInputTokens ?? 0) + (usage.CacheReadInputTokens ?? 0),
            usage.OutputTokens);

    private static List<AnthropicBlock> AssistantBlocks(ChatMessage message)
    {
        var blocks = new List<AnthropicBlock>();
        var text = message.Content?.GetText();
        if (!string.IsNullOrEmpty(text))
            blocks.Add(new AnthropicBlock { Type = "text", Text = text });
        foreach (var call in message.ToolCalls ?? [])
            blocks.Add(new AnthropicBlock
            {
                Type = "tool_use",
                Id = call.Id,
                Name = call.Function?.Name,
                Input = ParseArguments(call.Function?.Arguments),
            });
        return blocks;
    }

    private static List<AnthropicBlock> UserBlocks(MessageContent? content)
    {
        if (content is null)
            return [];
        if (content.Text is not null || content.IsTextOnly)
            return [new AnthropicBlock { Type = "text", Text = content.GetText() }];
        var blocks = new List<AnthropicBlock>();
        foreach (var part in content.Parts!)
        {
            if (part.Type == ContentPart.TextType)
                blocks.Add(new AnthropicBlock { Type = "text", Text = part.Text });
            else if (part.Type == "image_url" && part.ExtensionData?.GetValueOrDefault("image_url") is { } image
                     && image.TryGetProperty("url", out var url) && url.GetString() is { } address)
                blocks.Add(new AnthropicBlock { Type = "image", Source = ImageSource(address) });
        }
        return blocks;
    }

    /// <summary>An OpenAI image URL (https or data:) as an Anthropic image source.</summary>
    private static JsonElement ImageSource(string address)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (address.StartsWith("data:", StringComparison.Ordinal) && address.IndexOf(";base64,", StringComparison.Ordinal) is var comma and > 5)
            {
                writer.WriteString("type", "base64");
                writer.WriteString("media_type", address[5..comma]);
                writer.WriteString("data", address[(comma + 8)..]);
            }
            else
            {
                writer.WriteString("type", "url");
                writer.WriteString("url", address);
            }
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static JsonElement ParseArguments(string? arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
            return s_emptyObject;
        try
        {
            using var document = JsonDocument.Parse(arguments);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : s_emptyObject;
        }
        catch (JsonException)
        {
            return s_emptyObject;
        }
    }

    private static AnthropicToolChoice? ToolChoice(JsonElement? choice, bool? parallel)
    {
        AnthropicToolChoice? result = choice switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString() switch
            {
                "none" => new AnthropicToolChoice { Type = "none" },
                "required" => new AnthropicToolChoice { Type = "any" },
                _ => new AnthropicToolChoice { Type = "auto" },
            },
            { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var n)
                => new AnthropicToolChoice { Type = "tool", Name = n.GetString() },
            _ => null,
        };
        if (parallel == false)
            result = (result ?? new AnthropicToolChoice()) with { DisableParallelToolUse = true };
        return result;
    }

    /// <summary>Appends blocks to the conversation, merging into the previous turn when the role repeats.</summary>
    private static void Append(List<AnthropicMessage> messages, string role, List<AnthropicBlock> blocks)
    {
        if (blocks.Count == 0)
            return;
        if (messages.Count > 0 && messages[^1].Role == role)
            messages[^1].Content.AddRange(blocks);
        else
            messages.Add(new AnthropicMessage { Role = role, Content = blocks });
    }
}
