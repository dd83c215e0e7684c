namespace Mote.Tokenizers;

/// <summary>Chooses the tokenizer implementation for a vocabulary's <c>tokenizer.ggml.model</c>.</summary>
internal static class TokenizerFactory
{
    public static Tokenizer Create(Vocabulary vocabulary) => vocabulary.Model switch
    {
        "llama" => new SentencePieceTokenizer(vocabulary),
        "gpt2" => new BpeTokenizer(vocabulary),
        "bert" => new WordPieceTokenizer(vocabulary),
        _ => throw new NotSupportedException($"Tokenizer model '{vocabulary.Model}' is not supported."),
    };
}
