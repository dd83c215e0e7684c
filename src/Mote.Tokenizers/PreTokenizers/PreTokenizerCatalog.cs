using System.Collections.Frozen;
using R = Mote.Tokenizers.PreTokenizers.PreTokenizerRegexes;

namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// <c>tokenizer.ggml.pre</c> names to pre-tokenizer definitions, as llama.cpp maps them. Names llama.cpp knows but
/// this port does not implement are listed separately so they fail loudly instead of falling back to "default".
/// </summary>
internal static class PreTokenizerCatalog
{
    private static readonly PreTokenizerDefinition s_default = new(R.Default);
    private static readonly PreTokenizerDefinition s_gpt2 = new([R.Gpt2]);
    private static readonly PreTokenizerDefinition s_llama3 = new([R.Llama3], IgnoreMerges: true, AddBos: true);
    private static readonly PreTokenizerDefinition s_llama3Regex = new([R.Llama3]);
    private static readonly PreTokenizerDefinition s_qwen2 = new([R.Qwen2]);
    private static readonly PreTokenizerDefinition s_starcoder = new(R.Starcoder);
    private static readonly PreTokenizerDefinition s_deepSeek3 = new(R.DeepSeek3);
    private static readonly PreTokenizerDefinition s_poro = new(R.Poro);
    private static readonly PreTokenizerDefinition s_gpt4o = new([R.Gpt4o]);
    private static readonly PreTokenizerDefinition s_bailing = new([R.BailingMoe]);

    private static readonly FrozenDictionary<string, PreTokenizerDefinition> s_byName = new Dictionary<string, PreTokenizerDefinition>
    {
        ["default"] = s_default,
        ["llama3"] = s_llama3,
        ["llama-v3"] = s_llama3,
        ["llama-bpe"] = s_llama3,
        ["falcon3"] = s_llama3,
        ["falcon-h1"] = s_llama3,
        ["pixtral"] = s_llama3,
        ["midm-2.0"] = s_llama3,
        ["lfm2"] = s_llama3,
        ["jina-v5-nano"] = s_llama3,
        ["dbrx"] = s_llama3Regex,
        ["smaug-bpe"] = s_llama3Regex,
        // llama.cpp also clears the default BOS id for these two; that belongs to the vocabulary loader.
        ["glm4"] = s_llama3Regex,
        ["chatglm-bpe"] = s_llama3Regex,
        ["deepseek-llm"] = new(R.DeepSeekLlm),
        ["deepseek-coder"] = new(R.DeepSeekCoder),
        ["deepseek-v3"] = s_deepSeek3,
        ["hunyuan-dense"] = s_deepSeek3,
        ["falcon"] = new(R.Falcon),
        ["starcoder"] = s_starcoder,
        ["refact"] = s_starcoder,
        ["command-r"] = s_starcoder,
        ["smollm"] = s_starcoder,
        ["codeshell"] = s_starcoder,
        ["exaone"] = s_starcoder,
        ["minerva-7b"] = s_starcoder,
        ["gpt-2"] = s_gpt2,
        ["phi-2"] = s_gpt2,
        ["jina-es"] = s_gpt2,
        ["jina-de"] = s_gpt2,
        ["gigachat"] = s_gpt2,
        ["jina-v2-es"] = s_gpt2,
        ["jina-v2-de"] = s_gpt2,
        ["a.x-4.0"] = s_gpt2,
        ["mellum"] = s_gpt2,
        ["mpt"] = s_gpt2,
        ["olmo"] = s_gpt2,
        ["jais"] = s_gpt2,
        ["exaone4"] = s_gpt2,
        ["trillion"] = s_gpt2,
        ["granite-docling"] = s_gpt2,
        ["qwen2"] = s_qwen2,
        ["deepseek-r1-qwen"] = s_qwen2,
        ["kormo"] = s_qwen2,
        ["megrez"] = s_qwen2,
        ["stablelm2"] = s_qwen2,
        ["hunyuan"] = s_qwen2,
        ["grok-2"] = s_qwen2,
        ["qwen35"] = new([R.Qwen35]),
        ["poro-chat"] = s_poro,
        ["bloom"] = s_poro,
        ["gpt3-finnish"] = s_poro,
        ["viking"] = new(R.Viking),
        ["tekken"] = new([R.Tekken], IgnoreMerges: true, AddBos: true),
        ["chameleon"] = new(R.Chameleon, AddBos: true),
        ["gpt-4o"] = s_gpt4o,
        ["llama4"] = s_gpt4o,
        ["minimax-m2"] = s_gpt4o,
        ["superbpe"] = new(R.SuperBpe),
        ["bailingmoe"] = s_bailing,
        ["bailingmoe2"] = s_bailing,
        ["llada-moe"] = s_bailing,
        ["seed-coder"] = new([R.SeedCoder]),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Known to llama.cpp but needing its custom splitters (Han ranges, digit-group rules) or flags not ported:
    // jina-v1-en, jina-v2-code and roberta-bpe also append SEP, which this tokenizer does not do yet.
    private static readonly FrozenSet<string> s_unsupported = FrozenSet.ToFrozenSet(
        ["kimi-k2", "afmoe", "minicpm5", "jina-v1-en", "jina-v2-code", "roberta-bpe"], StringComparer.Ordinal);

    /// <summary>The definition for <paramref name="name"/>, or null when llama.cpp would not recognise it either.</summary>
    /// <exception cref="NotSupportedException">llama.cpp knows the name but this port does not implement it.</exception>
    public static PreTokenizerDefinition? Find(string name)
    {
        if (s_byName.TryGetValue(name, out var definition))
            return definition;
        if (s_unsupported.Contains(name))
            throw new NotSupportedException($"Pre-tokenizer '{name}' (tokenizer.ggml.pre) is not supported yet.");
        return null;
    }

    /// <summary>What llama.cpp uses for a missing or unrecognised name (it logs a warning and carries on).</summary>
    public static PreTokenizerDefinition Fallback => s_default;
}
