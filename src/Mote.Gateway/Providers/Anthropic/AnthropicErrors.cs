namespace Mote.Gateway.Providers.Anthropic;

/// <summary>Anthropic's error types (<c>overloaded_error</c>, <c>rate_limit_error</c> …) as failure kinds.</summary>
internal static class AnthropicErrors
{
    public static FailureKind Classify(string type, int status, string message) => type switch
    {
        "overloaded_error" or "api_error" => FailureKind.ServerError,
        "rate_limit_error" => FailureKind.RateLimited,
        "authentication_error" or "permission_error" => FailureKind.Unauthorized,
        "not_found_error" => FailureKind.NotFound,
        "request_too_large" => FailureKind.ContextLength,
        _ => UpstreamErrors.Classify(status, null, type, message),
    };
}
