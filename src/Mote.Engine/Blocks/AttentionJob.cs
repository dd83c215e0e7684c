using System.Numerics.Tensors;
using Mote.Engine.Runtime;
using Mote.Numerics.Threading;

namespace Mote.Engine.Blocks;

/// <summary>
/// Causal scaled dot-product attention for every row of a forward batch over its own sequence's KV cache, split
/// over the worker pool by (row, head) pairs. A row at position p sees positions 0…p of its cache (its own K/V
/// are already written there).
/// </summary>
internal sealed class AttentionJob : ParallelJob
{
    private readonly float[][] _scores; // per worker: (n_ctx)
    private ForwardBatch _batch = null!;
    private float[] _q = null!;          // (rows, n_head · head_dim)
    private float[] _output = null!;     // (rows, n_head · head_dim)
    private int _layer, _heads, _groupSize, _headDim;
    private float _scale;
    private int _next;

    public AttentionJob(int threads, int contextLength)
    {
        _scores = new float[threads][];
        for (var i = 0; i < threads; i++)
            _scores[i] = new float[contextLength];
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
        var scoresBuffer = _scores[worker];
        var total = _batch.Count * _heads;
        while (true)
        {
            var item = Interlocked.Increment(ref _next) - 1;
            if (item >= total)
                return;
            Attend(item / _heads, item % _heads, scoresBuffer);
        }
    }

    private void Attend(int row, int head, float[] scoresBuffer)
    {
        var cache = _batch.CacheOf(row);
        var seen = _batch.Positions[row] + 1;
        var kvLength = cache.RowLength;
        var start = cache.Offset(_layer, 0);
        var keys = cache.Keys.AsSpan(start, seen * kvLength);
        var values = cache.Values.AsSpan(start, seen * kvLength);
        var queryLength = _heads * _headDim;
        var query = _q.AsSpan(row * queryLength + head * _headDim, _headDim);
        var kvOffset = head / _groupSize * _headDim;
        var scores = scoresBuffer.AsSpan(0, seen);

        for (var t = 0; t < seen; t++)
            scores[t] = TensorPrimitives.Dot(query, keys.Slice(t * kvLength + kvOffset, _headDim)) * _scale;
        Activations.Softmax(scores);

        var output = _output.AsSpan(row * queryLength + head * _headDim, _headDim);
        output.Clear();
        for (var t = 0; t < seen; t++)
            TensorPrimitives.MultiplyAdd(values.Slice(t * kvLength + kvOffset, _headDim), scores[t], output, output);
    }
}
