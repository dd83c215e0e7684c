namespace Mote.Engine.Sampling;

/// <summary>One candidate next token with its (possibly adjusted) logit and, once computed, its probability.</summary>
public struct TokenCandidate
{
    public int Id;
    public float Logit;
    public float Probability;
}
