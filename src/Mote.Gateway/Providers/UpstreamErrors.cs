using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mote.Contracts;

namespace Mote.Gateway.Providers;

/// <summary>Turns upstream HTTP failures into classified <see cref="ProviderException"/>s.</summary>
internal static class UpstreamErrors
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Reads a non-success response (OpenAI, Anthropic, or plain-text error bodies) and classifies it.</summary>
    public static async Task<ProviderException> FromResponseAsync(
        HttpResponseMessage response, string upstream, TimeProvider time, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string body;
        try
        {
            body = await ReadLimitedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            body = "";
        }

        var error = ParseError(body, status);
        var kind = Classify(status, error.Error.Code, error.Error.Type, error.Error.Message);
        return new ProviderException(kind, $"{upstream} answered {status}: {error.Error.Message}")
        {
            StatusCode = status,
            RetryAfter = RetryAfter(response.Headers, time),
            UpstreamError = error,
        };
    }

    /// <summary>Classifies a transport exception from <see cref="HttpClient"/>.</summary>
    public static ProviderException FromTransport(Exception exception, string upstream, bool responseStarted)
    {
        var kind = responseStarted ? FailureKind.StreamBroken : FailureKind.Connect;
        if (exception is TaskCanceledException or TimeoutException)
            kind = FailureKind.Timeout;
        return new ProviderException(kind, $"{upstream}: {exception.Message}", exception);
    }

    public static FailureKind Classify(int status, string? code, string? type, string message)
    {
        if (Matches(code, type, message, "content_filter", "content_policy", "content management policy", "responsibleaipolicyviolation"))
            return FailureKind.ContentFilter;
        if (Matches(code, type, message, "context_length", "maximum context length", "context window",
                "prompt is too long", "too many tokens", "exceeds the context", "request_too_large")
            || status == (int)HttpStatusCode.RequestEntityTooLarge)
            return FailureKind.ContextLength;
        return status switch
        {
            429 when Matches(code, type, message, "insufficient_quota", "billing") => FailureKind.QuotaExhausted,
            429 => FailureKind.RateLimited,
            400 or 422 => FailureKind.BadRequest,
            401 or 403 => FailureKind.Unauthorized,
            404 => FailureKind.NotFound,
            408 => FailureKind.Timeout,
            >= 500 or 409 => FailureKind.ServerError,
            _ => FailureKind.BadRequest,
        };
    }

    private static bool Matches(string? code, string? type, string message, params ReadOnlySpan<string> needles)
    {
        foreach (var needle in needles)
        {
            if ((code is not null && code.Contains(needle, StringComparison.OrdinalIgnoreCase))
                || (type is not null && type.Contains(needle, StringComparison.OrdinalIgnoreCase))
                || message.Contains(needle, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>Reads the error object of any common shape; falls back to the raw text.</summary>
    public static ErrorResponse ParseError(string body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                    return ErrorResponse.Create(
                        Text(error, "message") ?? body,
                        Text(error, "type") ?? DefaultType(status),
                        Text(error, "code"),
                        Text(error, "param"));
                if (error.ValueKind == JsonValueKind.String)
                    return ErrorResponse.Create(error.GetString()!, DefaultType(status));
            }
            if (root.ValueKind == JsonValueKind.Object && Text(root, "detail") is { } detail)
                return ErrorResponse.Create(detail, DefaultType(status));
        }
        catch (JsonException)
        {
            // Not JSON: relay the text.
        }
        var text = body.Length > 500 ? body[..500] : body;
        return ErrorResponse.Create(text.Length == 0 ? $"HTTP {status}" : text, DefaultType(status));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string DefaultType(int status) => status switch
    {
        401 => ErrorTypes.Authentication,
        403 => ErrorTypes.Permission,
        404 => ErrorTypes.NotFound,
        429 => ErrorTypes.RateLimit,
        >= 500 => ErrorTypes.Server,
        _ => ErrorTypes.InvalidRequest,
    };

    /// <summary>Retry-After as seconds or an HTTP date, or OpenAI's <c>retry-after-ms</c>.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, TimeProvider time)
    {
        if (headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms >= 0)
            return TimeSpan.FromMilliseconds(ms);
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
                return delta;
            if (retryAfter.Date is { } date)
            {
                var wait = date - time.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }
        return null;
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            total += read;
        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
