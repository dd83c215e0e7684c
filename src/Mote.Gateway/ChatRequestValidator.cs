using Mote.Contracts;

namespace Mote.Gateway;

/// <summary>
/// Checks a chat request the way OpenAI does, so that a bad request gets a 400 naming the field instead of
/// reaching a provider (or the engine). Throws <see cref="GatewayException"/>.
/// </summary>
public static class ChatRequestValidator
{
    public static void Validate(ChatCompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Model))
            throw Invalid("'model' is required.", "model");
        if (request.Messages is not { Count: > 0 } messages)
            throw Invalid("'messages' must be a non-empty array.", "messages");
        for (var i = 0; i < messages.Count; i++)
            CheckMessage(messages[i], $"messages[{i}]");

        CheckRange(request.Temperature, 0, 2, "temperature");
        CheckRange(request.TopP, 0, 1, "top_p");
        CheckRange(request.PresencePenalty, -2, 2, "presence_penalty");
        CheckRange(request.FrequencyPenalty, -2, 2, "frequency_penalty");
        if (request.N is < 1 or > 128)
            throw Invalid("'n' must be between 1 and 128.", "n");
        if (request.MaxTokens is < 1)
            throw Invalid("'max_tokens' must be at least 1.", "max_tokens");
        if (request.MaxCompletionTokens is < 1)
            throw Invalid("'max_completion_tokens' must be at least 1.", "max_completion_tokens");
        if (request.TopLogprobs is { } top)
        {
            if (top is < 0 or > 20)
                throw Invalid("'top_logprobs' must be between 0 and 20.", "top_logprobs");
            if (request.Logprobs != true)
                throw Invalid("'top_logprobs' requires 'logprobs' to be true.", "top_logprobs");
        }
        if (request.StreamOptions is not null && !request.IsStreaming)
            throw Invalid("'stream_options' is only allowed when 'stream' is true.", "stream_options");
        if (request.Stop is { Values.Count: > 4 })
            throw Invalid("'stop' may hold at most 4 sequences.", "stop");
        if (request.ResponseFormat is { } format)
        {
            if (format.Type is not (ResponseFormat.TextType or ResponseFormat.JsonObjectType or ResponseFormat.JsonSchemaType))
                throw Invalid("'response_format.type' must be 'text', 'json_object' or 'json_schema'.", "response_format.type");
            if (format.Type == ResponseFormat.JsonSchemaType && format.JsonSchema?.Name is not { Length: > 0 })
                throw Invalid("'response_format.json_schema.name' is required for type 'json_schema'.", "response_format.json_schema");
        }
        for (var i = 0; i < (request.Tools?.Count ?? 0); i++)
        {
            var tool = request.Tools![i];
            if (tool?.Type != "function" || tool.Function?.Name is not { Length: > 0 })
                throw Invalid($"'tools[{i}]' must be a function tool with a name.", $"tools[{i}]");
        }
    }

    private static void CheckMessage(ChatMessage? message, string path)
    {
        if (message is null)
            throw Invalid($"'{path}' must be an object.", path);
        if (!ChatRoles.IsKnown(message.Role))
            throw Invalid($"'{path}.role' must be one of system, developer, user, assistant, tool; got '{message.Role}'.", $"{path}.role");
        for (var i = 0; i < (message.ToolCalls?.Count ?? 0); i++)
        {
            if (message.ToolCalls![i] is not { Function.Name.Length: > 0 })
                throw Invalid($"'{path}.tool_calls[{i}]' must name a function.", $"{path}.tool_calls[{i}]");
        }
        switch (message.Role)
        {
            case ChatRoles.Assistant:
                if (message.Content is null && message.ToolCalls is not { Count: > 0 } && message.Refusal is null)
                    throw Invalid($"'{path}' (assistant) needs 'content' or 'tool_calls'.", $"{path}.content");
                break;
            case ChatRoles.Tool:
                if (string.IsNullOrEmpty(message.ToolCallId))
                    throw Invalid($"'{path}.tool_call_id' is required for tool messages.", $"{path}.tool_call_id");
                if (message.Content is null)
                    throw Invalid($"'{path}.content' is required.", $"{path}.content");
                break;
            default:
                if (message.Content is null)
                    throw Invalid($"'{path}.content' is required.", $"{path}.content");
                break;
        }
    }

    private static void CheckRange(double? value, double min, double max, string name)
    {
        if (value is { } v && (double.IsNaN(v) || v < min || v > max))
            throw Invalid($"'{name}' must be between {min} and {max}.", name);
    }

    private static GatewayException Invalid(string message, string param) => GatewayErrors.InvalidRequest(message, param);
}
