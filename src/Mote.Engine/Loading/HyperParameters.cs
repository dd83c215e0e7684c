using Mote.Engine.Architectures;
using Mote.Gguf;

namespace Mote.Engine.Loading;

/// <summary>
/// The immutable shape of a model, read from <c>{arch}.*</c> GGUF metadata. Names follow their meaning; the
/// llama.cpp name is in each comment.
/// </summary>
public sealed record HyperParameters
{
    public required ArchitectureInfo Architecture { get; init; }

    /// <summary>Width of the residual stream (<c>n_embd</c>).</summary>
    public required int EmbeddingLength { get; init; }

    /// <summary>Number of decoder blocks (<c>n_layer</c>).</summary>
    public required int LayerCount { get; init; }

    /// <summary>Query heads (<c>n_head</c>).</summary>
    public required int HeadCount { get; init; }

    /// <summary>Key/value heads (<c>n_head_kv</c>); fewer than <see cref="HeadCount"/> means GQA/MQA.</summary>
    public required int KvHeadCount { get; init; }

    /// <summary>Per-head width of queries and keys (<c>n_embd_head_k</c>).</summary>
    public required int HeadDim { get; init; }

    /// <summary>Hidden width of the SwiGLU feed-forward (<c>n_ff</c>).</summary>
    public required int FeedForwardLength { get; init; }

    public required int VocabularySize { get; init; }

    /// <summary>Context length the model was trained for (<c>n_ctx_train</c>).</summary>
    public required int ContextLength { get; init; }

    /// <summary>RMSNorm epsilon (<c>f_norm_rms_eps</c>).</summary>
    public required float RmsNormEpsilon { get; init; }

    /// <summary>RoPE base frequency (<c>rope_freq_base</c>).</summary>
    public required float RopeFreqBase { get; init; }

    /// <summary>Linear RoPE scaling: positions are multiplied by this (<c>rope_freq_scale</c> = 1/factor).</summary>
    public required float RopeFreqScale { get; init; }

    /// <summary>Dimensions of each head that RoPE rotates (<c>n_rot</c>).</summary>
    public required int RopeDimensions { get; init; }

    /// <summary>Query heads per key/value head.</summary>
    public int GroupSize => HeadCount / KvHeadCount;

    /// <summary>Width of all query heads together.</summary>
    public int QueryLength => HeadCount * HeadDim;

    /// <summary>Width of all key (or value) heads together (<c>n_embd_k_gqa</c>).</summary>
    public int KvLength => KvHeadCount * HeadDim;

    /// <summary>Reads and validates the hyper-parameters of the family named by <c>general.architecture</c>.</summary>
    public static HyperParameters Read(GgufFile file, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(file);
        var meta = file.Metadata;
        var name = meta.TryGetString("general.architecture")
            ?? throw new ModelLoadException($"{file.Path}: metadata 'general.architecture' is missing.");
        if (!ArchitectureRegistry.TryGet(name, out var architecture))
            throw new ModelLoadException(
                $"{file.Path}: architecture '{name}' is not supported (supported: {string.Join(", ", ArchitectureRegistry.Names)}).");

        int Int(string key, int? fallback = null)
        {
            var value = meta.TryGetInt64($"{name}.{key}") ?? fallback
                ?? throw new ModelLoadException($"{file.Path}: metadata '{name}.{key}' is missing.");
            if (value <= 0 || value > int.MaxValue)
                throw new ModelLoadException($"{file.Path}: metadata '{name}.{key}' = {value} is out of range.");
            return (int)value;
        }

        float Float(string key, float fallback) => (float)(meta.TryGetDouble($"{name}.{key}") ?? fallback);

        var embedding = Int("embedding_length");
        var heads = Int("attention.head_count");
        var kvHeads = Int("attention.head_count_kv", heads);
        if (embedding % heads != 0)
            throw new ModelLoadException($"{file.Path}: {name}.embedding_length {embedding} is not divisible by head_count {heads}.");
        if (heads % kvHeads != 0)
            throw new ModelLoadException($"{file.Path}: {name}.attention.head_count {heads} is not divisible by head_count_kv {kvHeads}.");
        var headDim = Int("attention.key_length", embedding / heads);
        var valueDim = Int("attention.value_length", headDim);
        if (valueDim != headDim)
            throw new ModelLoadException($"{file.Path}: key_length {headDim} != value_length {valueDim} is not supported.");

        var scalingType = meta.TryGetString($"{name}.rope.scaling.type") ?? "none";
        var scalingFactor = Float("rope.scaling.factor", 0f);
        var freqScale = scalingType switch
        {
            "none" => 1f,
            "linear" => scalingFactor > 0 ? 1f / scalingFactor : 1f,
            // Llama 3 scaling is applied through the rope_freqs.weight factors written by the converter.
            "llama3" => 1f,
            _ => throw new ModelLoadException($"{file.Path}: RoPE scaling type '{scalingType}' is not supported."),
        };
        freqScale = (float)(meta.TryGetDouble($"{name}.rope.scale_linear") is { } linear and > 0 ? 1.0 / linear : freqScale);

        var ropeDims = Int("rope.dimension_count", headDim);
        if (ropeDims > headDim || ropeDims % 2 != 0)
            throw new ModelLoadException($"{file.Path}: {name}.rope.dimension_count {ropeDims} must be even and at most the head width {headDim}.");

        return new HyperParameters
        {
            Architecture = architecture,
            EmbeddingLength = embedding,
            LayerCount = Int("block_count"),
            HeadCount = heads,
            KvHeadCount = kvHeads,
            HeadDim = headDim,
            FeedForwardLength = Int("feed_forward_length"),
            VocabularySize = Int("vocab_size", vocabularySize),
            ContextLength = Int("context_length"),
            RmsNormEpsilon = Float("attention.layer_norm_rms_epsilon", 1e-5f),
            RopeFreqBase = Float("rope.freq_base", 10000f),
            RopeFreqScale = freqScale,
            RopeDimensions = ropeDims,
        };
    }
}
