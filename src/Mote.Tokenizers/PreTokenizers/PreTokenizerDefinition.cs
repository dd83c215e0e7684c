namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// What a <c>tokenizer.ggml.pre</c> name means to llama.cpp: its regex list and the tokenizer flags it sets
/// (<c>llama_vocab::impl::load</c>).
/// </summary>
/// <param name="Regexes">Applied in order, each cutting the words the previous one produced.</param>
/// <param name="IgnoreMerges">A word that is itself a vocabulary token is emitted without running BPE (llama3, tekken).</param>
/// <param name="AddBos">The default for adding BOS when the file has no <c>add_bos_token</c> key.</param>
internal sealed record PreTokenizerDefinition(IReadOnlyList<string> Regexes, bool IgnoreMerges = false, bool AddBos = false);
