using Mote.Engine.Generation;
using Mote.Engine.Sampling;
using Mote.Server.LocalModels.Json;
using Mote.Tokenizers;

namespace Mote.Server.LocalModels.Scheduling;

/// <summary>Where a sequence is in its life.</summary>
internal enum SequencePhase
{
    /// <summary>Feeding prompt tokens, a bounded chunk per step.</summary>
    Prefill,

    /// <summary>Another choice of the same prompt is prefilling; this one copies its cache when it is done.</summary>
    AwaitingPrompt,

    /// <summary>One token per step.</summary>
    Decode,
}

/// <summary>
/// One choice being generated in a slot: its sampler, its text pipeline (token bytes → whole characters → stop
/// strings), its grammar, and its progress. Touched only by the scheduler thread.
/// </summary>
internal sealed class Sequence
{
    public Sequence(GenerationJob job, int choice, CacheSlot slot, Tokenizer tokenizer, int vocabularySize)
    {
        Job = job;
        Choice = choice;
        Slot = slot;
        var settings = job.Settings;
        var sampling = settings.Sampling;
        if (choice > 0 && sampling.Seed is { } seed)
            sampling = sampling with { Seed = unchecked(seed + (ulong)choice) };
        Sampler = SamplerChain.Create(vocabularySize, sampling);
        Decoder = new StreamingDecoder(tokenizer);
        Stops = new StopStringMatcher(settings.Stop);
        if (settings.Grammar is { } grammar && settings.Trie is { } trie)
            Constraint = new JsonConstraint(grammar, trie);
    }

    public GenerationJob Job { get; }

    public int Choice { get; }

    public CacheSlot Slot { get; }

    public SamplerChain Sampler { get; }

    public StreamingDecoder Decoder { get; }

    public StopStringMatcher Stops { get; }

    public JsonConstraint? Constraint { get; }

    public SequencePhase Phase { get; set; }

    /// <summary>Next prompt index to feed while prefilling.</summary>
    public int PromptCursor { get; set; }

    /// <summary>The token sampled last, fed at the next decode step.</summary>
    public int LastToken { get; set; }

    public int Generated { get; set; }

    /// <summary>Timestamp of the last emitted token (the job's creation before the first), for latency metrics.</summary>
    public long LastTokenTimestamp { get; set; }

    public bool Finished { get; set; }
}
