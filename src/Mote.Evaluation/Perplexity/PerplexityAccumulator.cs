namespace Mote.Evaluation.Perplexity;

/// <summary>Running sums for perplexity, KL divergence and top-token agreement.</summary>
internal sealed class PerplexityAccumulator
{
    private double _nll, _nll2, _referenceNll, _kld, _kld2;
    private int _count, _sameTop;

    public double MeanNll => _count == 0 ? 0 : _nll / _count;

    public void AddToken(double nll)
    {
        _nll += nll;
        _nll2 += nll * nll;
        _count++;
    }

    /// <summary>Adds KL(reference ‖ model) at one position and whether both rank the same token first.</summary>
    public void AddComparison(ReadOnlySpan<float> reference, double[] model, int next)
    {
        _referenceNll -= reference[next];
        double kld = 0;
        int topReference = 0, topModel = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            kld += Math.Exp(reference[i]) * (reference[i] - model[i]);
            if (reference[i] > reference[topReference])
                topReference = i;
            if (model[i] > model[topModel])
                topModel = i;
        }
        _kld += kld;
        _kld2 += kld * kld;
        if (topReference == topModel)
            _sameTop++;
    }

    public PerplexityResult ToResult(int chunks, int contextLength, bool compared)
    {
        var mean = _nll / _count;
        var variance = _nll2 / _count - mean * mean;
        var ppl = Math.Exp(mean);
        // llama-perplexity: error = ppl · sqrt(var(nll) / (count − 1)).
        var error = variance > 0 && _count > 1 ? ppl * Math.Sqrt(variance / (_count - 1)) : 0;
        var kldMean = _kld / _count;
        var kldVariance = _kld2 / _count - kldMean * kldMean;
        return new PerplexityResult
        {
            Perplexity = ppl,
            PerplexityError = error,
            ScoredTokens = _count,
            Chunks = chunks,
            ContextLength = contextLength,
            KlDivergenceMean = compared ? kldMean : null,
            KlDivergenceError = compared && _count > 1 ? Math.Sqrt(Math.Max(0, kldVariance) / (_count - 1)) : null,
            SameTopPercent = compared ? 100.0 * _sameTop / _count : null,
            ReferencePerplexity = compared ? Math.Exp(_referenceNll / _count) : null,
        };
    }
}
