using Mote.Contracts;
using Mote.Gateway;

namespace Mote.Server.LocalModels;

/// <summary>The failures of local models as the gateway classifies them, each with the OpenAI error the client sees.</summary>
internal static class LocalErrors
{
    public static ProviderException BadRequest(string message, string? param, string code = "invalid_request") =>
        new(FailureKind.BadRequest, message)
        {
            StatusCode = 400,
            UpstreamError = ErrorResponse.Create(message, ErrorTypes.InvalidRequest, code, param),
        };

    /// <summary>The prompt does not fit: never truncated silently.</summary>
    public static ProviderException ContextLength(string model, int context, int promptTokens) =>
        new(FailureKind.ContextLength,
            $"This model's maximum context length is {context} tokens. However, your messages resulted in {promptTokens} tokens "
            + $"and at least one token must be generated. Shorten the conversation, or serve '{model}' with a larger --ctx.")
        {
            StatusCode = 400,
        };

    public static ProviderException Overloaded(string model, int slots, int queued, TimeSpan retryAfter)
    {
        var message = $"The local model '{model}' is busy ({slots} requests generating, {queued} waiting); try again in {retryAfter.TotalSeconds:0} s.";
        return new ProviderException(FailureKind.Overloaded, message)
        {
            StatusCode = 429,
            RetryAfter = retryAfter,
            UpstreamError = ErrorResponse.Create(message, ErrorTypes.RateLimit, "model_overloaded"),
        };
    }

    public static ProviderException NotReady(string model, string? failure) =>
        new(FailureKind.Unavailable, failure is null
            ? $"The local model '{model}' is still loading."
            : $"The local model '{model}' could not be loaded: {failure}")
        {
            StatusCode = 503,
        };
}
