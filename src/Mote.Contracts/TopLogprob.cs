namespace Mote.Contracts;

/// <summary>One alternative token in <c>top_logprobs</c>.</summary>
public sealed record TopLogprob
{
    public string Token { get; set; } = "";

    public double Logprob { get; set; }

    public IReadOnlyList<int>? Bytes { get; set; }
}
