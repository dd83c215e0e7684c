using System.Collections.Frozen;

namespace Mote.Evaluation.Synthesis;

/// <summary>
/// The exact hyper-parameters of a real model family member, for random-weight benchmark models: speed never
/// depends on weight values, so a synthetic file of the right shape measures what the real one would.
/// </summary>
public sealed record SyntheticShape
{
    public required string Name { get; init; }
    public required string Architecture { get; init; }
    public required int EmbeddingLength { get; init; }
    public required int LayerCount { get; init; }
    public required int HeadCount { get; init; }
    public required int KvHeadCount { get; init; }
    public required int FeedForwardLength { get; init; }
    public required int VocabularySize { get; init; }
    public required int ContextLength { get; init; }
    public required float RopeFreqBase { get; init; }
    public required float RmsNormEpsilon { get; init; }
    public required bool TiedEmbeddings { get; init; }
    public bool AttentionBiases { get; init; }

    /// <summary>The <c>tokenizer.ggml.pre</c> of the real model.</summary>
    public required string PreTokenizer { get; init; }

    public bool AddBos { get; init; }

    /// <summary>Llama 3 RoPE scaling (factor, low-frequency factor, high-frequency factor, original context).</summary>
    public (float Factor, float LowFreqFactor, float HighFreqFactor, int OriginalContext)? Llama3RopeScaling { get; init; }

    public int HeadDim => EmbeddingLength / HeadCount;

    /// <summary>The shapes <c>mote synth --shape</c> knows, by name.</summary>
    public static FrozenDictionary<string, SyntheticShape> All { get; } = new SyntheticShape[]
    {
        // HuggingFaceTB/SmolLM2-135M
        new()
        {
            Name = "smollm2-135m", Architecture = "llama", EmbeddingLength = 576, LayerCount = 30, HeadCount = 9, KvHeadCount = 3,
            FeedForwardLength = 1536, VocabularySize = 49152, ContextLength = 8192, RopeFreqBase = 100000f, RmsNormEpsilon = 1e-5f,
            TiedEmbeddings = true, PreTokenizer = "smollm", AddBos = false,
        },
        // Qwen/Qwen2.5-0.5B
        new()
        {
            Name = "qwen2.5-0.5b", Architecture = "qwen2", EmbeddingLength = 896, LayerCount = 24, HeadCount = 14, KvHeadCount = 2,
            FeedForwardLength = 4864, VocabularySize = 151936, ContextLength = 32768, RopeFreqBase = 1000000f, RmsNormEpsilon = 1e-6f,
            TiedEmbeddings = true, AttentionBiases = true, PreTokenizer = "qwen2", AddBos = false,
        },
        // meta-llama/Llama-3.2-1B
        new()
        {
            Name = "llama3.2-1b", Architecture = "llama", EmbeddingLength = 2048, LayerCount = 16, HeadCount = 32, KvHeadCount = 8,
            FeedForwardLength = 8192, VocabularySize = 128256, ContextLength = 131072, RopeFreqBase = 500000f, RmsNormEpsilon = 1e-5f,
            TiedEmbeddings = true, PreTokenizer = "llama-bpe", AddBos = true, Llama3RopeScaling = (32f, 1f, 4f, 8192),
        },
        // A tiny model for tests: wide enough for real K-quant blocks.
        new()
        {
            Name = "tiny", Architecture = "llama", EmbeddingLength = 256, LayerCount = 2, HeadCount = 4, KvHeadCount = 2,
            FeedForwardLength = 512, VocabularySize = 1024, ContextLength = 512, RopeFreqBase = 10000f, RmsNormEpsilon = 1e-5f,
            TiedEmbeddings = false, PreTokenizer = "default", AddBos = true,
        },
    }.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
}
