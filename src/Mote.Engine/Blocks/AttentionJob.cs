using System.Numerics.Tensors;
using Mote.Engine.Runtime;
using Mote.Numerics.Threading;

namespace Mote.Engine.Blocks;

/// <summary>
/// Causal scaled dot-product attention for every row of a forward batch over its own sequence's KV cache, split
/// over the worker pool by (row, KV head) pairs: the query heads sharing a KV head (grouped-query attention) are
/// done together, so each key and value is read once per group. A row at position p sees positions 0…p of its
/// cache (its own K/V are already written there).
/// <para>
/// Softmax is computed online, flash-attention style: keys are visited in tiles, each head keeps its running
/// maximum score, the sum of exponentials and the weighted sum of values, and rescales them when a tile raises the
/// maximum. Scratch is therefore a few tiles per worker whatever the context length, and an f16 cache is widened
/// one tile at a time.
/// </para>
/// </summary>
internal sealed class AttentionJob : ParallelJob
{
    private const int Tile = 128;

    private readonly Scratch[] _scratch; // per worker
    private ForwardBatch _batch = null!;
    private float[] _q = null!;          // (rows, n_head · head_dim)
    private float[] _output = null!;     // (rows, n_head · head_dim)
    private int _layer, _heads, _groupSize, _headDim;
    private float _scale;
    private int _next;

    public AttentionJob(int threads, int groupSize, int headDim)
    {
        _scratch = new Scratch[threads];
        for (var i = 0; i < threads; i++)
            _scratch[i] = new Scratch(groupSize, headDim);
    }

    public void Set(ForwardBatch batch, int layer, float[] q, float[] output, int heads, int groupSize, int headDim, float scale)
    {
        (_batch, _layer, _q, _output) = (batch, layer, q, output);
        (_heads, _groupSize, _headDim, _scale) = (heads, groupSize, headDim, scale);
        _next = 0;
    }

    /// <summary>Multiply-adds of the whole job, to decide whether waking the pool is worth it.</summary>
    public long Work()
    {
        long work = 0;
        foreach (var position in _batch.Positions)
            work += (position + 1L) * _heads * _headDim * 2;
        return work;
    }

    public override void Execute(int worker, int workerCount)
    {
        var scratch = _scratch[worker];
        var kvHeads = _heads / _groupSize;
        var total = _batch.Count * kvHeads;
        while (true)
        {
            var item = Interlocked.Increment(ref _next) - 1;
            if (item >= total)
                return;
            Attend(item / kvHeads, item % kvHeads, scratch);
        }
    }

    private void Attend(int row, int kvHead, Scratch s)
    {
        var cache = _batch.CacheOf(row);
        var seen = _batch.Positions[row] + 1;
        int headDim = _headDim, group = _groupSize, kvOffset = kvHead * headDim;
        var queryLength = _heads * headDim;
        var firstHead = kvHead * group;

        s.Begin();
        for (var t0 = 0; t0 < seen; t0 += Tile)
        {
            var n = Math.Min(Tile, seen - t0);

            // Keys of this tile: rows of the cache (stride apart), or widened into scratch (headDim apart).
            var keys = TileRows(cache, keys: true, seen, t0, n, kvOffset, s.Keys, out var keyStride);
            for (var g = 0; g < group; g++)
            {
                var query = _q.AsSpan(row * queryLength + (firstHead + g) * headDim, headDim);
                var scores = s.Scores.AsSpan(g * Tile, n);
                for (var t = 0; t < n; t++)
                    scores[t] = TensorPrimitives.Dot(query, keys.Slice(t * keyStride, headDim)) * _scale;

                // Raise the running maximum if this tile holds a larger score, rescaling what was accumulated.
                var max = Math.Max(s.Max[g], TensorPrimitives.Max(scores));
                if (max > s.Max[g])
                {
                    var correction = MathF.Exp(s.Max[g] - max); // 0 for the first tile (−∞)
                    s.Sum[g] *= correction;
                    TensorPrimitives.Multiply(s.Accumulator(g), correction, s.Accumulator(g));
                    s.Max[g] = max;
                }
                TensorPrimitives.Subtract(scores, max, scores);
                TensorPrimitives.Exp(scores, scores);
                s.Sum[g] += TensorPrimitives.Sum(scores);
            }

            var values = TileRows(cache, keys: false, seen, t0, n, kvOffset, s.Values, out var valueStride);
            for (var g = 0; g < group; g++)
            {
                var accumulator = s.Accumulator(g);
                var weights = s.Scores.AsSpan(g * Tile, n);
                for (var t = 0; t < n; t++)
                    TensorPrimitives.MultiplyAdd(values.Slice(t * valueStride, headDim), weights[t], accumulator, accumulator);
            }
        }

        for (var g = 0; g < group; g++)
            TensorPrimitives.Divide(s.Accumulator(g), s.Sum[g], _output.AsSpan(row * queryLength + (firstHead + g) * headDim, headDim));
    }

    /// <summary>
    /// Positions <paramref name="t0"/>…+<paramref name="n"/> of one KV head's keys or values: the f32 cache rows
    /// themselves (a row apart), or an f16 cache's rows widened into <paramref name="widened"/> (head_dim apart).
    /// </summary>
    private ReadOnlySpan<float> TileRows(KvCache cache, bool keys, int seen, int t0, int n, int kvOffset, float[] widened, out int rowStride)
    {
        var stride = cache.RowLength;
        if (cache.Type == KvCacheType.F16)
        {
            var source = keys ? cache.KeysF16(_layer, seen) : cache.ValuesF16(_layer, seen);
            for (var t = 0; t < n; t++)
                TensorPrimitives.ConvertToSingle(source.Slice((t0 + t) * stride + kvOffset, _headDim), widened.AsSpan(t * _headDim, _headDim));
            rowStride = _headDim;
            return widened;
        }
        rowStride = stride;
        return (keys ? cache.KeysF32(_layer, seen) : cache.ValuesF32(_layer, seen))[(t0 * stride + kvOffset)..];
    }

    /// <summary>One worker's running state for the heads of one group, and its tile buffers.</summary>
    private sealed class Scratch(int groupSize, int headDim)
    {
        public readonly float[] Scores = new float[groupSize * Tile];
        public readonly float[] Keys = new float[Tile * headDim];
        public readonly float[] Values = new float[Tile * headDim];
        public readonly float[] Max = new float[groupSize];
        public readonly float[] Sum = new float[groupSize];
        private readonly float[] _accumulators = new float[groupSize * headDim];

        public Span<float> Accumulator(int head) => _accumulators.AsSpan(head * headDim, headDim);

        public void Begin()
        {
            Array.Fill(Max, float.NegativeInfinity);
            Array.Clear(Sum);
            Array.Clear(_accumulators);
        }
    }
}
