using System.Security.Cryptography;
using Mote.Engine;
using Mote.Engine.Generation;
using Mote.Engine.Runtime;
using Mote.Evaluation.Synthesis;
using Mote.Gguf;
using Mote.Numerics.Formats;
using Mote.Testing;

namespace Mote.Evaluation.Tests.Synthesis;

public sealed class ModelSynthesizerTests
{
    public static TheoryData<string> Types => new() { "f32", "f16", "q8_0", "q4_0", "q4_k_m" };

    [Theory]
    [MemberData(nameof(Types))]
    public void Write_TinyShape_LoadsAndGenerates(string type)
    {
        var path = Path.Combine(RepoPaths.NewTempDirectory(), $"tiny-{type}.gguf");
        ModelSynthesizer.Write(SyntheticShape.All["tiny"], QuantRecipe.All[type], seed: 7, path);

        using var model = Model.Load(path);
        Assert.Equal(256, model.HyperParameters.EmbeddingLength);
        Assert.Equal(1024, model.HyperParameters.VocabularySize);
        var session = new InferenceSession(model, new SessionOptions { ContextLength = 64 });
        var prompt = model.Tokenizer.Encode("Once upon a time", addSpecial: true);
        var generated = new TextGenerator(session)
            .Generate(prompt, new GenerationOptions { MaxTokens = 8, IgnoreEndOfGeneration = true, Sampling = Engine.Sampling.SamplingOptions.Greedy })
            .Count(t => !t.IsTextOnly);
        Assert.Equal(8, generated);
    }

