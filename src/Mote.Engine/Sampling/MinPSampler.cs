namespace Mote.Engine.Sampling;

/// <summary>Keeps candidates whose probability is at least <c>p</c> times the most likely one's.</summary>
internal sealed class MinPSampler(float p) : ISampler
{
    public void Apply(Candidates candidates)
    {
        if (p <= 0f)
            return;
        candidates.Sort();
        // p_i ≥ p·p_max  ⇔  logit_i ≥ logit_max + ln p
        var items = candidates.Items;
        var threshold = items[0].Logit + MathF.Log(p);
        var keep = 1;
        while (keep < items.Length && items[keep].Logit >= threshold)
            keep++;
        candidates.Truncate(keep);
    }
}
