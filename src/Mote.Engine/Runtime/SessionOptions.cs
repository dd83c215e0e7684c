using Mote.Numerics.Threading;

namespace Mote.Engine.Runtime;

/// <summary>Settings of one inference session.</summary>
public sealed record SessionOptions
{
    /// <summary>The default context when neither the caller nor the model asks for less (as llama.cpp's tools).</summary>
    public const int DefaultContextLength = 4096;

    /// <summary>The default number of prompt tokens processed together (llama.cpp's n_ubatch).</summary>
    public const int DefaultBatchSize = 512;

    /// <summary>
    /// Tokens the KV cache holds; 0 means the model's trained context capped at <see cref="DefaultContextLength"/>.
    /// Larger than the model's trained context is an error.
    /// </summary>
    public int ContextLength { get; init; }

    /// <summary>Most tokens evaluated in one forward pass; longer prompts run in several.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>How the KV cache stores keys and values: f32 (exact) or f16 (half the memory, as llama.cpp's default).</summary>
    public KvCacheType CacheType { get; init; } = KvCacheType.F32;

    /// <summary>Compute threads; null uses the process-wide pool (one thread per physical core).</summary>
    public WorkerPool? Pool { get; init; }
}
