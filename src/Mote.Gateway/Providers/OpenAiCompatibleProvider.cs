using System.Text.Json;

namespace Mote.Gateway.Providers;

/// <summary>A configured OpenAI-compatible provider; one client per model shares its endpoint.</summary>
internal sealed class OpenAiCompatibleProvider(
    OpenAiCompatibleEndpoint endpoint,
    HttpClient http,
    TimeProvider time,
    bool isLocal,
    bool supportsPrefill,
    IReadOnlyDictionary<string, JsonElement> prefillParameters) : IProvider
{
    public string Name => endpoint.ProviderName;

    public bool IsLocal => isLocal;

    public bool SupportsPrefill => supportsPrefill;

    public IReadOnlyDictionary<string, JsonElement> PrefillParameters => prefillParameters;

    public IChatCompletionClient? CreateClient(string model, ICollection<string> errors) =>
        new OpenAiCompatibleClient(http, endpoint, model, time);
}
