namespace Mote.Gateway.Providers.Anthropic;

/// <summary>A resolved Anthropic provider.</summary>
internal sealed record AnthropicEndpoint
{
    public required string ProviderName { get; init; }
    public required Uri MessagesUri { get; init; }
    public string? ApiKey { get; init; }
    public string Version { get; set; } = "2023-06-01";
    public int DefaultMaxTokens { get; set; } = 4096;
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}
