namespace Mote.Tokenizers;

/// <summary>
/// Everything a tokenizer needs, as read from a model's <c>tokenizer.ggml.*</c> metadata. Immutable and shared by
/// every tokenizer built from it. Ids are -1 where the file names none.
/// </summary>
public sealed record Vocabulary
{
    /// <summary><c>tokenizer.ggml.model</c>: "llama" (SentencePiece), "gpt2" (byte-level BPE), "bert" (WordPiece), ...</summary>
    public required string Model { get; init; }

    /// <summary><c>tokenizer.ggml.pre</c>: the pre-tokenizer name for BPE vocabularies ("default" when absent).</summary>
    public string Pre { get; init; } = "default";

    /// <summary>Token texts by id.</summary>
    public required IReadOnlyList<string> Tokens { get; init; }

    /// <summary>SentencePiece scores by id, when the file has them.</summary>
    public IReadOnlyList<float>? Scores { get; init; }

    /// <summary>Token attributes by id; <see cref="TokenType.Normal"/> for every token when the file has none.</summary>
    public IReadOnlyList<TokenType>? Types { get; init; }

    /// <summary>BPE merges in rank order, each "left right".</summary>
    public IReadOnlyList<string>? Merges { get; init; }

    public int BosId { get; init; } = -1;
    public int EosId { get; init; } = -1;
    public int EotId { get; init; } = -1;
    public int EomId { get; init; } = -1;
    public int UnknownId { get; init; } = -1;
    public int SeparatorId { get; init; } = -1;
    public int PaddingId { get; init; } = -1;
    public int MaskId { get; init; } = -1;

    /// <summary>Add BOS before encoded text when special tokens are requested (null: the model's default).</summary>
    public bool? AddBos { get; init; }

    /// <summary>Add EOS after encoded text when special tokens are requested (null: the model's default).</summary>
    public bool? AddEos { get; init; }

    /// <summary><c>tokenizer.ggml.add_space_prefix</c> (null: the model's default).</summary>
    public bool? AddSpacePrefix { get; init; }

    /// <summary><c>tokenizer.ggml.remove_extra_whitespaces</c>.</summary>
    public bool RemoveExtraWhitespaces { get; init; }

    /// <summary><c>tokenizer.chat_template</c>, when present.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>
    /// Every token that ends generation (llama.cpp's <c>special_eog_ids</c>: EOS, EOT, EOM and tokens such as
    /// <c>&lt;|im_end|&gt;</c> recognised by their text). Null: just <see cref="EosId"/>, <see cref="EotId"/> and
    /// <see cref="EomId"/>.
    /// </summary>
    public IReadOnlySet<int>? EndOfGenerationIds { get; init; }

    /// <summary>
    /// Special tokens that swallow the whitespace before them when they are split out of text (llama.cpp's
    /// <c>LLAMA_TOKEN_ATTR_LSTRIP</c>, which llama.cpp sets by model name, e.g. <c>&lt;mask&gt;</c> for Jina).
    /// </summary>
    public IReadOnlySet<int>? LeftStripIds { get; init; }

    /// <summary>Special tokens that swallow the whitespace after them (<c>LLAMA_TOKEN_ATTR_RSTRIP</c>, e.g. Phi-3's).</summary>
    public IReadOnlySet<int>? RightStripIds { get; init; }

    /// <summary><c>tokenizer.ggml.normalizer.lowercase</c> for WordPiece (null: true, as BERT's normalizer).</summary>
    public bool? NormalizerLowercase { get; init; }

    /// <summary><c>tokenizer.ggml.normalizer.strip_accents</c> for WordPiece (null: same as the lowercase option).</summary>
    public bool? NormalizerStripAccents { get; init; }

    public int Count => Tokens.Count;

    public TokenType TypeOf(int id) => Types is null ? TokenType.Normal : Types[id];
}
