using Mote.Gguf;
using Mote.Tokenizers;

namespace Mote.Engine.Loading;

/// <summary>
/// Reads a <see cref="Vocabulary"/> from a GGUF file's <c>tokenizer.*</c> metadata the way llama.cpp's
/// <c>llama_vocab::impl::load</c> does: per-model default special ids, empty tokens renamed, integer or float
/// scores, and the text-based special-token rules of <see cref="SpecialTokenRules"/>.
/// </summary>
public static class VocabularyLoader
{
    /// <summary>Reads the vocabulary of <paramref name="file"/>.</summary>
    /// <exception cref="GgufFormatException">Tokenizer metadata is missing, mistyped or inconsistent (the message names the key).</exception>
    public static Vocabulary Load(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var meta = file.Metadata;
        try
        {
            var model = meta.TryGetString("tokenizer.ggml.model") ?? "llama";
            var tokens = ReadTokens(file, out var index);
            var defaults = SpecialIdDefaults.For(model);
            int Id(string key, int fallback) => ReadId(file, key, fallback, tokens.Count);
            int OptionalId(string key) => Id(key, -1);
            // llama.cpp still reads the deprecated FIM key names, after the current ones.
            int FimId(string key, string deprecatedKey) => Id(deprecatedKey, OptionalId(key));

            var types = ReadTypes(file, tokens.Count);
            var rules = SpecialTokenRules.Apply(new SpecialTokenRules.Input
            {
                Index = index,
                Types = types,
                EosId = Id("tokenizer.ggml.eos_token_id", defaults.Eos),
                EotId = OptionalId("tokenizer.ggml.eot_token_id"),
                EomId = OptionalId("tokenizer.ggml.eom_token_id"),
                FimPreId = FimId("tokenizer.ggml.fim_pre_token_id", "tokenizer.ggml.prefix_token_id"),
                FimSufId = FimId("tokenizer.ggml.fim_suf_token_id", "tokenizer.ggml.suffix_token_id"),
                FimMidId = FimId("tokenizer.ggml.fim_mid_token_id", "tokenizer.ggml.middle_token_id"),
                FimPadId = OptionalId("tokenizer.ggml.fim_pad_token_id"),
                FimRepId = OptionalId("tokenizer.ggml.fim_rep_token_id"),
                FimSepId = OptionalId("tokenizer.ggml.fim_sep_token_id"),
                ModelName = meta.TryGetString("general.name") ?? "",
                Pre = meta.TryGetString("tokenizer.ggml.pre") ?? "",
                Architecture = meta.TryGetString("general.architecture") ?? "",
            });

            return new Vocabulary
            {
                Model = model,
                Pre = meta.TryGetString("tokenizer.ggml.pre") ?? "default",
                Tokens = tokens,
                Scores = ReadScores(file, tokens.Count),
                Types = types,
                Merges = meta.TryGetStrings("tokenizer.ggml.merges"), // decoded line by line as the tokenizer reads them
                BosId = Id("tokenizer.ggml.bos_token_id", defaults.Bos),
                EosId = Id("tokenizer.ggml.eos_token_id", defaults.Eos),
                EotId = rules.EotId,
                EomId = rules.EomId,
                UnknownId = Id("tokenizer.ggml.unknown_token_id", defaults.Unknown),
                SeparatorId = Id("tokenizer.ggml.seperator_token_id", defaults.Separator),
                PaddingId = Id("tokenizer.ggml.padding_token_id", defaults.Padding),
                MaskId = Id("tokenizer.ggml.mask_token_id", defaults.Mask),
                AddBos = meta.TryGetBool("tokenizer.ggml.add_bos_token"),
                AddEos = meta.TryGetBool("tokenizer.ggml.add_eos_token"),
                AddSpacePrefix = meta.TryGetBool("tokenizer.ggml.add_space_prefix"),
                RemoveExtraWhitespaces = meta.TryGetBool("tokenizer.ggml.remove_extra_whitespaces") ?? false,
                NormalizerLowercase = meta.TryGetBool("tokenizer.ggml.normalizer.lowercase"),
                NormalizerStripAccents = meta.TryGetBool("tokenizer.ggml.normalizer.strip_accents"),
                ChatTemplate = meta.TryGetString("tokenizer.chat_template"),
                EndOfGenerationIds = rules.EndOfGenerationIds,
                LeftStripIds = rules.LeftStripIds,
                RightStripIds = rules.RightStripIds,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new GgufFormatException($"{file.Path}: tokenizer metadata is invalid: {e.Message}", e);
        }
    }

    // llama.cpp renames empty tokens to "[EMPTY_<id>]" and refuses duplicates. The texts stay as the file stores them
    // (UTF-8, decoded on access): the tokenizers copy what they look up into their own tables.
    private static IReadOnlyList<string> ReadTokens(GgufFile file, out TokenIndex index)
    {
        var stored = file.Metadata.GetStrings("tokenizer.ggml.tokens");
        IReadOnlyList<string> tokens = stored;
        for (var id = 0; id < stored.Count; id++)
        {
            if (stored.Utf8(id).IsEmpty)
            {
                tokens = RenameEmpty(stored);
                break;
            }
        }
        index = new TokenIndex(tokens);
        if (index.Duplicate is var (first, second))
            throw new GgufFormatException(
                $"{file.Path}: duplicate token in vocabulary: '{tokens[second]}' has ids {first} and {second}.");
        return tokens;
    }

    private static string[] RenameEmpty(GgufStringArray stored)
    {
        var tokens = new string[stored.Count];
        for (var id = 0; id < tokens.Length; id++)
            tokens[id] = stored.Utf8(id).IsEmpty ? $"[EMPTY_{id}]" : stored[id];
        return tokens;
    }

    // Scores may be stored as float32 or int32.
    private static float[]? ReadScores(GgufFile file, int count)
    {
        const string key = "tokenizer.ggml.scores";
        if (!file.Metadata.TryGetValue(key, out var value))
            return null;
        var scores = value.Value switch
        {
            float[] floats => floats,
            int[] ints => Array.ConvertAll(ints, static i => (float)i),
            _ => throw new GgufFormatException($"{file.Path}: metadata '{key}' must be an array of float32 or int32."),
        };
        Check(file, key, scores.Length, count);
        return scores;
    }

    // Values outside llama_token_type become Undefined, as in llama.cpp.
    private static TokenType[] ReadTypes(GgufFile file, int count)
    {
        const string key = "tokenizer.ggml.token_type";
        var raw = file.Metadata.TryGetArray<int>(key);
        if (raw is null)
            return Enumerable.Repeat(TokenType.Normal, count).ToArray();
        Check(file, key, raw.Length, count);
        var types = new TokenType[count];
        for (var i = 0; i < count; i++)
            types[i] = raw[i] is >= 0 and <= (int)TokenType.Byte ? (TokenType)raw[i] : TokenType.Undefined;
        return types;
    }

    // A missing key or one outside the vocabulary (e.g. 0xFFFFFFFF for "none") keeps the model's default, as
    // llama.cpp does. The separator key keeps llama.cpp's historical spelling; the corrected one is accepted too.
    private static int ReadId(GgufFile file, string key, int fallback, int vocabularySize)
    {
        var value = file.Metadata.TryGetInt64(key);
        if (value is null && key.Contains("seperator", StringComparison.Ordinal))
            value = file.Metadata.TryGetInt64(key.Replace("seperator", "separator", StringComparison.Ordinal));
        if (value is >= 0 && value < vocabularySize)
            return (int)value.Value;
        return fallback < vocabularySize ? fallback : -1;
    }

    private static void Check(GgufFile file, string key, int length, int expected)
    {
        if (length < expected)
            throw new GgufFormatException($"{file.Path}: metadata '{key}' has {length} entries for {expected} tokens.");
    }
}
