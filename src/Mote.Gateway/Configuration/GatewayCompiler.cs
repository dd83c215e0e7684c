using System.Collections.Frozen;
using Mote.Gateway.Providers;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Configuration;

/// <summary>
/// Validates a configuration and compiles it into a <see cref="GatewayRuntime"/>. Validation is compilation:
/// every provider, deployment and route is built, and every problem is reported together, by its path
/// (<c>routes.chat.fallback[1]</c>), so that one start-up shows all mistakes.
/// </summary>
internal sealed class GatewayCompiler(
    IEnumerable<IProviderFactory> providerFactories,
    IEnumerable<IRoutingPolicy> policies,
    DeploymentBuilder deployments)
{
    private readonly FrozenDictionary<string, IProviderFactory> _factories =
        providerFactories.ToFrozenDictionary(f => f.Type, StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, IRoutingPolicy> _policies =
        policies.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> PolicyNames => _policies.Keys;

    /// <summary>Loads the file (or takes the in-code configuration) named by <paramref name="options"/> and compiles it.</summary>
    public GatewayRuntime CompileFrom(GatewayOptions options)
    {
        if (options.ConfigPath is { } path)
        {
            var config = GatewayConfigLoader.LoadFile(path);
            return Compile(config, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        if (options.Config is { } inline)
            return Compile(inline, "(in-code configuration)", options.DataDirectory ?? Directory.GetCurrentDirectory());
        throw new GatewayConfigException("(none)",
            ["no configuration: pass --config FILE (JSON or YAML) or serve a model with --model FILE."]);
    }

    /// <summary>Compiles <paramref name="config"/>; throws <see cref="GatewayConfigException"/> listing every problem.</summary>
    public GatewayRuntime Compile(GatewayConfig config, string source, string baseDirectory)
    {
        var errors = new List<string>();
        ConfigRules.CheckResilience(config.Resilience, errors);

        var providers = new Dictionary<string, IProvider>(StringComparer.Ordinal);
        foreach (var (name, provider) in config.Providers)
        {
            var built = CompileProvider(name, provider, errors);
            if (built is not null)
                providers[name] = built;
        }

        var compiled = new Dictionary<string, Deployment>(StringComparer.Ordinal);
        foreach (var (name, deployment) in config.Deployments)
        {
            var path = $"deployments.{name}";
            var problems = ConfigRules.CheckDeployment(deployment);
            if (!config.Providers.ContainsKey(deployment.Provider))
                problems.Add($"provider '{deployment.Provider}' is not defined under 'providers'.");
            foreach (var problem in problems)
                errors.Add($"{path}: {problem}");
            if (problems.Count > 0 || !providers.TryGetValue(deployment.Provider, out var provider))
                continue;
            var local = new List<string>();
            var built = deployments.Build(name, deployment, provider, config.Resilience, local);
            errors.AddRange(local.Select(e => $"{path}: {e}"));
            if (built is not null)
                compiled[name] = built;
        }

        var routes = new Dictionary<string, Route>(StringComparer.Ordinal);
        var routeCompiler = new RouteCompiler(compiled, config.Deployments, _policies, config.Resilience, errors);
        foreach (var (name, route) in config.Routes)
        {
            if (routeCompiler.Compile(name, route) is { } built)
                routes[name] = built;
        }

        ConfigRules.CheckKeys(config, errors);
        if (errors.Count > 0)
            throw new GatewayConfigException(source, errors);

        var frozenProviders = providers.ToFrozenDictionary(StringComparer.Ordinal);
        return new GatewayRuntime
        {
            Config = config,
            Source = source,
            BaseDirectory = baseDirectory,
            Providers = frozenProviders,
            Deployments = compiled.ToFrozenDictionary(StringComparer.Ordinal),
            Routes = routes.ToFrozenDictionary(StringComparer.Ordinal),
            DirectFactory = config.AllowDirect ? (provider, model) => Direct(config, frozenProviders, provider, model) : null,
        };
    }

    private IProvider? CompileProvider(string name, ProviderConfig provider, List<string> errors)
    {
        if (!_factories.TryGetValue(provider.Type, out var factory))
        {
            errors.Add($"providers.{name}.type: unknown provider type '{provider.Type}'; expected one of: "
                + $"{string.Join(", ", _factories.Keys.Order())}.");
            return null;
        }
        var local = new List<string>();
        var built = factory.Create(name, provider, local);
        errors.AddRange(local.Select(e => $"providers.{name}: {e}"));
        return built;
    }

    /// <summary>A deployment for <c>provider/model</c>, priced like a configured deployment of the same model.</summary>
    private Deployment? Direct(GatewayConfig config, FrozenDictionary<string, IProvider> providers, string providerName, string model)
    {
        if (!providers.TryGetValue(providerName, out var provider))
            return null;
        var priced = config.Deployments.Values.FirstOrDefault(d => d.Provider == providerName && d.Model == model);
        var deployment = priced ?? new DeploymentConfig { Provider = providerName, Model = model };
        return deployments.Build($"{providerName}/{model}", deployment, provider, config.Resilience, new List<string>());
    }
}
