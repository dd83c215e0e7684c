namespace Mote.Evaluation.Perplexity;

/// <summary>
/// A reference model's log-probabilities at every scored position of a text (llama-perplexity's
/// <c>--kl-divergence-base</c>): computed once, then compared against any number of quantized variants.
/// Layout: (scored positions, n_vocab).
/// </summary>
public sealed class KldBase
{
    internal KldBase(int contextLength, int tokenCount, int vocabularySize, float[] logProbs)
    {
        ContextLength = contextLength;
        TokenCount = tokenCount;
        VocabularySize = vocabularySize;
        LogProbs = logProbs;
    }

    public int ContextLength { get; }

    /// <summary>Length of the token stream it was computed over.</summary>
    public int TokenCount { get; }

    public int VocabularySize { get; }

    internal float[] LogProbs { get; }

    internal ReadOnlySpan<float> At(int scoredIndex) => LogProbs.AsSpan(scoredIndex * VocabularySize, VocabularySize);
}
