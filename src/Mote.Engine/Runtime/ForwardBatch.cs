namespace Mote.Engine.Runtime;

/// <summary>
/// The rows of one forward pass: each row is a token of some sequence at some position, with that sequence's
/// KV cache. Rows of different sequences share every matrix product (continuous batching); attention keeps them
/// apart. Reused across passes: <see cref="Clear"/> and refill.
/// </summary>
public sealed class ForwardBatch
{
    private readonly int[] _tokens;
    private readonly int[] _positions;
    private readonly KvCache[] _caches;
    private readonly bool[] _wantsLogits;

    public ForwardBatch(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _tokens = new int[capacity];
        _positions = new int[capacity];
        _caches = new KvCache[capacity];
        _wantsLogits = new bool[capacity];
    }

    public int Capacity => _tokens.Length;

    public int Count { get; private set; }

    /// <summary>Rows whose logits the pass computes, in row order.</summary>
    public int LogitRows { get; private set; }

    public ReadOnlySpan<int> Tokens => _tokens.AsSpan(0, Count);

    public ReadOnlySpan<int> Positions => _positions.AsSpan(0, Count);

    public ReadOnlySpan<bool> WantsLogits => _wantsLogits.AsSpan(0, Count);

    public KvCache CacheOf(int row) => _caches[row];

    public void Clear()
    {
        Array.Clear(_caches, 0, Count);
        Count = 0;
        LogitRows = 0;
    }

    /// <summary>Adds a token at <paramref name="position"/> of the sequence whose cache is <paramref name="cache"/>.</summary>
    public void Add(int token, int position, KvCache cache, bool wantsLogits)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (Count == Capacity)
            throw new InvalidOperationException($"The batch holds at most {Capacity} tokens.");
        if ((uint)position >= (uint)cache.ContextLength)
            throw new ContextOverflowException(cache.ContextLength, position + 1, cache.ContextLength);
        _tokens[Count] = token;
        _positions[Count] = position;
        _caches[Count] = cache;
        _wantsLogits[Count] = wantsLogits;
        Count++;
        if (wantsLogits)
            LogitRows++;
    }
}
