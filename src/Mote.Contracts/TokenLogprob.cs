namespace Mote.Contracts;

/// <summary>The log-probability of one generated token and, when asked for, its most likely alternatives.</summary>
public sealed record TokenLogprob
{
    public string Token { get; set; } = "";

    public double Logprob { get; set; }

    public IReadOnlyList<int>? Bytes { get; set; }

    public IReadOnlyList<TopLogprob>? TopLogprobs { get; set; }
}
