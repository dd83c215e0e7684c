using System.Numerics.Tensors;
using Mote.Engine.Blocks;
using Mote.Numerics.Threading;

namespace Mote.Engine.Runtime;

/// <summary>
/// The per-row steps between the matrix products (norms, rotation and cache writes, residual adds, SwiGLU). Each
/// row's step is independent of the others', so a batch of at least <see cref="ParallelRows"/> rows (a prompt) runs
/// them over the worker pool; alone on the calling thread they left the workers spinning for 6–7% of a two-thread
/// prefill. Decode rows stay on the caller: waking the workers would cost more than the step.
/// </summary>
public sealed partial class ForwardPass
{
    private const int ParallelRows = 8;

    private enum RowStep
    {
        /// <summary>xNorm = norm(x) with the step's gain.</summary>
        Norm,

        /// <summary>Rotate Q and K, store K and V in the row's cache at its position.</summary>
        RotateAndStore,

        /// <summary>x += proj, then xNorm = norm(x) with the step's gain if it has one.</summary>
        AddResidualThenNorm,

        /// <summary>gate = silu(gate) · up.</summary>
        SwiGlu,
    }

    /// <summary>Runs <paramref name="step"/> on rows 0 … n − 1, over the pool for a large batch.</summary>
    private void RunRows(RowStep step, int n, ForwardBatch batch, int layer, float[]? gain)
    {
        _rowSteps.Set(step, n, batch, layer, gain);
        if (n < ParallelRows || _matMul.Pool.ThreadCount == 1)
            _rowSteps.Execute(0, 1);
        else
            _matMul.Pool.Run(_rowSteps);
    }

    private void ApplyRows(RowStep step, int start, int end, ForwardBatch batch, int layer, float[]? gain)
    {
        int embd = _hp.EmbeddingLength, kv = _hp.KvLength, ql = _hp.QueryLength, ff = _hp.FeedForwardLength;
        var rotated = _hp.RopeDimensions;
        switch (step)
        {
            case RowStep.Norm:
                NormRows(gain!, start, end);
                break;
            case RowStep.RotateAndStore:
                for (var i = start; i < end; i++)
                {
                    var key = _k.AsSpan(i * kv, kv);
                    var angles = _cosSin.AsSpan(i * rotated, rotated);
                    _rope.Apply(_q.AsSpan(i * ql, ql), _hp.HeadDim, angles);
                    _rope.Apply(key, _hp.HeadDim, angles);
                    batch.CacheOf(i).Write(layer, batch.Positions[i], key, _v.AsSpan(i * kv, kv));
                }
                break;
            case RowStep.AddResidualThenNorm:
                var rows = _x.AsSpan(start * embd, (end - start) * embd);
                TensorPrimitives.Add(rows, _proj.AsSpan(start * embd, (end - start) * embd), rows);
                if (gain is not null)
                    NormRows(gain, start, end);
                break;
            case RowStep.SwiGlu:
                Activations.SwiGlu(_gate.AsSpan(start * ff, (end - start) * ff), _up.AsSpan(start * ff, (end - start) * ff));
                break;
        }
    }

    private void NormRows(float[] gain, int start, int end)
    {
        var embd = _hp.EmbeddingLength;
        for (var i = start; i < end; i++)
            RmsNorm.Apply(_x.AsSpan(i * embd, embd), gain, _hp.RmsNormEpsilon, _xNorm.AsSpan(i * embd, embd));
    }

    /// <summary>One <see cref="RowStep"/> over a batch's rows, claimed a few rows at a time by the pool's threads.</summary>
    private sealed class RowStepJob(ForwardPass pass) : ParallelJob
    {
        private RowStep _step;
        private int _rows, _chunk, _next;
        private ForwardBatch _batch = null!;
        private int _layer;
        private float[]? _gain;

        public void Set(RowStep step, int rows, ForwardBatch batch, int layer, float[]? gain)
        {
            (_step, _rows, _batch, _layer, _gain) = (step, rows, batch, layer, gain);
            // About four claims per thread: rows cost the same, so this is balance enough.
            _chunk = Math.Max(1, rows / (4 * pass._matMul.Pool.ThreadCount));
            _next = 0;
        }

        public override void Execute(int worker, int workerCount)
        {
            while (true)
            {
                var start = (Interlocked.Increment(ref _next) - 1) * _chunk;
                if (start >= _rows)
                    return;
                pass.ApplyRows(_step, start, Math.Min(_rows, start + _chunk), _batch, _layer, _gain);
            }
        }
    }
}
