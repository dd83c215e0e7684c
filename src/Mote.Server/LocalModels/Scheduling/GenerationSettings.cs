using Mote.Engine.Sampling;
using Mote.Server.LocalModels.Json;

namespace Mote.Server.LocalModels.Scheduling;

/// <summary>Everything a job asks of the scheduler besides its prompt, checked before it is queued.</summary>
internal sealed record GenerationSettings
{
    /// <summary>Choices to generate from the one prompt (OpenAI's <c>n</c>).</summary>
    public int Choices { get; init; } = 1;

    /// <summary>Most tokens per choice; generation also ends when the context is full.</summary>
    public int MaxTokens { get; init; }

    /// <summary>Sampler settings of choice 0; choice i uses the seed plus i.</summary>
    public SamplingOptions Sampling { get; init; } = SamplingOptions.Greedy;

    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Constrained decoding: every choice is a JSON text of this grammar.</summary>
    public JsonGrammar? Grammar { get; init; }

    public TokenTrie? Trie { get; init; }

    public bool Logprobs { get; init; }

    /// <summary>Alternatives reported per token when <see cref="Logprobs"/> is on (0–20).</summary>
    public int TopLogprobs { get; init; }

    /// <summary>Keep going past end-of-generation tokens (llama.cpp's <c>ignore_eos</c>).</summary>
    public bool IgnoreEndOfGeneration { get; init; }
}
