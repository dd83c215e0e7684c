namespace Mote.Tokenizers;

/// <summary>
/// Turns text into token ids and back for one vocabulary. Implementations are immutable and thread-safe:
/// all per-call state lives in locals or pooled buffers.
/// </summary>
public abstract class Tokenizer
{
    protected Tokenizer(Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
    }

    public Vocabulary Vocabulary { get; }

    /// <summary>
    /// Builds the tokenizer named by <see cref="Vocabulary.Model"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The vocabulary's model or pre-tokenizer is not supported.</exception>
    public static Tokenizer Create(Vocabulary vocabulary) => TokenizerFactory.Create(vocabulary);

    /// <summary>
    /// Encodes text as llama.cpp's <c>llama_tokenize</c> does. <paramref name="addSpecial"/> adds BOS/EOS as the
    /// vocabulary asks; <paramref name="parseSpecial"/> lets control-token text such as <c>&lt;|im_start|&gt;</c>
    /// in the input become that token (otherwise it is tokenized as plain text).
    /// </summary>
    public abstract int[] Encode(string text, bool addSpecial = true, bool parseSpecial = false);

    /// <summary>
    /// The bytes a token stands for, as <c>llama_token_to_piece</c> gives them: byte tokens as their byte,
    /// SentencePiece's ▁ as a space, byte-level BPE characters mapped back to bytes. Control tokens render as
    /// empty unless <paramref name="special"/> is true.
    /// </summary>
    public abstract byte[] TokenToBytes(int id, bool special = false);

    /// <summary>
    /// The same bytes as <see cref="TokenToBytes"/> without allocating: a read-only view of a cached piece, valid
    /// for the tokenizer's lifetime. Hot paths (streaming decode) use this; implementations should override it.
    /// </summary>
    public virtual ReadOnlySpan<byte> GetPiece(int id, bool special = false) => TokenToBytes(id, special);

    /// <summary>Decodes a whole sequence to text (invalid UTF-8 becomes U+FFFD).</summary>
    public virtual string Decode(ReadOnlySpan<int> ids, bool special = false)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
            bytes.AddRange(TokenToBytes(id, special));
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>True for tokens that end generation (EOS, EOT, EOM and <see cref="Vocabulary.EndOfGenerationIds"/>).</summary>
    public bool IsEndOfGeneration(int id) =>
        id >= 0 && (Vocabulary.EndOfGenerationIds is { } eog
            ? eog.Contains(id)
            : id == Vocabulary.EosId || id == Vocabulary.EotId || id == Vocabulary.EomId);
}
