namespace Mote.Gateway.Configuration;

/// <summary>
/// One provider. <c>openai-compatible</c> providers start from a named profile (base URL, key variable,
/// parameter renames and drops) which any field here overrides; <c>anthropic</c> uses the Messages API;
/// <c>local</c> is a model served in-process.
/// </summary>
public sealed record ProviderConfig
{
    /// <summary><c>openai-compatible</c>, <c>anthropic</c> or <c>local</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>For <c>openai-compatible</c>: openai, openrouter, groq, together, vllm, llama.cpp, ollama, lmstudio.</summary>
    public string? Profile { get; set; }

    public string? BaseUrl { get; set; }

    /// <summary>The environment variable holding the API key (never the key itself).</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Extra HTTP headers sent with every request.</summary>
    public Dictionary<string, string>? Headers { get; set; }

    /// <summary>Request parameters to rename before sending (e.g. <c>max_completion_tokens: max_tokens</c>).</summary>
    public Dictionary<string, string>? Renames { get; set; }

    /// <summary>Request parameters this provider rejects; removed before sending.</summary>
    public List<string>? Drops { get; set; }

    /// <summary>A path on the server root answering 503 while loading and 200 when ready (llama.cpp: <c>/health</c>).</summary>
    public string? HealthPath { get; set; }

    /// <summary>Whether a trailing assistant message is continued (prefill) rather than answered.</summary>
    public bool? Prefill { get; set; }

    /// <summary>Whether the provider runs on this machine (local-only policy). Default: loopback URL or type local.</summary>
    public bool? Local { get; set; }

    /// <summary>For <c>anthropic</c>: the <c>anthropic-version</c> header.</summary>
    public string? AnthropicVersion { get; set; }

    /// <summary>For <c>anthropic</c>: <c>max_tokens</c> to send when the client gave none (the API requires it).</summary>
    public int? DefaultMaxTokens { get; set; }
}
