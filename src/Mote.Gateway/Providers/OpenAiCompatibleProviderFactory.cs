using System.Collections.Frozen;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Providers;

/// <summary>Builds <c>openai-compatible</c> providers from a profile plus the configuration's overrides.</summary>
internal sealed class OpenAiCompatibleProviderFactory(IHttpClientFactory httpFactory, TimeProvider time) : IProviderFactory
{
    public const string TypeName = "openai-compatible";

    public string Type => TypeName;

    public IProvider? Create(string name, ProviderConfig config, ICollection<string> errors)
    {
        ProviderProfile profile;
        if (config.Profile is not null)
        {
            if (!ProviderProfiles.All.TryGetValue(config.Profile, out var known))
            {
                errors.Add($"unknown profile '{config.Profile}'; known profiles: {string.Join(", ", ProviderProfiles.All.Keys.Order())}.");
                return null;
            }
            profile = known;
        }
        else if (config.BaseUrl is not null)
        {
            profile = ProviderProfiles.Generic(config.BaseUrl);
        }
        else
        {
            errors.Add("an openai-compatible provider needs a 'profile' or a 'base_url'.");
            return null;
        }

        var baseText = config.BaseUrl ?? profile.BaseUrl;
        if (!UpstreamHttp.TryParseBase(baseText, out var baseUri))
        {
            errors.Add($"base_url '{baseText}' is not an absolute http(s) URL.");
            return null;
        }

        var keyEnv = config.ApiKeyEnv ?? profile.ApiKeyEnv;
        var key = keyEnv is null ? null : Environment.GetEnvironmentVariable(keyEnv);
        if (string.IsNullOrEmpty(key) && (profile.RequiresKey || config.ApiKeyEnv is not null))
        {
            errors.Add($"environment variable {keyEnv} (api_key_env) is not set.");
            return null;
        }

        var renames = new Dictionary<string, string>(profile.Renames);
        foreach (var (from, to) in config.Renames ?? [])
            renames[from] = to;
        var drops = new HashSet<string>(profile.Drops);
        drops.UnionWith(config.Drops ?? []);

        var healthPath = config.HealthPath ?? profile.HealthPath;
        var endpoint = new OpenAiCompatibleEndpoint
        {
            ProviderName = name,
            ChatUri = new Uri(baseUri, "chat/completions"),
            HealthUri = healthPath is null ? null : new Uri(baseUri, healthPath),
            ApiKey = key,
            Headers = config.Headers,
            Renames = renames.ToFrozenDictionary(),
            Drops = drops.ToFrozenSet(),
        };
        return new OpenAiCompatibleProvider(
            endpoint,
            httpFactory.CreateClient(UpstreamHttp.ClientName),
            time,
            isLocal: config.Local ?? UpstreamHttp.IsLoopback(baseUri),
            supportsPrefill: config.Prefill ?? profile.Prefill,
            prefillParameters: profile.PrefillParameters);
    }
}
