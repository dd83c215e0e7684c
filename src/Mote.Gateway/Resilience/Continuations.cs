using System.Text.Json;
using Mote.Contracts;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Resilience;

/// <summary>
/// Builds the request that continues a broken stream on another deployment: the same conversation plus the partial
/// answer as a trailing assistant message (prefill), with the provider's prefill switches and a reduced token limit.
/// </summary>
internal static class Continuations
{
    public static ChatCompletionRequest Build(ChatCompletionRequest request, string partial, Deployment deployment)
    {
        var messages = new List<ChatMessage>((request.Messages?.Count ?? 0) + 1);
        messages.AddRange(request.Messages ?? []);
        messages.Add(new ChatMessage { Role = ChatRoles.Assistant, Content = partial });

        var extension = request.ExtensionData;
        if (deployment.Provider.PrefillParameters.Count > 0)
        {
            extension = extension is null ? [] : new Dictionary<string, JsonElement>(extension);
            foreach (var (name, value) in deployment.Provider.PrefillParameters)
                extension[name] = value;
        }

        var used = TokenEstimate.Text(partial);
        return request with
        {
            Messages = messages,
            ExtensionData = extension,
            N = null,
            MaxTokens = request.MaxTokens is { } max ? Math.Max(1, max - used) : null,
            MaxCompletionTokens = request.MaxCompletionTokens is { } limit ? Math.Max(1, limit - used) : null,
        };
    }
}