    [Fact]
    public void Write_SameSeed_SameBytes_OtherSeed_OtherBytes()
    {
        var folder = RepoPaths.NewTempDirectory();
        string Make(string name, ulong seed)
        {
            var path = Path.Combine(folder, name);
            ModelSynthesizer.Write(SyntheticShape.All["tiny"], QuantRecipe.All["q8_0"], seed, path);
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        Assert.Equal(Make("a.gguf", 1), Make("b.gguf", 1));
        Assert.NotEqual(Make("a.gguf", 1), Make("c.gguf", 2));
    }

    [Fact]
    public void Write_TinyShape_FollowsLlamaCppNamingAndLayout()
    {
        var path = Path.Combine(RepoPaths.NewTempDirectory(), "tiny-q4_k_m.gguf");
        ModelSynthesizer.Write(SyntheticShape.All["tiny"], QuantRecipe.All["q4_k_m"], seed: 3, path);
        using var file = GgufFile.Open(path);

        Assert.Equal(32, file.Alignment);
        Assert.All(file.Tensors, t => Assert.Equal(0UL, t.Offset % 32));
        Assert.Equal("llama", file.Metadata.GetString("general.architecture"));
        Assert.Equal(15, file.Metadata.GetInt64("general.file_type")); // LLAMA_FTYPE_MOSTLY_Q4_K_M
        string[] perLayer = ["attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down"];
        var expected = new[] { "token_embd.weight", "output_norm.weight", "output.weight" }
            .Concat(Enumerable.Range(0, 2).SelectMany(i => perLayer.Select(n => $"blk.{i}.{n}.weight")));
        Assert.Equal(expected.Order(), file.Tensors.Select(t => t.Name).Order());
        // llama-quantize's Q4_K_M on a 2-layer model (fixtures/kquant-synthetic/tensor-types.json shows the same):
        // classifier Q6_K; attn_v and ffn_down Q4_K in layer 0 and Q6_K in layer 1 (the last eighth).
        Assert.Equal(GgmlType.Q6_K, file.FindTensor("output.weight")!.Type);
        Assert.Equal(GgmlType.Q4_K, file.FindTensor("blk.0.attn_v.weight")!.Type);
        Assert.Equal(GgmlType.Q6_K, file.FindTensor("blk.1.attn_v.weight")!.Type);
        Assert.Equal(GgmlType.Q4_K, file.FindTensor("blk.0.ffn_down.weight")!.Type);
        Assert.Equal(GgmlType.Q6_K, file.FindTensor("blk.1.ffn_down.weight")!.Type);
        Assert.Equal(GgmlType.Q4_K, file.FindTensor("blk.0.attn_q.weight")!.Type);
        Assert.Equal(GgmlType.F32, file.FindTensor("blk.0.attn_norm.weight")!.Type);
    }

    [Theory]
    [InlineData("smollm2-135m", "q8_0", GgmlType.Q8_0)]
    [InlineData("smollm2-135m", "q4_k_m", GgmlType.Q5_0)] // 576 columns: no K-quant blocks fit, llama.cpp falls back
    [InlineData("llama3.2-1b", "q4_k_m", GgmlType.Q4_K)]
    public void Recipe_RealShapes_ChoosesLlamaQuantizeTypes(string shapeName, string type, GgmlType expectedQ)
    {
        var shape = SyntheticShape.All[shapeName];
        Assert.Equal(expectedQ, QuantRecipe.All[type].TypeFor("attn_q.weight", 4, shape.LayerCount, shape.EmbeddingLength, isClassifier: false));
    }

    /// <summary>
    /// The tiny shape has the same layers as fixtures/kquant-synthetic (made by llama-quantize): every tensor must get
    /// the type llama-quantize chose there.
    /// </summary>
    [FixtureTheory]
    [InlineData("q4_0")]
    [InlineData("q8_0")]
    [InlineData("q4_k_m")]
    public void Recipe_TinyShape_MatchesLlamaQuantizeChoices(string type)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("kquant-synthetic", "tensor-types.json")));
        var expected = document.RootElement.GetProperty($"tiny-kquant-{type}.gguf");
        var path = Path.Combine(RepoPaths.NewTempDirectory(), $"tiny-{type}.gguf");
        ModelSynthesizer.Write(SyntheticShape.All["tiny"], QuantRecipe.All[type], seed: 1, path);
        using var file = GgufFile.Open(path);
        foreach (var tensor in file.Tensors)
            Assert.True(expected.GetProperty(tensor.Name).GetString() == tensor.Type.ToString(),
                $"{tensor.Name}: llama-quantize chose {expected.GetProperty(tensor.Name).GetString()}, synth {tensor.Type}");
    }

    /// <summary>
    /// Every real shape as the benchmark uses it: the file loads with the hyper-parameters of the real model, runs a
    /// prompt and two decode steps, and its header is what llama.cpp expects (alignment, key and tensor names).
    /// </summary>
    [Theory]
    [InlineData("smollm2-135m", 576, 30, 49152)]
    [InlineData("qwen2.5-0.5b", 896, 24, 151936)]
    [InlineData("llama3.2-1b", 2048, 16, 128256)]
    public void Write_RealShapeQ4_0_LoadsAndGenerates(string shapeName, int embedding, int layers, int vocabulary)
    {
        var folder = RepoPaths.NewTempDirectory();
        var path = Path.Combine(folder, $"{shapeName}-q4_0.gguf");
        try
        {
            ModelSynthesizer.Write(SyntheticShape.All[shapeName], QuantRecipe.All["q4_0"], seed: 5, path);
            using var model = Model.Load(path);
            Assert.Equal(embedding, model.HyperParameters.EmbeddingLength);
            Assert.Equal(layers, model.HyperParameters.LayerCount);
            Assert.Equal(vocabulary, model.HyperParameters.VocabularySize);
            Assert.Equal(32, model.File.Alignment);
            Assert.NotNull(model.File.FindTensor("blk.0.attn_q.weight"));
            Assert.Equal(shapeName == "llama3.2-1b", model.Weights.RopeFreqFactors is not null);

            var session = new InferenceSession(model, new SessionOptions { ContextLength = 64 });
            var prompt = model.Tokenizer.Encode("Hello, world! This is a test.", addSpecial: true);
            var logits = session.Prefill(prompt);
            Assert.All(logits.ToArray(), l => Assert.True(float.IsFinite(l)));
            session.Decode(1);
            session.Decode(2);
            Assert.Equal(prompt.Length + 2, session.Position);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
