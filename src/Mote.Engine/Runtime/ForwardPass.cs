using System.Numerics.Tensors;
using Mote.Engine.Blocks;
using Mote.Engine.Loading;
using Mote.Numerics.Kernels;
using Mote.Numerics.Threading;

namespace Mote.Engine.Runtime;

/// <summary>
/// The decoder forward pass over a <see cref="ForwardBatch"/>, with every scratch buffer allocated once for the
/// batch capacity. One instance serves one caller at a time: a single inference session, or a server scheduler
/// batching many sequences.
/// </summary>
public sealed partial class ForwardPass
{
    // Multiply-adds below which attention runs on this thread alone: waking workers costs microseconds.
    private const long SerialAttentionWork = 64 * 1024;

    private readonly Model _model;
    private readonly HyperParameters _hp;
    private readonly Rope _rope;
    private readonly MatMulContext _matMul;
    private readonly AttentionJob _attention;
    private readonly RowStepJob _rowSteps;
    private readonly float _attentionScale;

    // Scratch for up to Capacity rows, each with its shape.
    private readonly float[] _x;        // (rows, n_embd) residual stream
    private readonly float[] _xNorm;    // (rows, n_embd) normed input of a sub-block
    private readonly float[] _q;        // (rows, n_head · head_dim)
    private readonly float[] _k;        // (rows, n_head_kv · head_dim) before it is stored in the caches
    private readonly float[] _v;        // (rows, n_head_kv · head_dim)
    private readonly float[] _attnOut;  // (rows, n_head · head_dim) concatenated head outputs
    private readonly float[] _proj;     // (rows, n_embd) attention / feed-forward output
    private readonly float[] _gate;     // (rows, n_ff)
    private readonly float[] _up;       // (rows, n_ff)
    private readonly float[] _cosSin;   // (rows, n_rot) rope angles of each row's position, the same in every layer
    private readonly int[] _logitRows;  // (rows) indices of rows whose logits are wanted

