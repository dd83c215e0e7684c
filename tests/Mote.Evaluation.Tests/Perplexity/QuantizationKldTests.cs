using System.Text.Json;
using Mote.Engine;
using Mote.Evaluation.Perplexity;
using Mote.Testing;

namespace Mote.Evaluation.Tests.Perplexity;

/// <summary>
/// What each quantized file loses against its f32 original, measured like llama-perplexity --kl-divergence over
/// brown-fiction.txt with ctx 128: Mote must do at least as well as llama.cpp (mean KLD ≤ 1.1 × llama.cpp's,
/// same-top-token share ≥ llama.cpp's − 1 point).
/// </summary>
public sealed class QuantizationKldTests
{
    public static TheoryData<string> Stories260KTypes => new() { "f16", "q8_0", "q6_k", "q5_1", "q5_0", "q4_k_m", "q4_1", "q4_0" };

    public static TheoryData<string> KQuantSyntheticTypes => new() { "q8_0", "q6_k", "q5_k_m", "q4_k_m", "q4_0", "q3_k_m", "q2_k" };

    [FixtureTheory]
    [MemberData(nameof(Stories260KTypes))]
    public void Kld_Stories260K_NoWorseThanLlamaCpp(string type)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("perplexity", "perplexity-stories260K.json")));
        var figures = document.RootElement.GetProperty("results").GetProperty(type).GetProperty("kld_vs_f32");
        var llamaKld = figures.GetProperty("mean_kld")[0].GetDouble();
        var llamaSameTop = figures.GetProperty("same_top_p_percent")[0].GetDouble();

        var result = Measure(Fixtures.Path("stories260K", $"stories260K-{type}.gguf"), Fixtures.Path("stories260K", "stories260K-f32.gguf"));
        AssertNoWorse(type, result, llamaKld, llamaSameTop);
    }

    [FixtureTheory]
    [MemberData(nameof(KQuantSyntheticTypes))]
    public void Kld_KQuantSynthetic_NoWorseThanLlamaCpp(string type)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("kquant-synthetic", "perplexity-kquant.json")));
        var llamaKld = document.RootElement.GetProperty("kld_vs_f32").GetProperty(type).GetDouble();
        var llamaSameTop = document.RootElement.GetProperty("same_top_pct").GetProperty(type).GetDouble();

        var result = Measure(Fixtures.Path("kquant-synthetic", $"tiny-kquant-{type}.gguf"), Fixtures.Path("kquant-synthetic", "tiny-kquant-f32.gguf"));
        AssertNoWorse(type, result, llamaKld, llamaSameTop);
    }

    // The f32 reference's log-probabilities are computed once per file and shared by every case (as llama.cpp's
    // --kl-divergence-base file is).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<KldBase>> s_bases = new();

    private static PerplexityResult Measure(string modelPath, string referencePath)
    {
        var tokens = PerplexityEvaluatorTests.BrownFictionTokens();
        var kldBase = s_bases.GetOrAdd(referencePath, path => new Lazy<KldBase>(() =>
        {
            using var reference = Model.Load(path);
            return new PerplexityEvaluator(reference, 128).ComputeBase(tokens);
        })).Value;
        using var model = Model.Load(modelPath);
        return new PerplexityEvaluator(model, 128).Evaluate(tokens, kldBase);
    }

    private static void AssertNoWorse(string type, PerplexityResult result, double llamaKld, double llamaSameTop)
    {
        // llama.cpp prints KLD with 6 decimals; a figure printed as 0.000006 may be up to 0.0000065.
        var kldBound = Math.Max(llamaKld, 5e-7) * 1.1 + 5e-7;
        Assert.True(result.KlDivergenceMean <= kldBound, $"{type}: mean KLD {result.KlDivergenceMean:F6} > 1.1 × llama.cpp's {llamaKld:F6}");
        Assert.True(result.SameTopPercent >= llamaSameTop - 1, $"{type}: same top {result.SameTopPercent:F2}% < llama.cpp's {llamaSameTop:F2}% − 1");
    }
}
