using Microsoft.AspNetCore.Http;
using Mote.Contracts;
using Mote.Gateway.Keys;

namespace Mote.Server.Http;

/// <summary>The admin API: only the master key, and only when one is configured.</summary>
internal sealed class MasterKeyFilter(KeyService keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!keys.AdminEnabled)
            return Error(403, "The admin API is disabled: set keys.master_key_env in the configuration.", ErrorTypes.Permission, "admin_disabled");
        if (!keys.IsMaster(KeyAuthFilter.Token(context.HttpContext.Request)))
            return Error(401, "The admin API needs the master key as 'Authorization: Bearer <key>'.", ErrorTypes.Authentication, "invalid_api_key");
        return await next(context);
    }

    private static IResult Error(int status, string message, string type, string code) =>
        TypedResults.Json(ErrorResponse.Create(message, type, code), MoteJsonContext.Default.ErrorResponse, statusCode: status);
}
