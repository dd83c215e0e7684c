namespace Mote.Engine.Sampling;

/// <summary>Keeps the k most likely candidates (k ≤ 0 keeps all).</summary>
internal sealed class TopKSampler(int k) : ISampler
{
    public int K => k;

    public void Apply(Candidates candidates) => candidates.KeepTop(k);
}
