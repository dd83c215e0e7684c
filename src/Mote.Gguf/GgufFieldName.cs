namespace Mote.Gguf;

/// <summary>
/// The name of a field for error messages (<c>kv[tokenizer.ggml.tokens][7].length</c>), kept in parts and
/// formatted only when an error is raised, so that reading a 150k-token vocabulary allocates no names.
/// </summary>
internal readonly record struct GgufFieldName(string Base, long Index = -1, string? Suffix = null)
{
    public static implicit operator GgufFieldName(string name) => new(name);

    /// <summary>The same field with a suffix such as <c>.count</c> (replacing any earlier suffix).</summary>
    public GgufFieldName With(string suffix) => this with { Suffix = suffix };

    public override string ToString() => (Index < 0 ? Base : $"{Base}[{Index}]") + Suffix;
}
