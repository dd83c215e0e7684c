using System.Text.Json.Serialization;

namespace Mote.Evaluation.Perplexity;

/// <summary>
/// Perplexity of a model over a text and, when a reference model was given, how far its token distributions are
/// from the reference's (the standard measure of what quantization costs).
/// </summary>
public sealed record PerplexityResult
{
    [JsonPropertyName("ppl")]
    public required double Perplexity { get; init; }

    /// <summary>Standard error of the perplexity estimate, computed as llama-perplexity does.</summary>
    [JsonPropertyName("ppl_err")]
    public required double PerplexityError { get; init; }

    /// <summary>Number of scored tokens.</summary>
    [JsonPropertyName("tokens")]
    public required int ScoredTokens { get; init; }

    [JsonPropertyName("chunks")]
    public required int Chunks { get; init; }

    [JsonPropertyName("ctx")]
    public required int ContextLength { get; init; }

    /// <summary>Mean KL(reference ‖ model) over scored positions.</summary>
    [JsonPropertyName("kld_mean")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? KlDivergenceMean { get; init; }

    [JsonPropertyName("kld_err")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? KlDivergenceError { get; init; }

    /// <summary>Share of scored positions where both models rank the same token first, in percent.</summary>
    [JsonPropertyName("same_top_pct")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SameTopPercent { get; init; }

    /// <summary>Perplexity of the reference model over the same chunks.</summary>
    [JsonPropertyName("reference_ppl")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ReferencePerplexity { get; init; }
}
