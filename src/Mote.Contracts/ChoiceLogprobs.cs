namespace Mote.Contracts;

/// <summary>The <c>logprobs</c> of a choice: one entry per generated token.</summary>
public sealed record ChoiceLogprobs
{
    public IReadOnlyList<TokenLogprob>? Content { get; set; }

    public IReadOnlyList<TokenLogprob>? Refusal { get; set; }
}
