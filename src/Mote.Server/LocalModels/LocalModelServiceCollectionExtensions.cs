using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mote.Gateway;

namespace Mote.Server.LocalModels;

/// <summary>Registers the in-process engine as the gateway's <see cref="ILocalModelCatalog"/>.</summary>
internal static class LocalModelServiceCollectionExtensions
{
    public static IServiceCollection AddLocalModels(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(LocalModelCatalog)))
            return services;
        services.AddOptions<LocalModelOptions>();
        services.TryAddSingleton<LocalModelMetrics>();
        services.AddSingleton<LocalModelCatalog>();
        services.AddSingleton<ILocalModelCatalog>(sp => sp.GetRequiredService<LocalModelCatalog>());
        return services;
    }
}
