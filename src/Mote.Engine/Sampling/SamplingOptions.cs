namespace Mote.Engine.Sampling;

/// <summary>
/// Sampler settings, with llama.cpp's defaults. Temperature 0 (or less) means greedy decoding.
/// </summary>
public sealed record SamplingOptions
{
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Keep the k most likely tokens; 0 disables.</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Nucleus threshold; 1 disables.</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Minimum probability relative to the best token; 0 disables.</summary>
    public float MinP { get; init; } = 0.05f;

    /// <summary>Divide (or multiply, if negative) repeated tokens' logits; 1 disables.</summary>
    public float RepeatPenalty { get; init; } = 1f;

    /// <summary>Subtract count × this from repeated tokens' logits (OpenAI frequency_penalty).</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Subtract this from any repeated token's logit (OpenAI presence_penalty).</summary>
    public float PresencePenalty { get; init; }

    /// <summary>How many recent tokens the penalties look at.</summary>
    public int PenaltyWindow { get; init; } = 64;

    /// <summary>RNG seed; null picks one at random.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Greedy settings: always the most likely token.</summary>
    public static SamplingOptions Greedy { get; } = new() { Temperature = 0 };

    public bool IsGreedy => Temperature <= 0;

    internal bool HasPenalties => RepeatPenalty != 1f || FrequencyPenalty != 0f || PresencePenalty != 0f;
}
