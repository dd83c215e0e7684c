using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mote.Server.Metrics;

namespace Mote.Server.Endpoints;

/// <summary><c>GET /metrics</c>: every <c>Mote.*</c> meter in Prometheus text format.</summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", (PrometheusExporter exporter) =>
            TypedResults.Text(exporter.Export(), "text/plain; version=0.0.4; charset=utf-8"));
        return endpoints;
    }
}
