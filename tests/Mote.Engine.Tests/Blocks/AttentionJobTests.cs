using Mote.Engine.Blocks;
using Mote.Engine.Runtime;
using Mote.Numerics.Threading;

namespace Mote.Engine.Tests.Blocks;

/// <summary>The tiled online-softmax attention against a plain two-pass softmax computed in double precision.</summary>
public sealed class AttentionJobTests
{
    private const int Heads = 6, KvHeads = 2, HeadDim = 16, Context = 700;
    private const int GroupSize = Heads / KvHeads;

    // Positions on both sides of tile edges (tiles of 128), the first position and the last.
    private static readonly int[] s_positions = [0, 1, 127, 128, 129, 400, 699];

    [Theory]
    [InlineData(KvCacheType.F32, 1)]
    [InlineData(KvCacheType.F32, 2)]
    [InlineData(KvCacheType.F16, 1)]
    [InlineData(KvCacheType.F16, 3)]
    public void Execute_LongContextsAndGroupedHeads_MatchTwoPassSoftmax(KvCacheType type, int threads)
    {
        var random = new Random(7);
        var keys = RandomMatrix(random, Context, KvHeads * HeadDim, 2f);
        var values = RandomMatrix(random, Context, KvHeads * HeadDim, 1f);
        var cache = new KvCache(layers: 1, Context, KvHeads * HeadDim, type);
        for (var p = 0; p < Context; p++)
            cache.Write(0, p, keys[p], values[p]);
        if (type == KvCacheType.F16)
        {
            // The cache holds the nearest halves: the reference must use the same numbers.
            keys = keys.Select(row => row.Select(v => (float)(Half)v).ToArray()).ToArray();
            values = values.Select(row => row.Select(v => (float)(Half)v).ToArray()).ToArray();
        }

        var batch = new ForwardBatch(s_positions.Length);
        foreach (var position in s_positions)
            batch.Add(token: 0, position, cache, wantsLogits: false);
        var q = RandomMatrix(random, s_positions.Length, Heads * HeadDim, 1f).SelectMany(r => r).ToArray();
        var output = new float[q.Length];
        var scale = 1f / MathF.Sqrt(HeadDim);

        using var pool = new WorkerPool(threads);
        var job = new AttentionJob(threads, GroupSize, HeadDim);
        job.Set(batch, layer: 0, q, output, Heads, GroupSize, HeadDim, scale);
        pool.Run(job);

        for (var row = 0; row < s_positions.Length; row++)
        {
            for (var head = 0; head < Heads; head++)
            {
                var expected = Reference(q.AsSpan((row * Heads + head) * HeadDim, HeadDim), keys, values, s_positions[row], head / GroupSize * HeadDim, scale);
                for (var d = 0; d < HeadDim; d++)
                {
                    var actual = output[(row * Heads + head) * HeadDim + d];
                    Assert.True(Math.Abs(actual - expected[d]) <= 2e-6 + 2e-6 * Math.Abs(expected[d]),
                        $"position {s_positions[row]} head {head} dim {d}: {actual} vs {expected[d]}");
                }
            }
        }
    }

    [Fact]
    public void Write_F16Cache_HalvesTheBytes()
    {
        var f32 = new KvCache(2, 64, 32, KvCacheType.F32);
        var f16 = new KvCache(2, 64, 32, KvCacheType.F16);

        Assert.Equal(2L * 2 * 64 * 32 * sizeof(float), f32.ByteSize);
        Assert.Equal(f32.ByteSize / 2, f16.ByteSize);
    }

    [Fact]
    public void CopyPrefixFrom_OtherType_Throws()
    {
        var f32 = new KvCache(1, 8, 4, KvCacheType.F32);
        var f16 = new KvCache(1, 8, 4, KvCacheType.F16);

        Assert.Throws<ArgumentException>(() => f16.CopyPrefixFrom(f32, 4));
    }

    private static double[] Reference(ReadOnlySpan<float> query, float[][] keys, float[][] values, int position, int offset, float scale)
    {
        var scores = new double[position + 1];
        for (var t = 0; t <= position; t++)
        {
            double dot = 0;
            for (var d = 0; d < HeadDim; d++)
                dot += (double)query[d] * keys[t][offset + d];
            scores[t] = dot * scale;
        }
        var max = scores.Max();
        var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
        var sum = weights.Sum();
        var output = new double[HeadDim];
        for (var t = 0; t <= position; t++)
            for (var d = 0; d < HeadDim; d++)
                output[d] += weights[t] / sum * values[t][offset + d];
        return output;
    }

    private static float[][] RandomMatrix(Random random, int rows, int columns, float amplitude) =>
        Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => (random.NextSingle() * 2 - 1) * amplitude).ToArray()).ToArray();
}
