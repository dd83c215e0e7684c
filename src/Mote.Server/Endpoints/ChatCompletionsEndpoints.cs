using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Mote.Contracts;
using Mote.Gateway;
using Mote.Server.Http;
using Mote.Server.Streaming;

namespace Mote.Server.Endpoints;

/// <summary><c>POST /v1/chat/completions</c>, streamed or not, through the gateway.</summary>
public static class ChatCompletionsEndpoints
{
    /// <summary>Header a client sets to keep a request on this machine (<c>x-mote-local-only: true</c>).</summary>
    public const string LocalOnlyHeader = "x-mote-local-only";

    /// <summary>Header telling the client how the request was routed.</summary>
    public const string RouteHeader = "x-mote-route";

    public static IEndpointRouteBuilder MapChatCompletions(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1").AddEndpointFilter<KeyAuthFilter>();
        group.MapPost("/chat/completions", HandleAsync);
        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, ChatGateway gateway, ILoggerFactory loggers)
    {
        var cancellation = context.RequestAborted;
        var request = await RequestJson.ReadChatAsync(context.Request, cancellation);
        var call = new GatewayCall
        {
            Key = KeyAuthFilter.Principal(context),
            LocalOnlyRequested = IsTrue(context.Request.Headers[LocalOnlyHeader]),
        };

        if (!request.IsStreaming)
        {
            ChatCompletionResponse response;
            try
            {
                response = await gateway.CompleteAsync(request, call, cancellation);
            }
            finally
            {
                if (call.RouteHeader is { } header)
                    context.Response.Headers[RouteHeader] = header;
            }
            // Serialized whole, then written once with its length: the synchronous serializer is cheaper than the
            // resumable one, and a Content-Length spares the chunked framing.
            var body = JsonSerializer.SerializeToUtf8Bytes(response, MoteJsonContext.Default.ChatCompletionResponse);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, cancellation);
            return;
        }

        await using var chunks = gateway.StreamAsync(request, call, cancellation).GetAsyncEnumerator(cancellation);
        // Nothing is sent until the first chunk exists, so that a failure before it still gets a proper status.
        bool more;
        try
        {
            more = await chunks.MoveNextAsync();
        }
        finally
        {
            if (call.RouteHeader is { } header)
                context.Response.Headers[RouteHeader] = header;
        }

        SseWriter.Start(context.Response);
        var sse = new SseWriter(context.Response);
        try
        {
            while (more)
            {
                await sse.WriteAsync(chunks.Current, cancellation);
                more = await chunks.MoveNextAsync();
            }
            await sse.WriteDoneAsync(cancellation);
        }
        catch (GatewayException e)
        {
            // The answer is incomplete: say so in the stream and leave out [DONE], so no client takes it as whole.
            ServerLog.StreamFailed(loggers.CreateLogger(typeof(ChatCompletionsEndpoints)), call.RequestId, e.Message);
            await sse.WriteErrorAsync(e.Error, cancellation);
        }
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
}
