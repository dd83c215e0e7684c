namespace Mote.Engine.Sampling;

/// <summary>One link of a sampler chain: reshapes the candidate list in place.</summary>
public interface ISampler
{
    /// <summary>Adjusts or filters the candidates for this step.</summary>
    void Apply(Candidates candidates);

    /// <summary>Told about each token that was chosen (or fed as prompt), for samplers with memory.</summary>
    void Accept(int token) { }

    /// <summary>Forgets any memory (a new sequence).</summary>
    void Reset() { }
}
