using Mote.Engine.Sampling;

namespace Mote.Engine.Tests.Sampling;

public sealed class SamplerChainTests
{
    [Fact]
    public void Greedy_PicksTheBest_LowestIdOnTies()
    {
        var chain = SamplerChain.Create(6, SamplingOptions.Greedy);
        Assert.Equal(1, chain.Sample([1f, 5f, 3f, 5f, -2f, 4f]));
        Assert.Equal(4, chain.Sample([1f, 0f, 3f, 0f, 9f, 4f]));
    }

    [Fact]
    public void SameSeed_SameTokens_DifferentSeed_DifferentTokens()
    {
        var logits = Flat(1000);
        int[] Draw(ulong seed)
        {
            var chain = SamplerChain.Create(logits.Length, new SamplingOptions { Temperature = 1f, TopK = 0, TopP = 1f, MinP = 0f, Seed = seed });
            return Enumerable.Range(0, 50).Select(_ => chain.Sample(logits)).ToArray();
        }
        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
    }

    [Fact]
    public void TopK_OnlyTheKBestAreEverDrawn()
    {
        var logits = Flat(5000);
        logits[4321] = 3f;
        logits[17] = 3f;
        logits[999] = 3f;
        var chain = SamplerChain.Create(logits.Length, new SamplingOptions { Temperature = 1f, TopK = 3, TopP = 1f, MinP = 0f, Seed = 1 });
        var drawn = Enumerable.Range(0, 300).Select(_ => chain.Sample(logits)).ToHashSet();
        Assert.Equal([17, 999, 4321], drawn.Order());
    }

    [Fact]
    public void Draws_FollowTheSoftmax()
    {
        // p = 1/8, 2/8, 5/8: counts over 40,000 draws within 5 standard deviations of the expectation.
        float[] logits = [0f, MathF.Log(2f), MathF.Log(5f)];
        var chain = SamplerChain.Create(3, new SamplingOptions { Temperature = 1f, TopK = 40, TopP = 1f, MinP = 0f, Seed = 3 });
        var counts = new int[3];
        const int draws = 40_000;
        for (var i = 0; i < draws; i++)
            counts[chain.Sample(logits)]++;
        double[] p = [1 / 8.0, 2 / 8.0, 5 / 8.0];
        for (var t = 0; t < 3; t++)
        {
            var expected = draws * p[t];
            var sd = Math.Sqrt(draws * p[t] * (1 - p[t]));
            Assert.InRange(counts[t], expected - 5 * sd, expected + 5 * sd);
        }
    }

    [Fact]
    public void TopP_DropsTheTailBeyondTheNucleus()
    {
        // p = 0.5, 0.3, 0.2: top-p 0.75 keeps the first two (0.5 < 0.75 ≤ 0.8).
        float[] logits = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.2f)];
        var chain = SamplerChain.Create(3, new SamplingOptions { Temperature = 1f, TopK = 0, TopP = 0.75f, MinP = 0f, Seed = 5 });
        var drawn = Enumerable.Range(0, 500).Select(_ => chain.Sample(logits)).ToHashSet();
        Assert.Equal([0, 1], drawn.Order());
    }

    [Fact]
    public void MinP_DropsTokensBelowAFractionOfTheBest()
    {
        // Relative to the best: 1, 0.5, 0.04 → min-p 0.05 drops the last.
        float[] logits = [0f, MathF.Log(0.5f), MathF.Log(0.04f)];
        var chain = SamplerChain.Create(3, new SamplingOptions { Temperature = 1f, TopK = 0, TopP = 1f, MinP = 0.05f, Seed = 9 });
        var drawn = Enumerable.Range(0, 500).Select(_ => chain.Sample(logits)).ToHashSet();
        Assert.Equal([0, 1], drawn.Order());
    }

    [Fact]
    public void LowTemperature_SharpensTowardsTheBest()
    {
        float[] logits = [0f, 1f];
        var chain = SamplerChain.Create(2, new SamplingOptions { Temperature = 0.05f, TopK = 0, TopP = 1f, MinP = 0f, Seed = 11 });
        // p(0) = 1 / (1 + e^20) ≈ 2e-9.
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Equal(1, chain.Sample(logits)));
    }

    [Fact]
    public void RepeatPenalty_TurnsGreedyAwayFromARepeatedToken()
    {
        // llama.cpp: a repeated token's positive logit is divided by the penalty: 2 / 1.5 < 1.5.
        var chain = SamplerChain.Create(2, SamplingOptions.Greedy with { RepeatPenalty = 1.5f });
        float[] logits = [2f, 1.5f];
        Assert.Equal(0, chain.Sample(logits));
        Assert.Equal(1, chain.Sample(logits));
    }

    [Fact]
    public void FrequencyAndPresencePenalties_LowerRepeatedTokensByCount()
    {
        // After token 0 twice: its logit 3 − (2 · 0.6 + 0.5) = 1.3 < 1.5.
        var chain = SamplerChain.Create(2, SamplingOptions.Greedy with { FrequencyPenalty = 0.6f, PresencePenalty = 0.5f });
        chain.Accept(0);
        chain.Accept(0);
        Assert.Equal(1, chain.Sample([3f, 1.5f]));
        chain.Reset();
        Assert.Equal(0, chain.Sample([3f, 1.5f]));
    }

    private static float[] Flat(int length) => Enumerable.Repeat(0f, length).ToArray();
}
