namespace Mote.Tokenizers;

/// <summary>
/// Token text → id, looked up by span so that tokenizers can probe substrings without allocating
/// (llama.cpp's <c>token_to_id</c>). Built once per tokenizer and read-only afterwards, so it is thread-safe.
/// </summary>
internal sealed class TokenIndex
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public TokenIndex(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (var id = 0; id < tokens.Count; id++)
        {
            var text = tokens[id];
            // The loader rejects duplicates as llama.cpp does; a hand-built vocabulary keeps the first id.
            if (text.Length > 0 && ids.TryAdd(text, id))
                MaxLength = Math.Max(MaxLength, text.Length);
        }
        _bySpan = ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Length in UTF-16 code units of the longest token text.</summary>
    public int MaxLength { get; }

    /// <summary>The id of the token whose text is exactly <paramref name="text"/>, or -1.</summary>
    public int Find(ReadOnlySpan<char> text) => _bySpan.TryGetValue(text, out var id) ? id : -1;
}
