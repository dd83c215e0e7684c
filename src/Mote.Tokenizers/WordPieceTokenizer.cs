using System.Buffers;

namespace Mote.Tokenizers;

/// <summary>
/// WordPiece as llama.cpp runs it for <c>tokenizer.ggml.model = "bert"</c> (<c>llm_tokenizer_wpm_session</c>):
/// BERT's normalizer and pre-tokenizer (<see cref="WordPieceWords"/>) cut the text into words, and each word, with a
/// ▁ prefix, is covered by greedy longest-match pieces. llama.cpp's converter stores word-initial pieces with ▁ and
/// continuation pieces ("##ing" in Hugging Face) bare. A word that cannot be covered becomes [UNK]. With special
/// tokens, the output is wrapped in [CLS] … [SEP].
/// </summary>
internal sealed class WordPieceTokenizer : Tokenizer
{
    private readonly TokenIndex _index;
    private readonly SpecialTokenSplitter _splitter;
    private readonly SentencePiecePieces _pieces;
    private readonly WordPieceWords _words;

    public WordPieceTokenizer(Vocabulary vocabulary) : base(vocabulary)
    {
        _index = new TokenIndex(vocabulary.Tokens);
        _splitter = new SpecialTokenSplitter(vocabulary);
        _pieces = new SentencePiecePieces(vocabulary);
        var lowercase = vocabulary.NormalizerLowercase ?? true;
        _words = new WordPieceWords(lowercase, vocabulary.NormalizerStripAccents ?? lowercase);
    }

    public override int[] Encode(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = TextInput.Sanitize(text);
        var output = new List<int>(text.Length / 4 + 2);
        // llama.cpp adds the BOS ([CLS]) and SEP ids whenever special tokens are requested.
        if (addSpecial)
            output.Add(RequireId(Vocabulary.BosId, "[CLS] (BOS)"));

        var fragments = new List<TextFragment>();
        _splitter.Split(text, parseSpecial, fragments);
        var words = new List<Range>();
        var buffer = ArrayPool<char>.Shared.Rent(WordPieceWords.MaxBufferLength(text.Length));
        try
        {
            foreach (var fragment in fragments)
            {
                if (fragment.IsToken)
                {
                    output.Add(fragment.TokenId);
                    continue;
                }
                _words.Split(text.AsSpan(fragment.Start, fragment.Length), buffer, words);
                foreach (var word in words)
                    EncodeWord(buffer.AsSpan()[word], output);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        if (addSpecial)
            output.Add(RequireId(Vocabulary.SeparatorId, "[SEP]"));
        return [.. output];
    }

    public override byte[] TokenToBytes(int id, bool special = false) => _pieces.Get(id, special).ToArray();

    public override ReadOnlySpan<byte> GetPiece(int id, bool special = false) => _pieces.Get(id, special);

    /// <summary>As <c>llama_detokenize</c> for BERT: no space-prefix stripping, with the clean-up passes.</summary>
    public override string Decode(ReadOnlySpan<int> ids, bool special = false) =>
        Detokenizer.Decode(this, ids, special, removeLeadingSpace: false, cleanSpaces: true);

    // Greedy longest match from the start of the ▁-prefixed word; any position with no match discards the word.
    private void EncodeWord(ReadOnlySpan<char> word, List<int> output)
    {
        var mark = output.Count;
        for (var i = 0; i < word.Length;)
        {
            var matched = -1;
            for (var j = Math.Min(word.Length, i + _index.MaxLength + 1); j > i; j--)
            {
                var id = _index.Find(word[i..j]);
                if (id >= 0)
                {
                    output.Add(id);
                    matched = j;
                    break;
                }
            }
            if (matched < 0)
            {
                output.RemoveRange(mark, output.Count - mark);
                break;
            }
            i = matched;
        }
        if (output.Count == mark)
            output.Add(RequireId(Vocabulary.UnknownId, "[UNK]"));
    }

    private static int RequireId(int id, string name) => id >= 0
        ? id
        : throw new InvalidOperationException($"The vocabulary needs a {name} token but defines none.");
}
