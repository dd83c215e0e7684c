namespace Mote.Engine.Loading;

/// <summary>The weights of one decoder block (<c>blk.N.*</c>).</summary>
public sealed record LayerWeights
{
    /// <summary>RMSNorm gain before attention. (n_embd)</summary>
    public required float[] AttentionNorm { get; init; }

    /// <summary>Query projection. (n_head·head_dim × n_embd)</summary>
    public required WeightMatrix Query { get; init; }

    /// <summary>Key projection. (n_head_kv·head_dim × n_embd)</summary>
    public required WeightMatrix Key { get; init; }

    /// <summary>Value projection. (n_head_kv·head_dim × n_embd)</summary>
    public required WeightMatrix Value { get; init; }

    /// <summary>Attention output projection. (n_embd × n_head·head_dim)</summary>
    public required WeightMatrix Output { get; init; }

    /// <summary>Optional Q/K/V biases (Qwen2).</summary>
    public float[]? QueryBias { get; init; }

    public float[]? KeyBias { get; init; }

    public float[]? ValueBias { get; init; }

    /// <summary>RMSNorm gain before the feed-forward. (n_embd)</summary>
    public required float[] FeedForwardNorm { get; init; }

    /// <summary>SwiGLU gate projection. (n_ff × n_embd)</summary>
    public required WeightMatrix Gate { get; init; }

    /// <summary>SwiGLU up projection. (n_ff × n_embd)</summary>
    public required WeightMatrix Up { get; init; }

    /// <summary>SwiGLU down projection. (n_embd × n_ff)</summary>
    public required WeightMatrix Down { get; init; }
}
