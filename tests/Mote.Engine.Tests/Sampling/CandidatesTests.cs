using Mote.Engine.Sampling;

namespace Mote.Engine.Tests.Sampling;

public sealed class CandidatesTests
{
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var pattern in new[] { "random", "ties", "ascending", "descending", "special" })
        {
            foreach (var (length, k) in new[] { (1, 1), (5, 1), (17, 3), (100, 40), (1000, 40), (49_152, 40), (49_152, 1), (33, 32), (64, 63), (64, 64), (64, 0), (64, 100) })
                data.Add(pattern, length, k);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LoadTop_EqualsLoadThenKeepTop(string pattern, int length, int k)
    {
        var logits = Logits(pattern, length);
        var expected = new Candidates(length);
        expected.Load(logits);
        expected.KeepTop(k);
        var actual = new Candidates(length);
        actual.Load(Logits("random", length)); // stale state from an earlier step must not leak

        actual.LoadTop(logits, k);

        Assert.True(actual.IsSorted);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected.Items[i].Id, actual.Items[i].Id);
            Assert.Equal(expected.Items[i].Logit, actual.Items[i].Logit);
        }
    }

    [Fact]
    public void KeepTop_KeepsTheBestSortedAndTheLowestIdOnTies()
    {
        var candidates = new Candidates(6);
        candidates.Load([1f, 5f, 3f, 5f, -2f, 4f]);
        candidates.KeepTop(3);
        Assert.Equal([1, 3, 5], candidates.Items.ToArray().Select(c => c.Id));
    }

    [Fact]
    public void LoadTop_TiesAtTheCutKeepTheLowestIds()
    {
        // Eight equal logits after a better one: the cut at k = 4 keeps ids 0 (best), then 1, 2, 3.
        float[] logits = [0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f];
        logits[0] = 1f;
        var candidates = new Candidates(logits.Length);
        candidates.LoadTop(logits, 4);
        Assert.Equal([0, 1, 2, 3], candidates.Items.ToArray().Select(c => c.Id));
    }

    [Fact]
    public void Softmax_SumsToOne_AndOrdersLikeLogits()
    {
        var candidates = new Candidates(3);
        candidates.Load([0f, MathF.Log(2f), MathF.Log(5f)]);
        candidates.Softmax();
        var p = candidates.Items.ToArray().Select(c => c.Probability).ToArray();
        Assert.Equal(1f / 8, p[0], 1e-6f);
        Assert.Equal(2f / 8, p[1], 1e-6f);
        Assert.Equal(5f / 8, p[2], 1e-6f);
    }

    private static float[] Logits(string pattern, int length)
    {
        var random = new Random(length * 31 + pattern.Length);
        var logits = new float[length];
        for (var i = 0; i < length; i++)
        {
            logits[i] = pattern switch
            {
                "random" => (float)(random.NextDouble() * 30 - 15),
                "ties" => random.Next(8), // many equal logits: the lowest id must win each tie
                "ascending" => i * 0.001f, // every logit enters the kept set: the heap's worst case
                "descending" => -i * 0.001f,
                _ => (i % 13) switch
                {
                    0 => float.NegativeInfinity, // masked tokens (grammars, logit bias)
                    1 => float.PositiveInfinity,
                    2 => -0f,
                    _ => (float)random.NextDouble(),
                },
            };
        }
        return logits;
    }
}
