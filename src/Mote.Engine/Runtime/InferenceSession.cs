using Mote.Numerics.Threading;

namespace Mote.Engine.Runtime;

/// <summary>
/// One conversation with a model: a KV cache, its position, and a forward pass sized for prompt chunks of up to
/// <see cref="BatchSize"/> tokens (prefill runs whole chunks at once; decode runs one token). Everything is
/// allocated here, once. Not thread-safe; use one session per concurrent sequence.
/// </summary>
public sealed class InferenceSession
{
    private readonly ForwardPass _forward;
    private readonly ForwardBatch _batch;
    private readonly KvCache _cache;
    private readonly float[] _logits;   // (n_vocab) logits after the last token

    public InferenceSession(Model model, SessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new SessionOptions();
        var trained = model.HyperParameters.ContextLength;
        if (options.ContextLength > trained)
            throw new ArgumentOutOfRangeException(nameof(options), $"Context {options.ContextLength} exceeds the model's trained context of {trained} tokens.");
        Model = model;
        ContextLength = options.ContextLength > 0 ? options.ContextLength : Math.Min(trained, SessionOptions.DefaultContextLength);
        BatchSize = Math.Clamp(options.BatchSize, 1, ContextLength);
        _forward = new ForwardPass(model, BatchSize, options.Pool ?? WorkerPool.Default);
        _batch = new ForwardBatch(BatchSize);
        _cache = _forward.CreateCache(ContextLength, options.CacheType);
        _logits = new float[model.HyperParameters.VocabularySize];
    }

    public Model Model { get; }

    /// <summary>Tokens the session can hold.</summary>
    public int ContextLength { get; }

    /// <summary>Most tokens evaluated in one forward pass.</summary>
    public int BatchSize { get; }

    /// <summary>Number of positions already in the KV cache (<c>n_past</c>).</summary>
    public int Position { get; private set; }

    /// <summary>Bytes of the KV cache.</summary>
    public long KvCacheBytes => _cache.ByteSize;

    /// <summary>Logits after the last token fed. (n_vocab)</summary>
    public ReadOnlySpan<float> Logits => _logits;

    /// <summary>Forgets every position (a new conversation).</summary>
    public void Reset() => Position = 0;

    /// <summary>Drops positions from <paramref name="position"/> on, keeping the cached prefix before it.</summary>
    public void Truncate(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, Position);
        Position = position;
    }

    /// <summary>Feeds tokens at the next positions and returns the logits after the last one.</summary>
    /// <exception cref="ContextOverflowException">The tokens do not fit in the remaining context.</exception>
    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens) => Prefill(tokens, []);

    /// <summary>
    /// Feeds tokens and also writes the logits after every one of them into <paramref name="allLogits"/>
    /// (tokens × n_vocab), as perplexity needs; pass an empty span for the last token's logits only.
    /// </summary>
    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> tokens, Span<float> allLogits)
    {
        if (tokens.IsEmpty)
            throw new ArgumentException("At least one token is needed.", nameof(tokens));
        var vocabulary = _logits.Length;
        if (!allLogits.IsEmpty && allLogits.Length < (long)tokens.Length * vocabulary)
            throw new ArgumentException($"allLogits holds {allLogits.Length} floats; {tokens.Length} × {vocabulary} are needed.", nameof(allLogits));
        if (Position + tokens.Length > ContextLength)
            throw new ContextOverflowException(ContextLength, Position + tokens.Length, Model.HyperParameters.ContextLength);

        for (var start = 0; start < tokens.Length; start += BatchSize)
        {
            var count = Math.Min(BatchSize, tokens.Length - start);
            var isLast = start + count == tokens.Length;
            _batch.Clear();
            for (var i = 0; i < count; i++)
                _batch.Add(tokens[start + i], Position + i, _cache, wantsLogits: !allLogits.IsEmpty || (isLast && i == count - 1));
            var output = allLogits.IsEmpty ? _logits.AsSpan() : allLogits.Slice(start * vocabulary, count * vocabulary);
            _forward.Run(_batch, output);
            Position += count;
            if (isLast && !allLogits.IsEmpty)
                output.Slice((count - 1) * vocabulary, vocabulary).CopyTo(_logits);
        }
        return _logits;
    }

    /// <summary>Feeds one token and returns the logits predicting the next.</summary>
    public ReadOnlySpan<float> Decode(int token)
    {
        ReadOnlySpan<int> one = [token];
        Prefill(one);
        return _logits;
    }
}
