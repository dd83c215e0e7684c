using Mote.Engine.Sampling;

namespace Mote.Engine.Generation;

/// <summary>What to generate and when to stop.</summary>
public sealed record GenerationOptions
{
    /// <summary>Upper bound on generated tokens; null means until the context is full.</summary>
    public int? MaxTokens { get; init; } = 256;

    /// <summary>Keep going past end-of-generation tokens.</summary>
    public bool IgnoreEndOfGeneration { get; init; }

    /// <summary>Strings that end generation; the matched string is not part of the output.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    public SamplingOptions Sampling { get; init; } = new();
}
