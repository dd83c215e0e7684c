using System.Text.Json;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Providers.Anthropic;

/// <summary>Builds <c>anthropic</c> providers (Messages API, <c>x-api-key</c> auth, prefill supported).</summary>
internal sealed class AnthropicProviderFactory(IHttpClientFactory httpFactory, TimeProvider time) : IProviderFactory
{
    public const string TypeName = "anthropic";
    private const string DefaultBaseUrl = "https://api.anthropic.com/v1";
    private const string DefaultKeyEnv = "ANTHROPIC_API_KEY";

    public string Type => TypeName;

    public IProvider? Create(string name, ProviderConfig config, ICollection<string> errors)
    {
        var baseText = config.BaseUrl ?? DefaultBaseUrl;
        if (!UpstreamHttp.TryParseBase(baseText, out var baseUri))
        {
            errors.Add($"base_url '{baseText}' is not an absolute http(s) URL.");
            return null;
        }
        var keyEnv = config.ApiKeyEnv ?? DefaultKeyEnv;
        var key = Environment.GetEnvironmentVariable(keyEnv);
        var isLocal = config.Local ?? UpstreamHttp.IsLoopback(baseUri);
        // A loopback Anthropic-compatible server (tests, proxies) may run keyless; the real API may not.
        if (string.IsNullOrEmpty(key) && (config.ApiKeyEnv is not null || !isLocal))
        {
            errors.Add($"environment variable {keyEnv} (api_key_env) is not set.");
            return null;
        }
        if (config.DefaultMaxTokens is <= 0)
        {
            errors.Add("default_max_tokens must be positive.");
            return null;
        }
        var endpoint = new AnthropicEndpoint
        {
            ProviderName = name,
            MessagesUri = new Uri(baseUri, "messages"),
            ApiKey = key,
            Version = config.AnthropicVersion ?? "2023-06-01",
            DefaultMaxTokens = config.DefaultMaxTokens ?? 4096,
            Headers = config.Headers,
        };
        return new Provider(name, endpoint, httpFactory.CreateClient(UpstreamHttp.ClientName), time, isLocal, config.Prefill ?? true);
    }

    private sealed class Provider(string name, AnthropicEndpoint endpoint, HttpClient http, TimeProvider time, bool isLocal, bool prefill)
        : IProvider
    {
        public string Name => name;

        public bool IsLocal => isLocal;

        public bool SupportsPrefill => prefill;

        public IReadOnlyDictionary<string, JsonElement> PrefillParameters { get; } = new Dictionary<string, JsonElement>();

        public IChatCompletionClient? CreateClient(string model, ICollection<string> errors) =>
            new AnthropicClient(http, endpoint, model, time);
    }
}
