namespace Mote.Contracts;

/// <summary>The legacy completion log-probabilities: parallel arrays over the generated tokens.</summary>
public sealed record CompletionLogprobs
{
    public IReadOnlyList<string> Tokens { get; set; } = [];

    public IReadOnlyList<double?> TokenLogprobs { get; set; } = [];

    public IReadOnlyList<Dictionary<string, double>?>? TopLogprobs { get; set; }

    public IReadOnlyList<int>? TextOffset { get; set; }
}
