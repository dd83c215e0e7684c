namespace Mote.Evaluation.Benchmarks;

/// <summary>What <c>mote bench-serve</c> sends: streamed chat completions from concurrent clients.</summary>
public sealed record ServeBenchOptions
{
    /// <summary>The server's base URL (<c>http://127.0.0.1:8080</c>); <c>/v1/chat/completions</c> is appended.</summary>
    public required Uri Url { get; init; }

    public required string Model { get; init; }

    /// <summary>Clients sending at once; each sends its next request when the last one finished.</summary>
    public int Clients { get; init; } = 1;

    /// <summary>Requests in total, shared by the clients.</summary>
    public int Requests { get; init; } = 8;

    public int MaxTokens { get; init; } = 128;

    /// <summary>The user message; each request prefixes its number so that prompts differ (no prefix-cache shortcut).</summary>
    public string Prompt { get; init; } = "Write a short story about a lighthouse keeper and a storm.";

    public double Temperature { get; init; } = 0.8;

    /// <summary>Send llama.cpp's <c>ignore_eos</c> so every request generates exactly <see cref="MaxTokens"/> tokens.</summary>
    public bool IgnoreEos { get; init; } = true;

    /// <summary>Bearer token, if the server wants one.</summary>
    public string? ApiKey { get; init; }
}
