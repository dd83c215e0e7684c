using Mote.Tokenizers;

namespace Mote.Server.LocalModels.Json;

/// <summary>
/// Every token of a vocabulary as the bytes it spells, in a prefix tree, built once per model: the mask walk
/// feeds shared prefixes to the automaton once instead of once per token. Tokens that spell nothing (control
/// tokens) are not in the tree; end-of-generation tokens are listed apart.
/// </summary>
internal sealed class TokenTrie
{
    private readonly byte[] _byte;        // (nodes) the byte leading into each node; node 0 is the root
    private readonly int[] _firstChild;   // (nodes) -1 when none
    private readonly int[] _nextSibling;  // (nodes) -1 when none
    private readonly int[] _tokenStart;   // (nodes + 1) tokens ending at node n are _tokens[_tokenStart[n].._tokenStart[n + 1]]
    private readonly int[] _tokens;

    private TokenTrie(byte[] bytes, int[] firstChild, int[] nextSibling, int[] tokenStart, int[] tokens, byte[][] pieces, int[] endOfGeneration)
    {
        _byte = bytes;
        _firstChild = firstChild;
        _nextSibling = nextSibling;
        _tokenStart = tokenStart;
        _tokens = tokens;
        Pieces = pieces;
        EndOfGeneration = endOfGeneration;
    }

    /// <summary>The bytes of each token id (empty for control tokens).</summary>
    public byte[][] Pieces { get; }

    /// <summary>Ids that end generation (EOS, EOT, …).</summary>
    public int[] EndOfGeneration { get; }

    public int VocabularySize => Pieces.Length;

    public int NodeCount => _byte.Length;

    public int FirstChild(int node) => _firstChild[node];

    public int NextSibling(int node) => _nextSibling[node];

    public byte ByteOf(int node) => _byte[node];

    public ReadOnlySpan<int> TokensAt(int node) => _tokens.AsSpan(_tokenStart[node], _tokenStart[node + 1] - _tokenStart[node]);

    public static TokenTrie Build(Tokenizer tokenizer, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var pieces = new byte[vocabularySize][];
        var endOfGeneration = new List<int>();
        for (var id = 0; id < vocabularySize; id++)
        {
            pieces[id] = tokenizer.GetPiece(id).ToArray();
            if (tokenizer.IsEndOfGeneration(id))
                endOfGeneration.Add(id);
        }
        return Build(pieces, [.. endOfGeneration]);
    }

    public static TokenTrie Build(byte[][] pieces, int[] endOfGeneration)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var children = new Dictionary<long, int>();
        var bytes = new List<byte> { 0 };
        var endings = new List<List<int>?> { null };
        for (var id = 0; id < pieces.Length; id++)
        {
            var piece = pieces[id];
            if (piece.Length == 0 || Array.IndexOf(endOfGeneration, id) >= 0)
                continue;
            var node = 0;
            foreach (var b in piece)
            {
                var key = ((long)node << 8) | b;
                if (!children.TryGetValue(key, out var child))
                {
                    child = bytes.Count;
                    bytes.Add(b);
                    endings.Add(null);
                    children[key] = child;
                }
                node = child;
            }
            (endings[node] ??= []).Add(id);
        }

        var count = bytes.Count;
        var firstChild = new int[count];
        var nextSibling = new int[count];
        Array.Fill(firstChild, -1);
        Array.Fill(nextSibling, -1);
        foreach (var (key, child) in children)
        {
            var parent = (int)(key >> 8);
            nextSibling[child] = firstChild[parent];
            firstChild[parent] = child;
        }
        var tokenStart = new int[count + 1];
        var tokens = new List<int>();
        for (var n = 0; n < count; n++)
        {
            tokenStart[n] = tokens.Count;
            if (endings[n] is { } list)
                tokens.AddRange(list);
        }
        tokenStart[count] = tokens.Count;
        return new TokenTrie([.. bytes], firstChild, nextSibling, tokenStart, [.. tokens], pieces, endOfGeneration);
    }
}
