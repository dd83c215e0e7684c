using Mote.Gateway.Configuration;

namespace Mote.Server.LocalModels;

/// <summary>
/// The configuration implied by <c>mote serve --model FILE…</c> without <c>--config</c>: one <c>local</c>
/// provider, and per model a deployment and a route named after the file (<c>qwen2.5-0.5b-instruct-q8_0.gguf</c> →
/// <c>qwen2.5-0.5b-instruct-q8_0</c>).
/// </summary>
internal static class LocalModelRoutes
{
    public const string ProviderName = "local";

    public static GatewayConfig Synthesize(IEnumerable<string> models)
    {
        var deployments = new Dictionary<string, DeploymentConfig>(StringComparer.Ordinal);
        var routes = new Dictionary<string, RouteConfig>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var name = RouteName(model);
            deployments[name] = new DeploymentConfig { Provider = ProviderName, Model = model };
            routes[name] = new RouteConfig { Deployment = name };
        }
        return new GatewayConfig
        {
            Providers = new() { [ProviderName] = new ProviderConfig { Type = "local" } },
            Deployments = deployments,
            Routes = routes,
        };
    }

    public static string RouteName(string model)
    {
        var file = Path.GetFileName(model);
        return file.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? file[..^5] : file;
    }
}
