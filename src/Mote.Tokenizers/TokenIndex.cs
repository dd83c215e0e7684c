namespace Mote.Tokenizers;

/// <summary>
/// Token text → id, looked up by span so that tokenizers can probe substrings without allocating (llama.cpp's
/// <c>token_to_id</c>). The texts are copied into one buffer of UTF-16 (<see cref="PackedRuns{T}"/>) (the vocabulary may hold them only as
/// UTF-8, decoding on access) and found through an open-addressing table of ids: for llama3's 128k tokens about
/// 3 MB, where the texts as strings in a <c>Dictionary&lt;string, int&gt;</c> took 8.6. Built once and read-only
/// afterwards, so it is thread-safe.
/// </summary>
public sealed class TokenIndex
{
    private readonly PackedRuns<char> _texts;
    private readonly int[] _slots; // token id + 1; 0 marks an empty slot
    private readonly int _mask;

    /// <summary>Indexes every non-empty token text.</summary>
    /// <param name="tokens">Token texts by id, each read once.</param>
    /// <param name="keepLast">
    /// Which id a text given to several tokens finds: the last (llama.cpp's <c>token_to_id</c> map, whose later
    /// entries overwrite earlier ones) or the first.
    /// </param>
    public TokenIndex(IReadOnlyList<string> tokens, bool keepLast = false)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _texts = new PackedRuns<char>(tokens.Count, typicalLength: 8);
        // At most half full, so a probe meets an empty slot within a step or two.
        var size = (int)Math.Min(1 << 30, Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)tokens.Count * 2)));
        _slots = new int[size];
        _mask = size - 1;
        for (var id = 0; id < tokens.Count; id++)
        {
            var text = _texts.Add(tokens[id]);
            if (text.IsEmpty)
                continue;
            MaxLength = Math.Max(MaxLength, text.Length);
            var slot = SlotOf(text);
            if (_slots[slot] == 0)
            {
                _slots[slot] = id + 1;
                continue;
            }
            Duplicate ??= (_slots[slot] - 1, id);
            if (keepLast)
                _slots[slot] = id + 1;
        }
    }

    /// <summary>Length in UTF-16 code units of the longest token text.</summary>
    public int MaxLength { get; }

    /// <summary>The first text met twice, in id order: the earlier id and the later one (null when none is).</summary>
    public (int First, int Second)? Duplicate { get; }

    /// <summary>The id of the token whose text is exactly <paramref name="text"/>, or -1.</summary>
    public int Find(ReadOnlySpan<char> text) => _slots[SlotOf(text)] - 1;

    // The slot holding text, or the empty slot where it would go.
    private int SlotOf(ReadOnlySpan<char> text)
    {
        var slot = string.GetHashCode(text) & _mask;
        while (_slots[slot] != 0 && !text.SequenceEqual(_texts[_slots[slot] - 1]))
            slot = (slot + 1) & _mask;
        return slot;
    }
}