    /// <param name="capacity">Most rows per pass.</param>
    public ForwardPass(Model model, int capacity, WorkerPool pool)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pool);
        _model = model;
        _hp = model.HyperParameters;
        Capacity = capacity;
        _rope = new Rope(_hp.Architecture.Rope, _hp.RopeDimensions, _hp.RopeFreqBase, _hp.RopeFreqScale, model.Weights.RopeFreqFactors);
        _matMul = new MatMulContext(pool);
        _attention = new AttentionJob(pool.ThreadCount, _hp.GroupSize, _hp.HeadDim);
        _rowSteps = new RowStepJob(this);
        _attentionScale = 1f / MathF.Sqrt(_hp.HeadDim);

        _x = new float[capacity * _hp.EmbeddingLength];
        _xNorm = new float[capacity * _hp.EmbeddingLength];
        _q = new float[capacity * _hp.QueryLength];
        _k = new float[capacity * _hp.KvLength];
        _v = new float[capacity * _hp.KvLength];
        _attnOut = new float[capacity * _hp.QueryLength];
        _proj = new float[capacity * _hp.EmbeddingLength];
        _gate = new float[capacity * _hp.FeedForwardLength];
        _up = new float[capacity * _hp.FeedForwardLength];
        _cosSin = new float[capacity * _hp.RopeDimensions];
        _logitRows = new int[capacity];
    }

    public Model Model => _model;

    public int Capacity { get; }

    /// <summary>A KV cache shaped for this model.</summary>
    public KvCache CreateCache(int contextLength, KvCacheType type = KvCacheType.F32) => new(_hp.LayerCount, contextLength, _hp.KvLength, type);

    /// <summary>
    /// Runs the batch: stores each row's K/V at its position in its cache and writes, for each row that wants
    /// logits (in row order), one row of n_vocab logits into <paramref name="logits"/>.
    /// </summary>
    public void Run(ForwardBatch batch, Span<float> logits)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var n = batch.Count;
        if (n == 0)
            return;
        if (n > Capacity)
            throw new ArgumentException($"The batch has {n} rows; this pass holds {Capacity}.", nameof(batch));
        var vocabulary = _hp.VocabularySize;
        if (logits.Length < (long)batch.LogitRows * vocabulary)
            throw new ArgumentException($"logits holds {logits.Length} floats; {batch.LogitRows} × {vocabulary} are needed.", nameof(logits));
        foreach (var token in batch.Tokens)
            if ((uint)token >= (uint)vocabulary)
                throw new ArgumentOutOfRangeException(nameof(batch), token, $"Token id outside the vocabulary of {vocabulary}.");

        var weights = _model.Weights;
        var embd = _hp.EmbeddingLength;
        var tokens = batch.Tokens;
        var positions = batch.Positions;

        // Embed the tokens into the residual stream.
        for (var i = 0; i < n; i++)
            weights.TokenEmbedding.DequantizeRow(tokens[i], _x.AsSpan(i * embd, embd));

        // Each row's rotary angles, once for all layers (a cos and a sin per rotated pair).
        var rotated = _hp.RopeDimensions;
        for (var i = 0; i < n; i++)
            _rope.Angles(positions[i], _cosSin.AsSpan(i * rotated, rotated));

        // Each layer's input norm is the previous layer's last step, so that it runs with the residual add.
        RunRows(RowStep.Norm, n, batch, 0, weights.Layers[0].AttentionNorm);
        for (var l = 0; l < _hp.LayerCount; l++)
        {
            var layer = weights.Layers[l];

            // Attention: project the normed input to Q/K/V (one quantization serves all three), rotate, store K/V
            // in each row's cache, attend, project back.
            if (Linear.CanShareInput(layer.Query, layer.Key, layer.Value))
            {
                Linear.Apply(_matMul, _xNorm, n, new(layer.Query, _q, layer.QueryBias), new(layer.Key, _k, layer.KeyBias),
                    new(layer.Value, _v, layer.ValueBias));
            }
            else
            {
                Linear.Apply(_matMul, layer.Query, _xNorm, n, _q, layer.QueryBias);
                Linear.Apply(_matMul, layer.Key, _xNorm, n, _k, layer.KeyBias, sameInput: true);
                Linear.Apply(_matMul, layer.Value, _xNorm, n, _v, layer.ValueBias, sameInput: true);
            }
            RunRows(RowStep.RotateAndStore, n, batch, l, null);
            _attention.Set(batch, l, _q, _attnOut, _hp.HeadCount, _hp.GroupSize, _hp.HeadDim, _attentionScale);
            if (_attention.Work() < SerialAttentionWork)
                _attention.Execute(0, 1);
            else
                _matMul.Pool.Run(_attention);
            Linear.Apply(_matMul, layer.Output, _attnOut, n, _proj);
            RunRows(RowStep.AddResidualThenNorm, n, batch, l, layer.FeedForwardNorm);

            // Feed-forward: SwiGLU of the normed input, project back, residual (and the next layer's norm).
            if (Linear.CanShareInput(layer.Gate, layer.Up))
            {
                Linear.Apply(_matMul, _xNorm, n, new(layer.Gate, _gate), new(layer.Up, _up));
            }
            else
            {
                Linear.Apply(_matMul, layer.Gate, _xNorm, n, _gate);
                Linear.Apply(_matMul, layer.Up, _xNorm, n, _up, sameInput: true);
            }
            RunRows(RowStep.SwiGlu, n, batch, l, null);
            Linear.Apply(_matMul, layer.Down, _gate, n, _proj);
            var next = l + 1 < _hp.LayerCount ? weights.Layers[l + 1].AttentionNorm : null;
            RunRows(RowStep.AddResidualThenNorm, n, batch, l, next);
        }

        // Final norm and classifier, only for the rows whose logits are wanted (gathered to the front).
        var wanted = 0;
        var wants = batch.WantsLogits;
        for (var i = 0; i < n; i++)
            if (wants[i])
                _logitRows[wanted++] = i;
        if (wanted == 0)
            return;
        for (var j = 0; j < wanted; j++)
            RmsNorm.Apply(_x.AsSpan(_logitRows[j] * embd, embd), weights.OutputNorm, _hp.RmsNormEpsilon, _xNorm.AsSpan(j * embd, embd));
        Linear.Apply(_matMul, weights.Output, _xNorm, wanted, logits);
    }
}
