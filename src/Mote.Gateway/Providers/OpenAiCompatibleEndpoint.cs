using System.Collections.Frozen;

namespace Mote.Gateway.Providers;

/// <summary>A resolved OpenAI-compatible provider: profile and configuration merged, URLs parsed, key read.</summary>
internal sealed record OpenAiCompatibleEndpoint
{
    public required string ProviderName { get; init; }

    public required Uri ChatUri { get; init; }

    public Uri? HealthUri { get; init; }

    public string? ApiKey { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public FrozenDictionary<string, string> Renames { get; set; } = FrozenDictionary<string, string>.Empty;

    public FrozenSet<string> Drops { get; set; } = FrozenSet<string>.Empty;
}
