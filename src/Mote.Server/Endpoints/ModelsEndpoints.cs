using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Mote.Contracts;
using Mote.Gateway;
using Mote.Server.Http;

namespace Mote.Server.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the public model names (routes).</summary>
public static class ModelsEndpoints
{
    private static readonly long s_created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1").AddEndpointFilter<KeyAuthFilter>();
        group.MapGet("/models", (ChatGateway gateway) =>
            TypedResults.Json(new ModelList { Data = gateway.Models.Select(Info).ToList() }, MoteJsonContext.Default.ModelList));
        group.MapGet("/models/{**id}", Results<JsonHttpResult<ModelInfo>, JsonHttpResult<ErrorResponse>> (string id, ChatGateway gateway) =>
            gateway.HasModel(id)
                ? TypedResults.Json(Info(id), MoteJsonContext.Default.ModelInfo)
                : TypedResults.Json(
                    ErrorResponse.Create($"The model '{id}' does not exist.", ErrorTypes.InvalidRequest, "model_not_found", "model"),
                    MoteJsonContext.Default.ErrorResponse, statusCode: 404));
        return endpoints;
    }

    private static ModelInfo Info(string id) => new() { Id = id, Created = s_created, OwnedBy = "mote" };
}
