using Mote.Engine;
using Mote.Engine.Runtime;
using Mote.Numerics.Threading;

namespace Mote.Evaluation.Perplexity;

/// <summary>
/// Perplexity the way llama-perplexity computes it: the token stream (BOS first) is cut into whole chunks of
/// <c>ctx</c> tokens; each chunk starts from an empty cache with its first token replaced by BOS; only the second
/// half is scored (logits at positions ctx/2 … ctx−2 predict the following token). Against a
/// <see cref="KldBase"/> of a reference model it also measures KL divergence and top-token agreement.
/// </summary>
public sealed class PerplexityEvaluator
{
    private readonly Model _model;
    private readonly int _contextLength;
    private readonly WorkerPool? _pool;

    /// <param name="pool">Compute threads; null uses the process-wide pool.</param>
    public PerplexityEvaluator(Model model, int contextLength, WorkerPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (contextLength < 4)
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "The context must hold at least 4 tokens.");
        _model = model;
        _contextLength = contextLength;
        _pool = pool;
    }

    /// <summary>Reports progress after each chunk: (chunks done, total chunks, running perplexity).</summary>
    public event Action<int, int, double>? ChunkDone;

    /// <summary>Tokenizes <paramref name="text"/> with BOS, as llama-perplexity does.</summary>
    public int[] Tokenize(string text) => _model.Tokenizer.Encode(text, addSpecial: true);

    /// <summary>Runs this model as the reference and keeps its log-probabilities for later comparisons.</summary>
    public KldBase ComputeBase(int[] tokens, CancellationToken cancellationToken = default)
    {
        var vocabulary = _model.HyperParameters.VocabularySize;
        var (chunks, perChunk) = Geometry(tokens);
        var logProbs = new float[(long)chunks * perChunk * vocabulary];
        var scratch = new double[vocabulary];
        ForEachScoredPosition(tokens, cancellationToken, (index, logits, _) =>
        {
            LogSoftmax(logits, scratch);
            var row = logProbs.AsSpan(index * vocabulary, vocabulary);
            for (var i = 0; i < vocabulary; i++)
                row[i] = (float)scratch[i];
        });
        return new KldBase(_contextLength, tokens.Length, vocabulary, logProbs);
    }

    /// <summary>Perplexity over the tokens and, with <paramref name="reference"/>, KL divergence from it.</summary>
    public PerplexityResult Evaluate(int[] tokens, KldBase? reference = null, CancellationToken cancellationToken = default)
    {
        var vocabulary = _model.HyperParameters.VocabularySize;
        if (reference is not null && (reference.VocabularySize != vocabulary || reference.ContextLength != _contextLength || reference.TokenCount != tokens.Length))
            throw new ArgumentException("The reference was computed over a different text, context or vocabulary.", nameof(reference));
        var logProbs = new double[vocabulary];
        var stats = new PerplexityAccumulator();
        ForEachScoredPosition(tokens, cancellationToken, (index, logits, next) =>
        {
            LogSoftmax(logits, logProbs);
            stats.AddToken(-logProbs[next]);
            if (reference is not null)
                stats.AddComparison(reference.At(index), logProbs, next);
        });
        return stats.ToResult(Geometry(tokens).Chunks, _contextLength, reference is not null);
    }

    private (int Chunks, int PerChunk) Geometry(int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var chunks = tokens.Length / _contextLength;
        if (chunks == 0)
            throw new ArgumentException($"The text has {tokens.Length} tokens; at least {_contextLength} (one chunk of --ctx) are needed.", nameof(tokens));
        return (chunks, _contextLength - 1 - _contextLength / 2);
    }

    /// <summary>Calls <paramref name="score"/>(scored index, logits, next token) for every scored position in order.</summary>
    private void ForEachScoredPosition(int[] tokens, CancellationToken cancellationToken, Action<int, ReadOnlySpan<float>, int> score)
    {
        var (chunks, _) = Geometry(tokens);
        var n = _contextLength;
        var bos = _model.Tokenizer.Vocabulary.BosId;
        if (bos < 0)
            throw new InvalidOperationException($"{_model.Path}: the model has no BOS token, which this perplexity method needs.");
        var vocabulary = _model.HyperParameters.VocabularySize;
        var session = new InferenceSession(_model, new SessionOptions { ContextLength = n, Pool = _pool });
        var logits = new float[(n - 1) * vocabulary]; // logits after each of the first n−1 tokens: (n − 1, n_vocab)
        var chunk = new int[n];
        var first = n / 2;
        var index = 0;
        var running = new PerplexityAccumulator();
        for (var c = 0; c < chunks; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Copy(tokens, c * n, chunk, 0, n);
            chunk[0] = bos;
            session.Reset();
            session.Prefill(chunk.AsSpan(0, n - 1), logits);
            for (var position = first; position < n - 1; position++)
            {
                var rowLogits = logits.AsSpan(position * vocabulary, vocabulary);
                score(index++, rowLogits, chunk[position + 1]);
                if (ChunkDone is not null)
                    running.AddToken(-LogProbability(rowLogits, chunk[position + 1]));
            }
            ChunkDone?.Invoke(c + 1, chunks, Math.Exp(running.MeanNll));
        }
    }

    private static double LogProbability(ReadOnlySpan<float> logits, int token)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits)
            max = Math.Max(max, l);
        double sum = 0;
        foreach (var l in logits)
            sum += Math.Exp(l - max);
        return logits[token] - max - Math.Log(sum);
    }

    private static void LogSoftmax(ReadOnlySpan<float> logits, double[] result)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits)
            max = Math.Max(max, l);
        double sum = 0;
        foreach (var l in logits)
            sum += Math.Exp(l - max);
        var logSum = max + Math.Log(sum);
        for (var i = 0; i < logits.Length; i++)
            result[i] = logits[i] - logSum;
    }
}
