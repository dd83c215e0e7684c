using Mote.Engine.Blocks;
using Mote.Engine.Runtime;
using Mote.Numerics.Threading;

namespace Mote.Engine.Tests.Blocks;

/// <summary>The tiled online-softmax attention against a plain two-pass softmax computed in double precision.</summary>
public sealed class AttentionJobTests
{
    private const int KvHeads = 2, Context = 700, MaxRows = 40;

    // Positions on both sides of tile edges (tiles of 128), the first position and the last.
    private static readonly int[] s_positions = [0, 1, 127, 128, 129, 400, 699];

    // A prompt continuing a cached prefix: 40 rows, blocks of 16 rows straddling the tile edge at 128.
    private static readonly int[] s_prompt = [.. Enumerable.Range(100, MaxRows)];

    // Decode: one row seeing 1, 127, 128, 129 and 700 positions.
    private static readonly int[] s_decodePositions = [0, 126, 127, 128, 699];

    // (threads, chunk keys): never split, the engine's choice on 2 and 3 threads, forced splits that do and do not
    // fall on tile edges.
    private static readonly (int Threads, int? ChunkKeys)[] s_splits = [(1, 0), (2, null), (3, null), (1, 100), (2, 48), (3, 256)];

    public static TheoryData<KvCacheType, int, int, int, int?> Cases()
    {
        var data = new TheoryData<KvCacheType, int, int, int, int?>();
        foreach (var type in new[] { KvCacheType.F32, KvCacheType.F16 })
            foreach (var headDim in new[] { 64, 128, 48, 40, 18 })
                foreach (var group in new[] { 1, 3, 4 })
                    foreach (var (threads, chunkKeys) in s_splits)
                        data.Add(type, headDim, group, threads, chunkKeys);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Execute_DecodeAndBatches_MatchTwoPassSoftmax(KvCacheType type, int headDim, int groupSize, int threads, int? chunkKeys)
    {
        var setup = new Setup(type, headDim, groupSize, seed: headDim * 10 + groupSize);
        using var pool = new WorkerPool(threads);
        var job = new AttentionJob(threads, groupSize, headDim) { ChunkKeys = chunkKeys };

        setup.RunAndCheck(pool, job, s_positions);
        setup.RunAndCheck(pool, job, s_prompt);
        foreach (var position in s_decodePositions)
            setup.RunAndCheck(pool, job, [position]);
    }

    [Fact]
    public void Set_DecodeOnTwoThreads_SplitsTheKeysIntoChunks()
    {
        var setup = new Setup(KvCacheType.F32, headDim: 64, groupSize: 3, seed: 1);
        var job = new AttentionJob(threads: 2, groupSize: 3, headDim: 64);

        job.Set(setup.Batch([699]), 0, setup.Q, setup.Output, setup.Heads, 3, 64, setup.Scale);

        // 700 keys of two KV heads over about 16 chunks of at least 64 keys: 8 per head.
        Assert.Equal(2 * 8, job.Items);
    }

    [Fact]
    public void Set_ManyPairsOrShortContexts_DoNotSplit()
    {
        var setup = new Setup(KvCacheType.F32, headDim: 64, groupSize: 3, seed: 1);
        var job = new AttentionJob(threads: 2, groupSize: 3, headDim: 64);

        // Four rows of one sequence: one block of rows per KV head.
        job.Set(setup.Batch([600, 601, 602, 603]), 0, setup.Q, setup.Output, setup.Heads, 3, 64, setup.Scale);
        Assert.Equal(KvHeads, job.Items);

        job.Set(setup.Batch([40]), 0, setup.Q, setup.Output, setup.Heads, 3, 64, setup.Scale);
        Assert.Equal(KvHeads, job.Items);
    }

    [Fact]
    public void Set_PromptRows_AreBlockedPerSequenceAndBlockLength()
    {
        var setup = new Setup(KvCacheType.F32, headDim: 64, groupSize: 3, seed: 1);
        var job = new AttentionJob(threads: 1, groupSize: 3, headDim: 64);

        // 40 rows of one prompt: blocks of 16, 16 and 8.
        job.Set(setup.Batch([.. Enumerable.Range(0, MaxRows)]), 0, setup.Q, setup.Output, setup.Heads, 3, 64, setup.Scale);
        Assert.Equal(3 * KvHeads, job.Items);

        // Rows alternating between two sequences never share a block.
        job.Set(setup.Batch([10, 10, 11, 11], alternateCaches: true), 0, setup.Q, setup.Output, setup.Heads, 3, 64, setup.Scale);
        Assert.Equal(4 * KvHeads, job.Items);
    }

    /// <summary>
    /// Rows of two sequences in one batch (a server step): each row attends over its own cache, whose keys and values
    /// differ, so a block mixing sequences would give the wrong answer.
    /// </summary>
    [Theory]
    [InlineData(KvCacheType.F32, 1)]
    [InlineData(KvCacheType.F16, 2)]
    public void Execute_TwoSequencesInOneBatch_EachRowReadsItsOwnCache(KvCacheType type, int threads)
    {
        var setup = new Setup(type, headDim: 64, groupSize: 3, seed: 9);
        using var pool = new WorkerPool(threads);
        var job = new AttentionJob(threads, 3, 64) { ChunkKeys = 0 };

        setup.RunAndCheck(pool, job, [0, 1, 127, 128, 129, 400, 699], alternateCaches: true);
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

    /// <summary>A one-layer cache of random keys and values, random queries, and the reference to check against.</summary>
    private sealed class Setup
    {
        private readonly float[][] _keys, _values, _otherKeys, _otherValues;
        private readonly KvCache _cache, _other;
        private readonly int _headDim, _groupSize;

        public Setup(KvCacheType type, int headDim, int groupSize, int seed)
        {
            (_headDim, _groupSize) = (headDim, groupSize);
            Heads = KvHeads * groupSize;
            Scale = 1f / MathF.Sqrt(headDim);
            var random = new Random(seed);
            _keys = RandomMatrix(random, Context, KvHeads * headDim, 2f);
            _values = RandomMatrix(random, Context, KvHeads * headDim, 1f);
            _otherKeys = RandomMatrix(random, Context, KvHeads * headDim, 2f);
            _otherValues = RandomMatrix(random, Context, KvHeads * headDim, 1f);
            _cache = new KvCache(layers: 1, Context, KvHeads * headDim, type);
            _other = new KvCache(layers: 1, Context, KvHeads * headDim, type);
            for (var p = 0; p < Context; p++)
            {
                _cache.Write(0, p, _keys[p], _values[p]);
                _other.Write(0, p, _otherKeys[p], _otherValues[p]);
            }
            if (type == KvCacheType.F16)
            {
                // The cache holds the nearest halves: the reference must use the same numbers.
                _keys = Halves(_keys);
                _values = Halves(_values);
                _otherKeys = Halves(_otherKeys);
                _otherValues = Halves(_otherValues);
            }
            Q = [.. RandomMatrix(random, MaxRows, Heads * headDim, 1f).SelectMany(r => r)];
            Output = new float[Q.Length];
        }

        public int Heads { get; }

        public float Scale { get; }

        public float[] Q { get; }

        public float[] Output { get; }

        /// <summary>Rows at these positions of the first cache, or (alternating) of the first and the second.</summary>
        public ForwardBatch Batch(int[] positions, bool alternateCaches = false)
        {
            var batch = new ForwardBatch(positions.Length);
            for (var row = 0; row < positions.Length; row++)
                batch.Add(token: 0, positions[row], CacheOfRow(row, alternateCaches), wantsLogits: false);
            return batch;
        }

        public void RunAndCheck(WorkerPool pool, AttentionJob job, int[] positions, bool alternateCaches = false)
        {
            Array.Fill(Output, float.NaN);
            job.Set(Batch(positions, alternateCaches), layer: 0, Q, Output, Heads, _groupSize, _headDim, Scale);
            pool.Run(job);

            for (var row = 0; row < positions.Length; row++)
            {
                for (var head = 0; head < Heads; head++)
                {
                    var offset = (row * Heads + head) * _headDim;
                    var other = alternateCaches && row % 2 == 1;
                    var expected = Reference(Q.AsSpan(offset, _headDim), positions[row], head / _groupSize * _headDim,
                        other ? _otherKeys : _keys, other ? _otherValues : _values);
                    for (var d = 0; d < _headDim; d++)
                    {
                        var actual = Output[offset + d];
                        Assert.True(Math.Abs(actual - expected[d]) <= 2e-6 + 2e-6 * Math.Abs(expected[d]),
                            $"position {positions[row]} of {positions.Length} rows, head {head} dim {d}, {job.Items} items: {actual} vs {expected[d]}");
                    }
                }
            }
        }

        private KvCache CacheOfRow(int row, bool alternateCaches) => alternateCaches && row % 2 == 1 ? _other : _cache;

        private double[] Reference(ReadOnlySpan<float> query, int position, int offset, float[][] keys, float[][] values)
        {
            var scores = new double[position + 1];
            for (var t = 0; t <= position; t++)
            {
                double dot = 0;
                for (var d = 0; d < _headDim; d++)
                    dot += (double)query[d] * keys[t][offset + d];
                scores[t] = dot * Scale;
            }
            var max = scores.Max();
            var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
            var sum = weights.Sum();
            var output = new double[_headDim];
            for (var t = 0; t <= position; t++)
                for (var d = 0; d < _headDim; d++)
                    output[d] += weights[t] / sum * values[t][offset + d];
            return output;
        }

        private static float[][] Halves(float[][] rows) => [.. rows.Select(row => row.Select(v => (float)(Half)v).ToArray())];

        private static float[][] RandomMatrix(Random random, int rows, int columns, float amplitude) =>
            [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => (random.NextSingle() * 2 - 1) * amplitude).ToArray())];
    }
}
