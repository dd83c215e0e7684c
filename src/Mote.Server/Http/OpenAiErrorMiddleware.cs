using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mote.Contracts;
using Mote.Gateway;

namespace Mote.Server.Http;

/// <summary>
/// Turns every failure into the OpenAI error object: gateway errors with their status, malformed HTTP with 400/413,
/// a client that went away with nothing, and anything unexpected with a logged 500 — never an HTML page, never a
/// dropped connection for a bad request.
/// </summary>
internal sealed class OpenAiErrorMiddleware(RequestDelegate next, ILogger<OpenAiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
                await ErrorWriter.WriteAsync(context, 405, $"Method {context.Request.Method} is not allowed on {context.Request.Path}.",
                    ErrorTypes.InvalidRequest, "method_not_allowed");
        }
        catch (GatewayException e) when (!context.Response.HasStarted)
        {
            await ErrorWriter.WriteAsync(context, e.StatusCode, e.Error, e.RetryAfter);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var status = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? 413 : 400;
            await ErrorWriter.WriteAsync(context, status, e.Message, ErrorTypes.InvalidRequest,
                status == 413 ? "request_too_large" : "bad_request");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client disconnected; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            ServerLog.Unhandled(logger, e, context.Request.Path);
            context.Response.Clear();
            await ErrorWriter.WriteAsync(context, 500, "The server failed while handling this request; the error is logged.",
                ErrorTypes.Server, "internal_error");
        }
    }

    public static Task NotFoundAsync(HttpContext context) =>
        ErrorWriter.WriteAsync(context, 404, $"Unknown path {context.Request.Method} {context.Request.Path}.",
            ErrorTypes.InvalidRequest, "unknown_url");
}
