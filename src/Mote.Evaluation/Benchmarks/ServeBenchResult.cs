namespace Mote.Evaluation.Benchmarks;

/// <summary>
/// Aggregate serving figures: generated tokens per second of wall time over all clients, time to first token, and
/// time per token after the first (the gap between streamed content chunks), as percentiles over every request.
/// </summary>
public sealed record ServeBenchResult
{
    public int Clients { get; init; }

    public int Requests { get; init; }

    public int Succeeded { get; init; }

    public int Failed { get; init; }

    /// <summary>Completion tokens as the server reported them (usage), summed.</summary>
    public long GeneratedTokens { get; init; }

    public double WallSeconds { get; init; }

    /// <summary>Generated tokens per second of wall time, all clients together.</summary>
    public double TokensPerSecond => WallSeconds > 0 ? GeneratedTokens / WallSeconds : 0;

    public double TtftP50Ms { get; init; }

    public double TtftP99Ms { get; init; }

    public double TokenLatencyP50Ms { get; init; }

    public double TokenLatencyP99Ms { get; init; }

    /// <summary>The first failure's message, if any request failed.</summary>
    public string? FirstError { get; init; }
}
