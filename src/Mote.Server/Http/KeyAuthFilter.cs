using Microsoft.AspNetCore.Http;
using Mote.Contracts;
using Mote.Gateway;
using Mote.Gateway.Keys;

namespace Mote.Server.Http;

/// <summary>
/// Bearer authentication for <c>/v1/*</c>, active once a master key or any virtual key exists. The principal is
/// left in <see cref="HttpContext.Items"/> for the endpoint. <c>x-api-key</c> is accepted too (Anthropic clients).
/// </summary>
internal sealed class KeyAuthFilter(KeyService keys) : IEndpointFilter
{
    private const string PrincipalItem = "mote.principal";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (keys.AuthenticationRequired)
        {
            var token = Token(http.Request);
            if (token is null)
                return Error(401, "Missing API key: send 'Authorization: Bearer <key>'.", ErrorTypes.Authentication, "missing_api_key");
            var principal = keys.Authenticate(token);
            if (principal is null)
                return Error(401, "Invalid or revoked API key.", ErrorTypes.Authentication, "invalid_api_key");
            http.Items[PrincipalItem] = principal;
        }
        return await next(context);
    }

    public static KeyPrincipal? Principal(HttpContext context) =>
        context.Items.TryGetValue(PrincipalItem, out var value) ? value as KeyPrincipal : null;

    public static string? Token(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header[7..].Trim() is { Length: > 0 } token ? token : null;
        var apiKey = request.Headers["x-api-key"].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }

    private static IResult Error(int status, string message, string type, string code) =>
        TypedResults.Json(ErrorResponse.Create(message, type, code), MoteJsonContext.Default.ErrorResponse, statusCode: status);
}
