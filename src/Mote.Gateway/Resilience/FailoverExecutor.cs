using Microsoft.Extensions.Logging;
using Mote.Contracts;
using Mote.Gateway.Routing;
using Mote.Gateway.Usage;

namespace Mote.Gateway.Resilience;

/// <summary>
/// Tries the candidates of a non-streamed request in order until one answers. Client errors and refusals end the
/// request at once; a context-length error skips to deployments with a larger context; anything else moves on.
/// </summary>
internal sealed class FailoverExecutor(ILogger<FailoverExecutor> logger)
{
    public async Task<(ChatCompletionResponse Response, Deployment Deployment, AttemptRecord Attempt)> CompleteAsync(
        string route, IReadOnlyList<Deployment> candidates, ChatCompletionRequest request, CallRecord record,
        CancellationToken cancellationToken)
    {
        ProviderException? last = null;
        var minContext = 0;
        var promptEstimate = TokenEstimate.Prompt(request);
        foreach (var deployment in candidates)
        {
            if (deployment.ContextLength <= minContext)
                continue;
            var attempt = record.Begin(deployment);
            try
            {
                var response = await deployment.Client.CompleteAsync(request, cancellationToken).ConfigureAwait(false);
                attempt.Succeed(response.Usage, promptEstimate, CompletionEstimate(response), record.Reference);
                return (response, deployment, attempt);
            }
            catch (ProviderException e)
            {
                attempt.Fail(e, null, promptEstimate, 0, record.Reference);
                GatewayLog.AttemptFailed(logger, record.RequestId, deployment.Name, e.Kind.Label(), e.Message);
                last = e;
                if (e.Kind.IsFinal())
                    throw GatewayErrors.FromProvider(e);
                if (e.Kind == FailureKind.ContextLength && deployment.Config.ContextLength is { } size)
                    minContext = Math.Max(minContext, size);
            }
        }
        throw GatewayErrors.AllFailed(route, record, last);
    }

    private static int CompletionEstimate(ChatCompletionResponse response)
    {
        var tokens = 0;
        foreach (var choice in response.Choices)
            tokens += TokenEstimate.Text(choice.Message.Content?.GetText());
        return tokens;
    }
}
