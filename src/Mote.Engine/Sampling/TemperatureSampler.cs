namespace Mote.Engine.Sampling;

/// <summary>Divides logits by the temperature (applied after the filters, as in llama.cpp's default chain).</summary>
internal sealed class TemperatureSampler(float temperature) : ISampler
{
    public void Apply(Candidates candidates)
    {
        if (temperature == 1f)
            return;
        var inverse = 1f / temperature;
        foreach (ref var c in candidates.Items)
            c.Logit *= inverse;
    }
}
