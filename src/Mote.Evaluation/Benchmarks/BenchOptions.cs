using Mote.Engine.Runtime;

namespace Mote.Evaluation.Benchmarks;

/// <summary>What <see cref="BenchRunner"/> measures, with llama-bench's defaults.</summary>
public sealed record BenchOptions
{
    /// <summary>Prompt tokens of the prefill test (llama-bench <c>-p</c>); 0 skips the test.</summary>
    public int PromptTokens { get; init; } = 128;

    /// <summary>Tokens decoded one at a time in the generation test (llama-bench <c>-n</c>); 0 skips the test.</summary>
    public int GenerateTokens { get; init; } = 64;

    /// <summary>Compute threads; 0 means one per physical core.</summary>
    public int Threads { get; init; }

    /// <summary>How the KV cache stores keys and values (llama-bench <c>-ctk/-ctv</c>).</summary>
    public KvCacheType CacheType { get; init; } = KvCacheType.F32;

    /// <summary>Measured repetitions after one warm-up run (llama-bench <c>-r</c>).</summary>
    public int Repetitions { get; init; } = 5;

    /// <summary>
    /// Lay q4_0/q4_1/q5_0/q5_1/q8_0/q4_K/q6_K matrices out in eight-row panels at load where the CPU's kernels gain from it (false:
    /// llama-bench <c>--no-repack</c>).
    /// </summary>
    public bool Repack { get; init; } = true;

    /// <summary>Seed of the random token ids fed to the model.</summary>
    public int Seed { get; init; } = 1234;

    /// <summary>Size of the buffer the memory-bandwidth probe reads; 0 skips the probe.</summary>
    public long ProbeBytes { get; init; } = MemoryBandwidthProbe.DefaultBufferBytes;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(PromptTokens, nameof(PromptTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(GenerateTokens, nameof(GenerateTokens));
        if (PromptTokens == 0 && GenerateTokens == 0)
            throw new ArgumentOutOfRangeException(nameof(GenerateTokens), "Nothing to measure: PromptTokens (-p) and GenerateTokens (-n) are both 0.");
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(Repetitions, 1, nameof(Repetitions));
        ArgumentOutOfRangeException.ThrowIfNegative(ProbeBytes, nameof(ProbeBytes));
    }
}
