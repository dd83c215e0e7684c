using System.Text.Json;
using Mote.Engine;
using Mote.Evaluation.Perplexity;
using Mote.Testing;

namespace Mote.Evaluation.Tests.Perplexity;

/// <summary>Perplexity and KL divergence against llama-perplexity's figures in fixtures/perplexity.</summary>
public sealed class PerplexityEvaluatorTests
{
    private const double LlamaCppF32Perplexity = 24.6497; // -ctk f32 -ctv f32 -fa off

    [FixtureFact]
    public void Evaluate_Stories260KF32Ctx128_WithinOneTenthPercentOfLlamaCpp()
    {
        using var model = Model.Load(Fixtures.Path("stories260K", "stories260K-f32.gguf"));
        var result = new PerplexityEvaluator(model, 128).Evaluate(BrownFictionTokens());

        Assert.Equal(378, result.Chunks);
        Assert.Equal(23814, result.ScoredTokens);
        Assert.InRange(result.Perplexity, LlamaCppF32Perplexity * 0.999, LlamaCppF32Perplexity * 1.001);
        Assert.InRange(result.PerplexityError, 0.44197 * 0.99, 0.44197 * 1.01);
    }

    [FixtureFact]
    public void Tokenize_BrownFiction_GivesLlamaTokenizeIds()
    {
        using var model = Model.Load(Fixtures.Path("stories260K", "stories260K-f32.gguf"));
        var evaluator = new PerplexityEvaluator(model, 128);
        // llama-perplexity tokenizes the text itself: our tokenizer must give llama-tokenize's ids.
        Assert.Equal(BrownFictionTokens(), evaluator.Tokenize(File.ReadAllText(Fixtures.Path("perplexity", "brown-fiction.txt"))));
    }

    internal static int[] BrownFictionTokens()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("perplexity", "brown-fiction.stories260K-tokens.json")));
        var root = document.RootElement;
        return root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }
}
