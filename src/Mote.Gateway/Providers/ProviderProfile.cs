using System.Collections.Frozen;
using System.Text.Json;

namespace Mote.Gateway.Providers;

/// <summary>
/// Everything that distinguishes one OpenAI-compatible API from another, as data: where it lives, how it
/// authenticates, which parameters it renames or rejects, how it reports readiness and whether it continues a
/// trailing assistant message.
/// </summary>
internal sealed record ProviderProfile
{
    public required string Name { get; init; }

    public required string BaseUrl { get; init; }

    public string? ApiKeyEnv { get; init; }

    /// <summary>True when requests fail without a key (cloud APIs); local servers run keyless.</summary>
    public bool RequiresKey { get; init; }

    public FrozenDictionary<string, string> Renames { get; set; } = FrozenDictionary<string, string>.Empty;

    public FrozenSet<string> Drops { get; set; } = FrozenSet<string>.Empty;

    public string? HealthPath { get; init; }

    public bool Prefill { get; init; }

    /// <summary>Extra top-level fields sent with a prefill request (vLLM wants <c>continue_final_message</c>).</summary>
    public FrozenDictionary<string, JsonElement> PrefillParameters { get; set; } =
        FrozenDictionary<string, JsonElement>.Empty;
}
