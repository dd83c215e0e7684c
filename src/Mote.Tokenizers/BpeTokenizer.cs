using Mote.Tokenizers.PreTokenizers;

namespace Mote.Tokenizers;

/// <summary>
/// Byte-level BPE (<c>tokenizer.ggml.model = "gpt2"</c>: GPT-2, Llama 3, Qwen2, SmolLM, ...), behaving as llama.cpp's
/// <c>llm_tokenizer_bpe</c>: special tokens are cut out first, the rest is split into words by the pre-tokenizer
/// named in <c>tokenizer.ggml.pre</c>, each word's UTF-8 bytes are spelled in the byte-level alphabet, and merges are
/// applied lowest rank first. Immutable and thread-safe.
/// </summary>
public sealed class BpeTokenizer : Tokenizer
{
    private readonly BpeTokenizerTables _tables;
    private readonly PreTokenizer _preTokenizer;
    private readonly SpecialTokenSplitter _splitter;
    private readonly BpeTokenizerPieces _pieces;
    private readonly bool _ignoreMerges;
    private readonly bool _addBos;
    private readonly bool _addEos;
    private readonly int _bosId;
    private readonly int _eosId;

    /// <exception cref="ArgumentException">The vocabulary is not a BPE vocabulary or has no merges.</exception>
    /// <exception cref="NotSupportedException">The pre-tokenizer is one llama.cpp knows but this port does not implement.</exception>
    public BpeTokenizer(Vocabulary vocabulary) : base(vocabulary)
    {
        if (vocabulary.Model != "gpt2")
            throw new ArgumentException($"BPE needs tokenizer.ggml.model 'gpt2', not '{vocabulary.Model}'.", nameof(vocabulary));
        if (vocabulary.Merges is null)
            throw new ArgumentException("BPE vocabulary has no tokenizer.ggml.merges.", nameof(vocabulary));

        var definition = PreTokenizerCatalog.Find(vocabulary.Pre);
        if (definition is null)
        {
            PreTokenizerWarning =
                $"Unknown pre-tokenizer '{vocabulary.Pre}' (tokenizer.ggml.pre); using 'default' as llama.cpp does. Tokenization may differ from the model's.";
            definition = PreTokenizerCatalog.Fallback;
        }

        _tables = new BpeTokenizerTables(vocabulary);
        _preTokenizer = new PreTokenizer(definition.Regexes);
        _splitter = new SpecialTokenSplitter(vocabulary);
        _pieces = new BpeTokenizerPieces(vocabulary);
        _ignoreMerges = definition.IgnoreMerges;
        _addBos = vocabulary.AddBos ?? definition.AddBos;
        _addEos = vocabulary.AddEos ?? false;
        // The loader already applied llama.cpp's per-model default ids (11 for gpt2) where the file names none.
        _bosId = vocabulary.BosId;
        _eosId = vocabulary.EosId;
    }

    /// <summary>
    /// Set when <c>tokenizer.ggml.pre</c> was missing from llama.cpp's list and the default pre-tokenizer was used
    /// instead (llama.cpp logs the same warning); the loader should show it to the user.
    /// </summary>
    public string? PreTokenizerWarning { get; }

    /// <summary>True when encoding with <c>addSpecial</c> puts BOS first.</summary>
    public bool AddsBos => _addBos;

    /// <summary>True when encoding with <c>addSpecial</c> puts EOS last.</summary>
    public bool AddsEos => _addEos;

    /// <inheritdoc />
    public override int[] Encode(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new List<int>(text.Length / 3 + 2);
        if (addSpecial && _addBos)
            output.Add(RequireId(_bosId, "BOS"));

        text = TextInput.Sanitize(text);
        var fragments = new List<TextFragment>();
        _splitter.Split(text, parseSpecial, fragments);
        var session = BpeTokenizerSession.Rent();
        try
        {
            foreach (var fragment in fragments)
            {
                if (fragment.IsToken)
                    output.Add(fragment.TokenId);
                else
                    session.Tokenize(text.AsSpan(fragment.Start, fragment.Length), _preTokenizer, _tables, _ignoreMerges, output);
            }
        }
        finally
        {
            BpeTokenizerSession.Return(session);
        }

        if (addSpecial && _addEos)
            output.Add(RequireId(_eosId, "EOS"));
        return [.. output];
    }

    /// <inheritdoc />
    public override byte[] TokenToBytes(int id, bool special = false) => _pieces.Get(id, special).ToArray();

    /// <inheritdoc />
    public override ReadOnlySpan<byte> GetPiece(int id, bool special = false) => _pieces.Get(id, special);

    private int RequireId(int id, string name) =>
        (uint)id < (uint)Vocabulary.Count
            ? id
            : throw new InvalidOperationException($"The vocabulary asks for {name} but has no valid {name} token id ({id}).");
}
