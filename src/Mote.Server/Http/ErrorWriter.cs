using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mote.Contracts;

namespace Mote.Server.Http;

/// <summary>Writes the OpenAI error object with a status (and Retry-After when there is one).</summary>
internal static class ErrorWriter
{
    public static async Task WriteAsync(HttpContext context, int status, ErrorResponse error, TimeSpan? retryAfter = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (retryAfter is { } wait)
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await JsonSerializer.SerializeAsync(response.Body, error, MoteJsonContext.Default.ErrorResponse, context.RequestAborted);
    }

    public static Task WriteAsync(HttpContext context, int status, string message, string type, string? code = null, string? param = null) =>
        WriteAsync(context, status, ErrorResponse.Create(message, type, code, param));
}
