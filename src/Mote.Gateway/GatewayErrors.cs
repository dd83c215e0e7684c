using System.Text;
using Mote.Contracts;
using Mote.Gateway.Usage;

namespace Mote.Gateway;

/// <summary>The errors the gateway itself raises, each with its status, type and code in one place.</summary>
internal static class GatewayErrors
{
    public static GatewayException InvalidRequest(string message, string? param = null, string? code = null) =>
        new(400, ErrorResponse.Create(message, ErrorTypes.InvalidRequest, code, param));

    public static GatewayException ModelNotFound(string model) =>
        new(404, ErrorResponse.Create($"The model '{model}' does not exist on this server; GET /v1/models lists the available ones.",
            ErrorTypes.InvalidRequest, "model_not_found", "model"));

    public static GatewayException ModelNotAllowed(string model, string key) =>
        new(403, ErrorResponse.Create($"The API key '{key}' may not use the model '{model}'.", ErrorTypes.Permission,
            "model_not_allowed", "model"));

    public static GatewayException LocalOnly(string route, string why) =>
        new(403, ErrorResponse.Create(
            $"The local-only policy ({why}) forbids sending this request off the machine, and route '{route}' has no local deployment that can take it.",
            ErrorTypes.Policy, "local_only_unavailable"));

    public static GatewayException Unsupported(string route, string capability) =>
        new(400, ErrorResponse.Create($"No deployment of route '{route}' supports {capability}.", ErrorTypes.InvalidRequest,
            "unsupported_capability"));

    public static GatewayException RateLimited(string what, TimeSpan retryAfter) =>
        new(429, ErrorResponse.Create($"Rate limit reached: {what}. Try again in {Math.Ceiling(retryAfter.TotalSeconds)} s.",
            ErrorTypes.RateLimit, "rate_limit_exceeded"), retryAfter);

    public static GatewayException BudgetExceeded(string key, double spent, double budget, string period) =>
        new(429, ErrorResponse.Create(
            $"The API key '{key}' has spent ${spent:0.####} of its ${budget:0.####} {period} budget.",
            ErrorTypes.Budget, "budget_exceeded"));

    public static GatewayException Deadline(string route, TimeSpan deadline) =>
        new(504, ErrorResponse.Create($"Route '{route}' did not finish within its deadline of {deadline.TotalSeconds:0.#} s.",
            ErrorTypes.Upstream, "deadline_exceeded"));

    /// <summary>A final upstream error (bad request, content filter): relayed with the upstream's status and body.</summary>
    public static GatewayException FromProvider(ProviderException e)
    {
        var status = e.StatusCode is >= 400 and < 500 ? e.StatusCode.Value : 400;
        var error = e.UpstreamError ?? ErrorResponse.Create(e.Message, ErrorTypes.InvalidRequest, e.Kind.Label());
        if (e.Kind == FailureKind.ContentFilter && error.Error.Code is null)
            error = error with { Error = error.Error with { Code = "content_filter" } };
        return new GatewayException(status, error);
    }

    /// <summary>Every target failed: the status follows the most telling failure, the message lists each attempt.</summary>
    public static GatewayException AllFailed(string route, CallRecord record, ProviderException? last)
    {
        var message = new StringBuilder();
        message.Append(record.Attempts.Count == 0
            ? $"Route '{route}' has no deployment available for this request."
            : $"Every deployment of route '{route}' failed:");
        foreach (var attempt in record.Attempts)
            message.Append($" {attempt.Deployment.Name} ({attempt.Failure?.Label() ?? "ok"}: {attempt.Message});");

        var kinds = record.Attempts.Where(a => a.Failure is not null).Select(a => a.Failure!.Value).ToList();
        var text = message.ToString().TrimEnd(';');
        if (kinds.Count > 0 && kinds.All(k => k is FailureKind.RateLimited or FailureKind.Overloaded or FailureKind.Unavailable)
            && kinds.Any(k => k is FailureKind.RateLimited or FailureKind.Overloaded))
            return new GatewayException(429, ErrorResponse.Create(text, ErrorTypes.RateLimit, "upstream_rate_limited"), MinRetryAfter(record));
        if (kinds.Count > 0 && kinds.All(k => k == FailureKind.Unavailable))
            return new GatewayException(503, ErrorResponse.Create(text, ErrorTypes.Upstream, "no_healthy_deployment"), MinRetryAfter(record));
        if (last?.Kind == FailureKind.ContextLength || (kinds.Count > 0 && kinds[^1] == FailureKind.ContextLength))
            return new GatewayException(400, ErrorResponse.Create(text, ErrorTypes.InvalidRequest, "context_length_exceeded", "messages"));
        if (kinds.Count > 0 && kinds.All(k => k is FailureKind.Timeout or FailureKind.FirstTokenTimeout or FailureKind.StreamStalled))
            return new GatewayException(504, ErrorResponse.Create(text, ErrorTypes.Upstream, "upstream_timeout"));
        return new GatewayException(kinds.Count == 0 ? 503 : 502, ErrorResponse.Create(text, ErrorTypes.Upstream, "upstream_failed"));
    }

    /// <summary>A stream broke after part of the answer reached the client and nothing could continue it.</summary>
    public static GatewayException StreamBroken(string route, CallRecord record, int deliveredChars, bool couldContinue)
    {
        var reason = couldContinue
            ? "no remaining deployment could continue it (none supports assistant prefill, or all refused)"
            : "the partial answer (several choices or tool calls) cannot be continued elsewhere";
        var attempts = string.Join(", ", record.Attempts.Select(a => $"{a.Deployment.Name} ({a.Failure?.Label() ?? "ok"})"));
        return new GatewayException(502, ErrorResponse.Create(
            $"The answer on route '{route}' broke off after {deliveredChars} characters and {reason}; it is incomplete. Attempts: {attempts}.",
            ErrorTypes.Upstream, "stream_interrupted"));
    }

    private static TimeSpan? MinRetryAfter(CallRecord record)
    {
        TimeSpan? min = null;
        foreach (var attempt in record.Attempts)
            if (attempt.RetryAfter is { } wait && (min is null || wait < min))
                min = wait;
        return min;
    }
}
