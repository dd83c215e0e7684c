namespace Mote.Engine.Sampling;

/// <summary>Nucleus sampling: keeps the smallest prefix of candidates whose probabilities sum to at least p.</summary>
internal sealed class TopPSampler(float p) : ISampler
{
    public void Apply(Candidates candidates)
    {
        if (p >= 1f)
            return;
        candidates.Sort();
        candidates.Softmax();
        var items = candidates.Items;
        var cumulative = 0f;
        for (var i = 0; i < items.Length; i++)
        {
            cumulative += items[i].Probability;
            if (cumulative >= p)
            {
                candidates.Truncate(i + 1);
                return;
            }
        }
    }
}
