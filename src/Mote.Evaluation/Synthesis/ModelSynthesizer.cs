using System.Buffers;
using Mote.Engine.Sampling;
using Mote.Gguf;
using Mote.Numerics.Formats;

namespace Mote.Evaluation.Synthesis;

/// <summary>
/// Writes a random-weight GGUF model of a given shape and file type: weights ~ N(0, 0.02), norm gains 1, a
/// synthetic byte-level BPE tokenizer, metadata and tensor names exactly as llama.cpp's converters write them.
/// Deterministic for a seed: every row has its own generator seeded from (seed, tensor, row), so the output
/// does not depend on thread scheduling.
/// </summary>
public static class ModelSynthesizer
{
    private const float WeightStdDev = 0.02f;

    public static void Write(SyntheticShape shape, QuantRecipe recipe, ulong seed, string path, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(recipe);
        var vocabulary = SyntheticVocabulary.Create(shape.VocabularySize, seed);
        var writer = new GgufWriter(Metadata(shape, recipe, vocabulary));
        var plan = Tensors(shape, recipe).ToList();
        long totalElements = plan.Sum(t => t.Rows * t.Columns), written = 0;
        foreach (var tensor in plan)
        {
            var t = tensor;
            writer.AddTensor(t.Name, t.Type, t.Rows == 1 ? [t.Columns] : [t.Columns, t.Rows], stream =>
            {
                WriteTensor(t, seed, stream);
                written += t.Rows * t.Columns;
                progress?.Report((double)written / totalElements);
            });
        }
        writer.Write(path);
    }

    private static GgufMetadata Metadata(SyntheticShape shape, QuantRecipe recipe, SyntheticVocabulary vocabulary)
    {
        var arch = shape.Architecture;
        var m = new GgufMetadata();
        m.Set("general.architecture", GgufValue.From(arch));
        m.Set("general.name", GgufValue.From($"mote-synth {shape.Name} {recipe.Name}"));
        m.Set("general.file_type", GgufValue.From(recipe.FileType));
        if (recipe.FileType != 0 && recipe.FileType != 1)
            m.Set("general.quantization_version", GgufValue.From(2u));
        m.Set($"{arch}.vocab_size", GgufValue.From((uint)shape.VocabularySize));
        m.Set($"{arch}.context_length", GgufValue.From((uint)shape.ContextLength));
        m.Set($"{arch}.embedding_length", GgufValue.From((uint)shape.EmbeddingLength));
        m.Set($"{arch}.block_count", GgufValue.From((uint)shape.LayerCount));
        m.Set($"{arch}.feed_forward_length", GgufValue.From((uint)shape.FeedForwardLength));
        m.Set($"{arch}.attention.head_count", GgufValue.From((uint)shape.HeadCount));
        m.Set($"{arch}.attention.head_count_kv", GgufValue.From((uint)shape.KvHeadCount));
        m.Set($"{arch}.rope.freq_base", GgufValue.From(shape.RopeFreqBase));
        m.Set($"{arch}.attention.layer_norm_rms_epsilon", GgufValue.From(shape.RmsNormEpsilon));
        m.Set($"{arch}.rope.dimension_count", GgufValue.From((uint)shape.HeadDim));
        m.Set("tokenizer.ggml.model", GgufValue.From("gpt2"));
        m.Set("tokenizer.ggml.pre", GgufValue.From(shape.PreTokenizer));
        m.Set("tokenizer.ggml.tokens", GgufValue.From(vocabulary.Tokens));
        m.Set("tokenizer.ggml.token_type", GgufValue.From(vocabulary.TokenTypes));
        m.Set("tokenizer.ggml.merges", GgufValue.From(vocabulary.Merges));
        m.Set("tokenizer.ggml.bos_token_id", GgufValue.From((uint)vocabulary.BosId));
        m.Set("tokenizer.ggml.eos_token_id", GgufValue.From((uint)vocabulary.EosId));
        m.Set("tokenizer.ggml.padding_token_id", GgufValue.From((uint)vocabulary.EosId));
        m.Set("tokenizer.ggml.add_bos_token", GgufValue.From(shape.AddBos));
        m.Set("tokenizer.chat_template", GgufValue.From(ChatMlTemplate));
        return m;
    }

    private const string ChatMlTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    /// <summary>One tensor to write: rows × columns of a type, random or constant.</summary>
    private sealed record PlannedTensor(string Name, GgmlType Type, long Rows, long Columns, float? Constant = null, float[]? Values = null);

