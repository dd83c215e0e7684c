namespace Mote.Cli.Chat;

/// <summary>What <c>mote chat</c> was asked: a local model to load, or a server to talk to, and a system prompt.</summary>
internal sealed record ChatOptions
{
    /// <summary>GGUF file or alias to run in-process; with <see cref="Url"/>, the model name on that server.</summary>
    public string? Model { get; init; }

    /// <summary>A running OpenAI-compatible server.</summary>
    public string? Url { get; init; }

    public string? System { get; init; }

    /// <summary>Longest reply, in tokens (<c>max_tokens</c>); null leaves it to the server.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Bearer key for <see cref="Url"/>.</summary>
    public string? ApiKey { get; init; }
}
