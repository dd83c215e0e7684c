namespace Mote.Engine.Sampling;

/// <summary>
/// Samplers applied in order over a preallocated candidate buffer, then a final pick: the most likely token
/// (greedy; the lowest id wins a tie, as in llama.cpp) or a draw from the remaining distribution with the chain's
/// own seeded RNG. Order follows llama.cpp's default: penalties → top-k → top-p → min-p → temperature → pick.
/// </summary>
public sealed class SamplerChain
{
    private readonly ISampler[] _samplers;
    private readonly Candidates _candidates;
    private readonly SeededRandom _random;
    private readonly bool _greedy;

    public SamplerChain(int vocabularySize, IEnumerable<ISampler> samplers, bool greedy, ulong seed)
    {
        _samplers = samplers.ToArray();
        _candidates = new Candidates(vocabularySize);
        _random = new SeededRandom(seed);
        _greedy = greedy;
    }

    /// <summary>The candidates of the last step, after every sampler ran (useful for logprobs).</summary>
    public Candidates LastCandidates => _candidates;

    /// <summary>Builds the standard chain for these options.</summary>
    public static SamplerChain Create(int vocabularySize, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var samplers = new List<ISampler>();
        if (options.HasPenalties)
            samplers.Add(new PenaltySampler(options.PenaltyWindow, options.RepeatPenalty, options.FrequencyPenalty, options.PresencePenalty));
        if (!options.IsGreedy)
        {
            if (options.TopK > 0)
                samplers.Add(new TopKSampler(options.TopK));
            if (options.TopP < 1f)
                samplers.Add(new TopPSampler(options.TopP));
            if (options.MinP > 0f)
                samplers.Add(new MinPSampler(options.MinP));
            samplers.Add(new TemperatureSampler(options.Temperature));
        }
        var seed = options.Seed ?? (ulong)Random.Shared.NextInt64();
        return new SamplerChain(vocabularySize, samplers, options.IsGreedy, seed);
    }

    /// <summary>Chooses the next token from raw logits (and remembers it for the penalties).</summary>
    public int Sample(ReadOnlySpan<float> logits)
    {
        // A chain that starts by keeping the k best (no penalties first; greedy keeps one) selects them straight
        // from the logits.
        var first = 0;
        if (_greedy && _samplers.Length == 0)
            _candidates.LoadTop(logits, 1);
        else if (_samplers.Length > 0 && _samplers[0] is TopKSampler topK)
        {
            _candidates.LoadTop(logits, topK.K);
            first = 1;
        }
        else
            _candidates.Load(logits);
        for (var i = first; i < _samplers.Length; i++)
            _samplers[i].Apply(_candidates);
        var token = _greedy ? Best() : Draw();
        Accept(token);
        return token;
    }

    /// <summary>Tells the samplers about a token that entered the sequence without being sampled (prompt).</summary>
    public void Accept(int token)
    {
        foreach (var sampler in _samplers)
            sampler.Accept(token);
    }

    public void Reset()
    {
        foreach (var sampler in _samplers)
            sampler.Reset();
    }

    private int Best()
    {
        var items = _candidates.Items;
        var best = 0;
        for (var i = 1; i < items.Length; i++)
            if (items[i].Logit > items[best].Logit || (items[i].Logit == items[best].Logit && items[i].Id < items[best].Id))
                best = i;
        return items[best].Id;
    }

    private int Draw()
    {
        _candidates.Softmax();
        var items = _candidates.Items;
        var target = _random.NextDouble();
        double cumulative = 0;
        for (var i = 0; i < items.Length; i++)
        {
            cumulative += items[i].Probability;
            if (target < cumulative)
                return items[i].Id;
        }
        return items[^1].Id;
    }
}
