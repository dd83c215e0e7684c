using System.Text.Json;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Providers;

/// <summary>
/// Builds <c>local</c> providers: models served in-process, found through the <see cref="ILocalModelCatalog"/>
/// the server registers. Without a catalog every local deployment is a configuration error.
/// </summary>
internal sealed class LocalProviderFactory(IEnumerable<ILocalModelCatalog> catalogs) : IProviderFactory
{
    public const string TypeName = "local";

    public string Type => TypeName;

    public IProvider? Create(string name, ProviderConfig config, ICollection<string> errors) =>
        new LocalProvider(name, catalogs.ToArray(), config.Prefill ?? true);

    private sealed class LocalProvider(string name, ILocalModelCatalog[] catalogs, bool prefill) : IProvider
    {
        public string Name => name;

        public bool IsLocal => true;

        public bool SupportsPrefill => prefill;

        public IReadOnlyDictionary<string, JsonElement> PrefillParameters { get; } = new Dictionary<string, JsonElement>();

        public IChatCompletionClient? CreateClient(string model, ICollection<string> errors)
        {
            if (catalogs.Length == 0)
            {
                errors.Add($"model '{model}' uses local provider '{name}', but this server has no local model engine "
                    + "registered (no ILocalModelCatalog); serve local models with `mote serve --model FILE`.");
                return null;
            }
            foreach (var catalog in catalogs)
                if (catalog.Find(model) is { } client)
                    return client;
            errors.Add($"local model '{model}' is not loaded by this server.");
            return null;
        }
    }
}
