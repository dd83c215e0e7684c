using System.Buffers;

namespace Mote.Tokenizers;

/// <summary>
/// SentencePiece BPE as llama.cpp runs it for <c>tokenizer.ggml.model = "llama"</c> (LLaMA, Mistral, Phi-3,
/// TinyStories): special tokens are split out first, each text run is escaped (spaces → ▁, a leading ▁ at the start
/// of the input and after every special token when the vocabulary adds a space prefix) and segmented by
/// <see cref="SentencePieceMerger"/>; characters with no token fall back to <c>&lt;0xNN&gt;</c> byte tokens.
/// </summary>
internal sealed class SentencePieceTokenizer : Tokenizer
{
    private const char Space = '\u2581';

    private readonly TokenIndex _index;
    private readonly IReadOnlyList<float> _scores;
    private readonly int[] _byteTokens;
    private readonly SpecialTokenSplitter _splitter;
    private readonly SentencePiecePieces _pieces;
    private readonly bool _addBos;
    private readonly bool _addEos;
    private readonly bool _addSpacePrefix;

    public SentencePieceTokenizer(Vocabulary vocabulary) : base(vocabulary)
    {
        _index = new TokenIndex(vocabulary.Tokens);
        _scores = vocabulary.Scores ?? new float[vocabulary.Count];
        _splitter = new SpecialTokenSplitter(vocabulary);
        _pieces = new SentencePiecePieces(vocabulary);
        // llama.cpp's SPM defaults: BOS yes, EOS no, space prefix yes.
        _addBos = vocabulary.AddBos ?? true;
        _addEos = vocabulary.AddEos ?? false;
        _addSpacePrefix = vocabulary.AddSpacePrefix ?? true;
        _byteTokens = BuildByteTokens(vocabulary, _index);
    }

    public override int[] Encode(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = TextInput.Sanitize(text);
        var output = new List<int>(text.Length / 3 + 2);
        if (addSpecial && _addBos)
            output.Add(RequireId(Vocabulary.BosId, "BOS"));

        var fragments = new List<TextFragment>();
        _splitter.Split(text, parseSpecial, fragments);
        // The space prefix goes before the first run and before any run that follows a special token.
        var afterSpecial = true;
        foreach (var fragment in fragments)
        {
            if (fragment.IsToken)
            {
                output.Add(fragment.TokenId);
                afterSpecial = true;
                continue;
            }
            EncodeRun(text.AsSpan(fragment.Start, fragment.Length), _addSpacePrefix && afterSpecial, output);
            afterSpecial = false;
        }

        if (addSpecial && _addEos)
            output.Add(RequireId(Vocabulary.EosId, "EOS"));
        return [.. output];
    }

    public override byte[] TokenToBytes(int id, bool special = false) => _pieces.Get(id, special).ToArray();

    public override ReadOnlySpan<byte> GetPiece(int id, bool special = false) => _pieces.Get(id, special);

    /// <summary>
    /// As <c>llama_detokenize</c>: pieces concatenated, and with a space-prefix vocabulary the first token loses one
    /// leading space (a leading BOS renders empty and uses that up, so "&lt;s&gt; Hello" keeps its space).
    /// </summary>
    public override string Decode(ReadOnlySpan<int> ids, bool special = false) =>
        Detokenizer.Decode(this, ids, special, removeLeadingSpace: _addSpacePrefix, cleanSpaces: false);

    private void EncodeRun(ReadOnlySpan<char> run, bool prefixSpace, List<int> output)
    {
        var length = run.Length + (prefixSpace ? 1 : 0);
        var buffer = ArrayPool<char>.Shared.Rent(length);
        try
        {
            var escaped = buffer.AsSpan(0, length);
            if (prefixSpace)
                escaped[0] = Space;
            run.Replace(escaped[(prefixSpace ? 1 : 0)..], ' ', Space);
            SentencePieceMerger.Encode(escaped, _index, _scores, _byteTokens, output);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int RequireId(int id, string name) => id >= 0
        ? id
        : throw new InvalidOperationException($"The vocabulary asks for a {name} token but defines none.");

    // llama.cpp's byte_to_token: "<0xNN>" (upper-case hex), else the one-character token for ASCII bytes. Where both
    // are missing llama.cpp fails; Mote falls back to the unknown token.
    private static int[] BuildByteTokens(Vocabulary vocabulary, TokenIndex index)
    {
        var ids = new int[256];
        Span<char> hex = stackalloc char[6];
        for (var b = 0; b < 256; b++)
        {
            $"<0x{b:X2}>".AsSpan().CopyTo(hex);
            var id = index.Find(hex);
            if (id < 0 && b < 0x80)
            {
                var c = (char)b;
                id = index.Find(new ReadOnlySpan<char>(in c));
            }
            ids[b] = id >= 0 ? id : vocabulary.UnknownId;
        }
        return ids;
    }
}
