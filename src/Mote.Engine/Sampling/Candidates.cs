using System.Numerics;

namespace Mote.Engine.Sampling;

/// <summary>
/// The preallocated candidate buffer a sampler chain works on: samplers reorder, rescale and shrink it in place.
/// </summary>
public sealed class Candidates
{
    private readonly TokenCandidate[] _items;

    public Candidates(int vocabularySize) => _items = new TokenCandidate[vocabularySize];

    /// <summary>Candidates still in play.</summary>
    public int Count { get; private set; }

    /// <summary>True when the live candidates are sorted by descending logit.</summary>
    public bool IsSorted { get; private set; }

    public Span<TokenCandidate> Items => _items.AsSpan(0, Count);

    /// <summary>Starts a new step from raw logits.</summary>
    public void Load(ReadOnlySpan<float> logits)
    {
        if (logits.Length > _items.Length)
            throw new ArgumentException($"{logits.Length} logits for a buffer of {_items.Length}.", nameof(logits));
        for (var i = 0; i < logits.Length; i++)
            _items[i] = new TokenCandidate { Id = i, Logit = logits[i] };
        Count = logits.Length;
        IsSorted = false;
    }

    /// <summary>
    /// Starts a new step with only the <paramref name="k"/> best of the raw logits, sorted: what <see cref="Load"/>
    /// then <see cref="KeepTop"/> leave, without writing a candidate per vocabulary entry. A vector compare against
    /// the worst kept logit skips the blocks that hold no better token, which after the first few thousand
    /// logits is nearly all of them (a 49k–152k vocabulary per sampled token per sequence).
    /// </summary>
    public void LoadTop(ReadOnlySpan<float> logits, int k)
    {
        if (logits.Length > _items.Length)
            throw new ArgumentException($"{logits.Length} logits for a buffer of {_items.Length}.", nameof(logits));
        if (k <= 0 || k >= logits.Length)
        {
            Load(logits);
            Sort();
            return;
        }

        var heap = _items.AsSpan(0, k);
        for (var i = 0; i < k; i++)
            heap[i] = new TokenCandidate { Id = i, Logit = logits[i] };
        BuildMinHeap(heap);
        // Later ids never win a tie (the lower id is better), so only a strictly greater logit can enter.
        var width = Vector<float>.Count;
        var at = k;
        for (; at + width <= logits.Length; at += width)
        {
            if (!Vector.GreaterThanAny(new Vector<float>(logits.Slice(at, width)), new Vector<float>(heap[0].Logit)))
                continue;
            for (var i = at; i < at + width; i++)
                Offer(heap, i, logits[i]);
        }
        for (; at < logits.Length; at++)
            Offer(heap, at, logits[at]);
        Count = k;
        IsSorted = false;
        Sort();
    }

    /// <summary>Keeps only the first <paramref name="count"/> candidates.</summary>
    public void Truncate(int count) => Count = Math.Clamp(count, 1, Count);

    /// <summary>Sorts by descending logit, ties by ascending id (so greedy picks the lowest id, as llama.cpp).</summary>
    public void Sort()
    {
        if (IsSorted)
            return;
        Items.Sort(static (a, b) => b.Logit != a.Logit ? b.Logit.CompareTo(a.Logit) : a.Id.CompareTo(b.Id));
        IsSorted = true;
    }

    /// <summary>
    /// Keeps the <paramref name="k"/> best candidates, sorted: a bounded selection, so a small k over a large
    /// vocabulary does not pay for a full sort.
    /// </summary>
    public void KeepTop(int k)
    {
        if (k <= 0 || k >= Count)
        {
            Sort();
            return;
        }
        if (!IsSorted)
        {
            var items = Items;
            // Partial selection: move the k best to the front (min-heap of the current best k).
            var heap = items[..k];
            BuildMinHeap(heap);
            for (var i = k; i < items.Length; i++)
            {
                if (Better(items[i], heap[0]))
                {
                    heap[0] = items[i];
                    SiftDown(heap, 0);
                }
            }
            Count = k;
            Sort();
            return;
        }
        Count = k;
    }

    /// <summary>Fills <see cref="TokenCandidate.Probability"/> with the softmax of the live logits.</summary>
    public void Softmax()
    {
        var items = Items;
        var max = float.NegativeInfinity;
        foreach (ref readonly var c in items)
            max = Math.Max(max, c.Logit);
        double sum = 0;
        foreach (ref var c in items)
        {
            c.Probability = MathF.Exp(c.Logit - max);
            sum += c.Probability;
        }
        var inverse = (float)(1.0 / sum);
        foreach (ref var c in items)
            c.Probability *= inverse;
    }

    private static void Offer(Span<TokenCandidate> heap, int id, float logit)
    {
        if (logit > heap[0].Logit)
        {
            heap[0] = new TokenCandidate { Id = id, Logit = logit };
            SiftDown(heap, 0);
        }
    }

    private static bool Better(in TokenCandidate a, in TokenCandidate b) =>
        a.Logit > b.Logit || (a.Logit == b.Logit && a.Id < b.Id);

    private static void BuildMinHeap(Span<TokenCandidate> heap)
    {
        for (var i = heap.Length / 2 - 1; i >= 0; i--)
            SiftDown(heap, i);
    }

    // The root holds the worst of the kept candidates.
    private static void SiftDown(Span<TokenCandidate> heap, int i)
    {
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, worst = i;
            if (left < heap.Length && Better(heap[worst], heap[left]))
                worst = left;
            if (right < heap.Length && Better(heap[worst], heap[right]))
                worst = right;
            if (worst == i)
                return;
            (heap[i], heap[worst]) = (heap[worst], heap[i]);
            i = worst;
        }
    }
}
