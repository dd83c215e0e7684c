using Mote.Engine.Runtime;
using Mote.Testing;

namespace Mote.Engine.Tests.Runtime;

/// <summary>The forward pass against llama.cpp's recorded logits and greedy continuations.</summary>
public sealed class GoldenForwardTests
{
    private const float F32LogitTolerance = 1e-4f;

    [FixtureFact]
    public void Prefill_Stories260KF32_LastLogitsMatchLlamaCppWithin1e4()
    {
        var golden = GoldenRun.Load(Fixtures.Path("golden", "golden-stories260K-f32-kvf32-noFA.json"));
        using var model = Model.Load(Fixtures.Path("stories260K", "stories260K-f32.gguf"));
        foreach (var prompt in golden.Prompts)
        {
            var session = new InferenceSession(model, new SessionOptions { ContextLength = 512 });
            var logits = session.Prefill(prompt.TokensWithSpecial);
            var worst = MaxAbsDifference(logits, prompt.LastPromptLogits);
            Assert.True(worst <= F32LogitTolerance, $"prompt '{prompt.Id}': max |Δlogit| = {worst}");
        }
    }

    [FixtureFact]
    public void Prefill_F16Cache_MatchesLlamaCppsF16CacheRunCloserThanAnF32Cache()
    {
        // golden-stories260K-f32.json is llama.cpp's default context: F16 K/V cache and flash attention, which also
        // rounds Q to f16 — so neither cache type reproduces it to 1e-4, but the f16 cache must come closer.
        var golden = GoldenRun.Load(Fixtures.Path("golden", "golden-stories260K-f32.json"));
        using var model = Model.Load(Fixtures.Path("stories260K", "stories260K-f32.gguf"));
        float worstF16 = 0, worstF32 = 0;
        foreach (var prompt in golden.Prompts)
        {
            var f16 = new InferenceSession(model, new SessionOptions { ContextLength = 512, CacheType = KvCacheType.F16 });
            var f32 = new InferenceSession(model, new SessionOptions { ContextLength = 512 });
            worstF16 = Math.Max(worstF16, MaxAbsDifference(f16.Prefill(prompt.TokensWithSpecial), prompt.LastPromptLogits));
            worstF32 = Math.Max(worstF32, MaxAbsDifference(f32.Prefill(prompt.TokensWithSpecial), prompt.LastPromptLogits));
        }
        Assert.True(worstF16 <= 0.02f, $"f16 cache: max |Δlogit| = {worstF16}, f32 cache {worstF32}");
        Assert.True(worstF16 < worstF32, $"f16 cache max |Δlogit| {worstF16} is not below the f32 cache's {worstF32}");
    }

    [FixtureFact]
    public void Greedy_Stories260KF32_All64IdsMatchLlamaCpp()
    {
        var golden = GoldenRun.Load(Fixtures.Path("golden", "golden-stories260K-f32-kvf32-noFA.json"));
        using var model = Model.Load(Fixtures.Path("stories260K", "stories260K-f32.gguf"));
        foreach (var prompt in golden.Prompts)
        {
            var ids = GreedyIds(model, prompt.TokensWithSpecial, prompt.GreedyIds.Length);
            Assert.Equal(prompt.GreedyIds, ids);
        }
    }

    [FixtureTheory]
    [InlineData("golden/golden-stories260K-f16.json", "stories260K/stories260K-f16.gguf", 0.05f)]
    [InlineData("golden/golden-stories260K-q8_0.json", "stories260K/stories260K-q8_0.gguf", 0.5f)]
    public void Greedy_HalfAndQ8_MatchLlamaCppUpToFirstNearTie(string goldenPath, string modelPath, float marginThreshold)
    {
        var golden = GoldenRun.Load(Fixtures.Path(goldenPath.Split('/')));
        using var model = Model.Load(Fixtures.Path(modelPath.Split('/')));
        foreach (var prompt in golden.Prompts)
        {
            var ids = GreedyIds(model, prompt.TokensWithSpecial, prompt.GreedyIds.Length);
            // Compare every step before the first one whose recorded margin is below the threshold: past a
            // near-tie, either choice is right and the sequences may part.
            for (var step = 0; step < ids.Length && prompt.GreedyMargins[step] >= marginThreshold; step++)
            {
                Assert.True(prompt.GreedyIds[step] == ids[step],
                    $"prompt '{prompt.Id}' step {step}: llama.cpp {prompt.GreedyIds[step]}, Mote {ids[step]} (margin {prompt.GreedyMargins[step]})");
            }
        }
    }

    internal static int[] GreedyIds(Model model, int[] prompt, int count)
    {
        var session = new InferenceSession(model, new SessionOptions { ContextLength = 512 });
        var logits = session.Prefill(prompt);
        var ids = new int[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = ArgMax(logits);
            if (i + 1 < count)
                logits = session.Decode(ids[i]);
        }
        return ids;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best])
                best = i;
        return best;
    }

    private static float MaxAbsDifference(ReadOnlySpan<float> a, float[] b)
    {
        Assert.Equal(b.Length, a.Length);
        var worst = 0f;
        for (var i = 0; i < b.Length; i++)
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        return worst;
    }
}