    private static IEnumerable<PlannedTensor> Tensors(SyntheticShape s, QuantRecipe recipe)
    {
        GgmlType Matrix(string name, int layer, long columns, bool classifier = false) =>
            recipe.TypeFor(name, layer, s.LayerCount, columns, classifier);

        var qLength = s.HeadCount * s.HeadDim;
        var kvLength = s.KvHeadCount * s.HeadDim;
        yield return new("token_embd.weight", Matrix("token_embd.weight", -1, s.EmbeddingLength, classifier: s.TiedEmbeddings), s.VocabularySize, s.EmbeddingLength);
        yield return new("output_norm.weight", GgmlType.F32, 1, s.EmbeddingLength, Constant: 1f);
        if (!s.TiedEmbeddings)
            yield return new("output.weight", Matrix("output.weight", -1, s.EmbeddingLength, classifier: true), s.VocabularySize, s.EmbeddingLength);
        if (s.Llama3RopeScaling is { } scaling)
            yield return new("rope_freqs.weight", GgmlType.F32, 1, s.HeadDim / 2, Values: Llama3RopeFactors(s, scaling));

        for (var i = 0; i < s.LayerCount; i++)
        {
            var p = $"blk.{i}.";
            yield return new(p + "attn_norm.weight", GgmlType.F32, 1, s.EmbeddingLength, Constant: 1f);
            yield return new(p + "attn_q.weight", Matrix("attn_q.weight", i, s.EmbeddingLength), qLength, s.EmbeddingLength);
            yield return new(p + "attn_k.weight", Matrix("attn_k.weight", i, s.EmbeddingLength), kvLength, s.EmbeddingLength);
            yield return new(p + "attn_v.weight", Matrix("attn_v.weight", i, s.EmbeddingLength), kvLength, s.EmbeddingLength);
            if (s.AttentionBiases)
            {
                yield return new(p + "attn_q.bias", GgmlType.F32, 1, qLength);
                yield return new(p + "attn_k.bias", GgmlType.F32, 1, kvLength);
                yield return new(p + "attn_v.bias", GgmlType.F32, 1, kvLength);
            }
            yield return new(p + "attn_output.weight", Matrix("attn_output.weight", i, qLength), s.EmbeddingLength, qLength);
            yield return new(p + "ffn_norm.weight", GgmlType.F32, 1, s.EmbeddingLength, Constant: 1f);
            yield return new(p + "ffn_gate.weight", Matrix("ffn_gate.weight", i, s.EmbeddingLength), s.FeedForwardLength, s.EmbeddingLength);
            yield return new(p + "ffn_up.weight", Matrix("ffn_up.weight", i, s.EmbeddingLength), s.FeedForwardLength, s.EmbeddingLength);
            yield return new(p + "ffn_down.weight", Matrix("ffn_down.weight", i, s.FeedForwardLength), s.EmbeddingLength, s.FeedForwardLength);
        }
    }

    /// <summary>Llama 3's frequency divisors, as convert_hf_to_gguf.py writes them into rope_freqs.weight.</summary>
    private static float[] Llama3RopeFactors(SyntheticShape s, (float Factor, float LowFreqFactor, float HighFreqFactor, int OriginalContext) c)
    {
        var factors = new float[s.HeadDim / 2];
        var lowWavelength = c.OriginalContext / c.LowFreqFactor;
        var highWavelength = c.OriginalContext / c.HighFreqFactor;
        for (var i = 0; i < factors.Length; i++)
        {
            var frequency = 1.0 / Math.Pow(s.RopeFreqBase, 2.0 * i / s.HeadDim);
            var wavelength = 2 * Math.PI / frequency;
            if (wavelength < highWavelength)
                factors[i] = 1f;
            else if (wavelength > lowWavelength)
                factors[i] = c.Factor;
            else
            {
                var smooth = (c.OriginalContext / wavelength - c.LowFreqFactor) / (c.HighFreqFactor - c.LowFreqFactor);
                factors[i] = (float)(1 / ((1 - smooth) / c.Factor + smooth));
            }
        }
        return factors;
    }

    private static void WriteTensor(PlannedTensor t, ulong seed, Stream stream)
    {
        var type = TensorTypes.Get(t.Type);
        var columns = (int)t.Columns;
        var rowBytes = (int)type.RowBytes(columns);
        const int RowsPerBlock = 256;
        var buffer = ArrayPool<byte>.Shared.Rent(RowsPerBlock * rowBytes);
        try
        {
            var tensorSeed = seed ^ Fnv1a(t.Name);
            for (long start = 0; start < t.Rows; start += RowsPerBlock)
            {
                var count = (int)Math.Min(RowsPerBlock, t.Rows - start);
                var blockStart = start;
                Parallel.For(0, count, () => new float[columns], (r, _, row) =>
                {
                    FillRow(t, tensorSeed, blockStart + r, row);
                    type.Quantize(row, buffer.AsSpan(r * rowBytes, rowBytes));
                    return row;
                }, _ => { });
                stream.Write(buffer, 0, count * rowBytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void FillRow(PlannedTensor t, ulong tensorSeed, long row, float[] values)
    {
        if (t.Values is not null)
        {
            t.Values.CopyTo(values, 0);
            return;
        }
        if (t.Constant is { } constant)
        {
            Array.Fill(values, constant);
            return;
        }
        var random = new SeededRandom(tensorSeed + (ulong)row * 0x9E3779B97F4A7C15);
        for (var i = 0; i < values.Length; i += 2)
        {
            // Box–Muller: two independent normals per pair of uniforms.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1)) * WeightStdDev;
            values[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < values.Length)
                values[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
        }
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
