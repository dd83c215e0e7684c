using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mote.Gateway;

namespace Mote.Server.Endpoints;

/// <summary>
/// <c>GET /health</c>: 200 when ready; 503 while a local model is still loading (any registered
/// <see cref="ILocalModelCatalog"/> that is also an <see cref="IReadinessProbe"/> and says not ready).
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", async (IEnumerable<ILocalModelCatalog> catalogs, CancellationToken cancellationToken) =>
        {
            foreach (var catalog in catalogs)
                if (catalog is IReadinessProbe probe && !await probe.IsReadyAsync(cancellationToken))
                    return TypedResults.Json(new HealthStatus("loading"), ServerJsonContext.Default.HealthStatus, statusCode: 503);
            return TypedResults.Json(new HealthStatus("ok"), ServerJsonContext.Default.HealthStatus);
        });
        return endpoints;
    }
}
