using Mote.Gguf;
using Mote.Numerics.Formats;

namespace Mote.Engine.Loading;

/// <summary>
/// All weights of a model, bound to the memory-mapped GGUF tensors by their llama.cpp names and checked against
/// the hyper-parameters. Read-only and shared by every inference session.
/// </summary>
public sealed class ModelWeights
{
    /// <summary>Token embeddings. (n_vocab × n_embd)</summary>
    public required WeightMatrix TokenEmbedding { get; init; }

    public required IReadOnlyList<LayerWeights> Layers { get; init; }

    /// <summary>Final RMSNorm gain. (n_embd)</summary>
    public required float[] OutputNorm { get; init; }

    /// <summary>Classifier; the token embedding itself when the model ties them. (n_vocab × n_embd)</summary>
    public required WeightMatrix Output { get; init; }

    /// <summary>Per-dimension RoPE frequency divisors (<c>rope_freqs.weight</c>, Llama 3 scaling), or null.</summary>
    public float[]? RopeFreqFactors { get; init; }

    /// <summary>Binds and validates every tensor the architecture needs.</summary>
    public static unsafe ModelWeights Bind(GgufFile file, HyperParameters hp)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(hp);
        var binder = new Binder(file);
        var embd = hp.EmbeddingLength;
        var tokenEmbedding = binder.Matrix("token_embd.weight", hp.VocabularySize, embd);

        var layers = new LayerWeights[hp.LayerCount];
        for (var i = 0; i < layers.Length; i++)
        {
            var p = $"blk.{i}.";
            var biases = hp.Architecture.AttentionBiases;
            layers[i] = new LayerWeights
            {
                AttentionNorm = binder.Vector(p + "attn_norm.weight", embd),
                Query = binder.Matrix(p + "attn_q.weight", hp.QueryLength, embd),
                Key = binder.Matrix(p + "attn_k.weight", hp.KvLength, embd),
                Value = binder.Matrix(p + "attn_v.weight", hp.KvLength, embd),
                Output = binder.Matrix(p + "attn_output.weight", embd, hp.QueryLength),
                QueryBias = biases ? binder.Vector(p + "attn_q.bias", hp.QueryLength) : binder.OptionalVector(p + "attn_q.bias", hp.QueryLength),
                KeyBias = biases ? binder.Vector(p + "attn_k.bias", hp.KvLength) : binder.OptionalVector(p + "attn_k.bias", hp.KvLength),
                ValueBias = biases ? binder.Vector(p + "attn_v.bias", hp.KvLength) : binder.OptionalVector(p + "attn_v.bias", hp.KvLength),
                FeedForwardNorm = binder.Vector(p + "ffn_norm.weight", embd),
                Gate = binder.Matrix(p + "ffn_gate.weight", hp.FeedForwardLength, embd),
                Up = binder.Matrix(p + "ffn_up.weight", hp.FeedForwardLength, embd),
                Down = binder.Matrix(p + "ffn_down.weight", embd, hp.FeedForwardLength),
            };
        }

        return new ModelWeights
        {
            TokenEmbedding = tokenEmbedding,
            Layers = layers,
            OutputNorm = binder.Vector("output_norm.weight", embd),
            // Tied embeddings: models without output.weight reuse token_embd.weight as the classifier.
            Output = file.FindTensor("output.weight") is null ? tokenEmbedding : binder.Matrix("output.weight", hp.VocabularySize, embd),
            RopeFreqFactors = binder.OptionalVector("rope_freqs.weight", hp.RopeDimensions / 2),
        };
    }

    /// <summary>Looks tensors up by name and checks their type and shape, naming the file and tensor on error.</summary>
    private sealed unsafe class Binder(GgufFile file)
    {
        public WeightMatrix Matrix(string name, int rows, int columns)
        {
            var info = Require(name);
            if (info.Shape.Length != 2 || info.Shape[0] != columns || info.Shape[1] != rows)
                throw Error(name, $"has shape [{string.Join(", ", info.Shape)}], expected [{columns}, {rows}]");
            if (!TensorTypes.IsSupported(info.Type))
                throw Error(name, $"has type {info.Type}, which Mote cannot compute with yet");
            return new WeightMatrix(name, TensorTypes.Get(info.Type), rows, columns, file.GetTensorPointer(info));
        }

        public float[] Vector(string name, int length) =>
            OptionalVector(name, length) ?? throw Error(name, "is missing");

        public float[]? OptionalVector(string name, int length)
        {
            var info = file.FindTensor(name);
            if (info is null)
                return null;
            if (info.ElementCount != length || info.Shape.Length != 1)
                throw Error(name, $"has shape [{string.Join(", ", info.Shape)}], expected [{length}]");
            if (!TensorTypes.IsSupported(info.Type))
                throw Error(name, $"has type {info.Type}, which Mote cannot compute with yet");
            // Norm gains and biases are tiny; a float copy keeps the hot loop simple.
            var values = new float[length];
            TensorTypes.Get(info.Type).Dequantize(file.GetTensorData(info), values);
            return values;
        }

        private GgufTensorInfo Require(string name) => file.FindTensor(name) ?? throw Error(name, "is missing");

        private ModelLoadException Error(string tensor, string problem) => new($"{file.Path}: tensor '{tensor}' {problem}.");
    }
}
