namespace Mote.Tokenizers;

/// <summary>
/// The immutable lookup tables of a byte-level BPE vocabulary, built once and shared by every encode call.
/// <para>
/// Merges work on <em>symbols</em>: ids for every string that can appear during merging. Vocabulary tokens keep
/// their token ids (for duplicated texts the last id, as llama.cpp's <c>token_to_id</c>); merge halves and results
/// that are not tokens get ids from <see cref="VocabularySize"/> upwards, so a merge chain through a non-token
/// string still behaves as llama.cpp's string-keyed <c>bpe_ranks</c> does.
/// </para>
/// </summary>
internal sealed class BpeTokenizerTables
{
    /// <summary>A merge's rank (its line in <c>tokenizer.ggml.merges</c>; lower merges first) and the symbol it makes.</summary>
    public readonly record struct Merge(int Rank, int Result);

    private readonly Dictionary<long, Merge> _merges; // (left symbol, right symbol) -> merge; read-only once built
    private readonly int[] _byteSymbols = new int[256];

    public BpeTokenizerTables(Vocabulary vocabulary)
    {
        VocabularySize = vocabulary.Count;
        TokenIds = new TokenIndex(vocabulary.Tokens, keepLast: true);

        // Strings that only occur inside merge chains, numbered after the vocabulary.
        var extra = new Dictionary<string, int>(StringComparer.Ordinal);
        var extraBySpan = extra.GetAlternateLookup<ReadOnlySpan<char>>();
        var lines = vocabulary.Merges ?? [];
        var merges = new Dictionary<long, Merge>(lines.Count, PairComparer.Instance);
        Span<char> joined = stackalloc char[256];
        for (var rank = 0; rank < lines.Count; rank++)
        {
            var line = lines[rank].AsSpan();
            // llama.cpp splits at the first space after the first character.
            var space = line.Length > 1 ? line[1..].IndexOf(' ') + 1 : 0;
            if (space <= 0)
                continue; // llama.cpp records ("", "") here, which no symbol can ever match
            var leftText = line[..space];
            var rightText = line[(space + 1)..];
            var resultText = line.Length - 1 <= joined.Length ? joined[..(line.Length - 1)] : new char[line.Length - 1];
            leftText.CopyTo(resultText);
            rightText.CopyTo(resultText[leftText.Length..]);

            var left = Intern(extraBySpan, leftText);
            var right = Intern(extraBySpan, rightText);
            var result = Intern(extraBySpan, resultText);
            merges.TryAdd(Key(left, right), new Merge(rank, result)); // first occurrence wins, as unordered_map::emplace
        }
        _merges = merges;
        ExtraSymbolCount = extra.Count;

        for (var b = 0; b < 256; b++)
        {
            ReadOnlySpan<char> alphabet = [ByteLevel.ToChar((byte)b)];
            var symbol = TokenIds.Find(alphabet);
            _byteSymbols[b] = symbol >= 0 ? symbol : extraBySpan.TryGetValue(alphabet, out symbol) ? symbol : -1;
        }
    }

    public int VocabularySize { get; }

    /// <summary>Token ids by token text.</summary>
    public TokenIndex TokenIds { get; }

    /// <summary>The symbol of the one-character string standing for <paramref name="value"/>, or -1.</summary>
    public int ByteSymbol(byte value) => _byteSymbols[value];

    public bool TryGetMerge(int left, int right, out Merge merge) => _merges.TryGetValue(Key(left, right), out merge);

    /// <summary>True for symbols that are vocabulary tokens (their symbol is their token id).</summary>
    public bool IsToken(int symbol) => (uint)symbol < (uint)VocabularySize;

    /// <summary>The number of symbols that exist only inside merge chains (diagnostics).</summary>
    public int ExtraSymbolCount { get; }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>
    /// long's own hash is <c>high ^ low</c>, which for two small ids collides constantly; mixing both halves keeps
    /// the merge table's chains short.
    /// </summary>
    private sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long pair) => (int)((ulong)(pair * unchecked((long)0x9E3779B97F4A7C15)) >> 32);
    }

    private int Intern(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> extra, ReadOnlySpan<char> text)
    {
        var symbol = TokenIds.Find(text);
        if (symbol >= 0 || extra.TryGetValue(text, out symbol))
            return symbol;
        symbol = VocabularySize + extra.Dictionary.Count;
        extra.Dictionary.Add(text.ToString(), symbol);
        return symbol;
    }
}
