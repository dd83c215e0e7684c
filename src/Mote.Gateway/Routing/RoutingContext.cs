using Mote.Contracts;

namespace Mote.Gateway.Routing;

/// <summary>What a routing policy may look at when ordering targets for one request.</summary>
internal sealed class RoutingContext(ChatCompletionRequest request, int estimatedPromptTokens, Random random)
{
    public ChatCompletionRequest Request { get; } = request;

    public int EstimatedPromptTokens { get; } = estimatedPromptTokens;

    public Random Random { get; } = random;
}
