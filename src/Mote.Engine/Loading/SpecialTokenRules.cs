using Mote.Tokenizers;

namespace Mote.Engine.Loading;

/// <summary>
/// llama.cpp's text-based special-token rules from <c>llama_vocab::impl::load</c>, for files whose converter did
/// not record everything: it finds EOT/EOM/FIM tokens by their text and makes them CONTROL, collects every
/// end-of-generation token, and sets the lstrip/rstrip attributes some models need (Phi-3, Jina, ModernBERT).
/// Rewrites <see cref="Input.Types"/> in place.
/// </summary>
internal static class SpecialTokenRules
{
    private static readonly string[] s_eotTexts =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>",
        "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ];

    private static readonly string[] s_eomTexts = ["<|eom_id|>"];

    private static readonly string[] s_fimPreTexts =
        ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>"];

    private static readonly string[] s_fimSufTexts =
        ["<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>"];

    private static readonly string[] s_fimMidTexts =
        ["<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>"];

    private static readonly string[] s_fimPadTexts = ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"];

    private static readonly string[] s_fimRepTexts = ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"];

    private static readonly string[] s_fimSepTexts = ["<|file_sep|>"];

    private static readonly HashSet<string> s_eogTexts =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
        "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[",
    ];

    // gpt-oss: always rendered, so they must not be CONTROL.
    private static readonly string[] s_alwaysRendered = ["<|channel|>", "<|message|>", "<|start|>", "<|constrain|>"];

    public sealed class Input
    {
        /// <summary>The vocabulary's token ids by text.</summary>
        public required TokenIndex Index { get; init; }

        public required TokenType[] Types { get; init; }
        public required int EosId { get; init; }
        public required int EotId { get; init; }
        public required int EomId { get; init; }
        public required int FimPreId { get; init; }
        public required int FimSufId { get; init; }
        public required int FimMidId { get; init; }
        public required int FimPadId { get; init; }
        public required int FimRepId { get; init; }
        public required int FimSepId { get; init; }
        public required string ModelName { get; init; }
        public required string Pre { get; init; }
        public required string Architecture { get; init; }
    }

    public sealed record Result(int EotId, int EomId, IReadOnlySet<int> EndOfGenerationIds,
        IReadOnlySet<int>? LeftStripIds, IReadOnlySet<int>? RightStripIds);

    public static Result Apply(Input input)
    {
        var types = input.Types;
        var byText = input.Index;

        // Tokens found by text become CONTROL. llama.cpp walks a hash map, so among several candidates the one it
        // picks is unspecified; Mote takes the lowest id.
        var eot = input.EotId >= 0 ? input.EotId : FindControl(s_eotTexts, byText, types);
        var eom = input.EomId >= 0 ? input.EomId : FindControl(s_eomTexts, byText, types);
        if (input.FimPreId < 0)
            FindControl(s_fimPreTexts, byText, types);
        if (input.FimSufId < 0)
            FindControl(s_fimSufTexts, byText, types);
        if (input.FimMidId < 0)
            FindControl(s_fimMidTexts, byText, types);
        var fimPad = input.FimPadId >= 0 ? input.FimPadId : FindControl(s_fimPadTexts, byText, types);
        var fimRep = input.FimRepId >= 0 ? input.FimRepId : FindControl(s_fimRepTexts, byText, types);
        var fimSep = input.FimSepId >= 0 ? input.FimSepId : FindControl(s_fimSepTexts, byText, types);

        var eog = new HashSet<int>();
        foreach (var id in (ReadOnlySpan<int>)[fimPad, fimRep, fimSep])
            if (id >= 0)
                eog.Add(id);
        foreach (var text in s_eogTexts)
        {
            if (byText.Find(text) is not (>= 0 and var id))
                continue;
            eog.Add(id);
            MakeControl(types, id);
        }

        foreach (var text in s_alwaysRendered)
            if (byText.Find(text) is >= 0 and var id)
                types[id] = TokenType.UserDefined;

        foreach (var id in (ReadOnlySpan<int>)[input.EosId, eot, eom])
            if (id >= 0)
                eog.Add(id);

        // o200k_harmony / solar-open: "<|end|>" separates turns there and must not stop generation.
        bool InEog(string text) => byText.Find(text) is >= 0 and var id && eog.Contains(id);
        if (byText.Find("<|end|>") is >= 0 and var endId && eog.Contains(endId)
            && ((InEog("<|return|>") && InEog("<|call|>")) || ((InEog("<|call|>") || InEog("<|calls|>")) && InEog("<|flush|>"))))
        {
            eog.Remove(endId);
            types[endId] = TokenType.UserDefined;
        }

        // Gemma 4 / PaddleOCR: "</s>" is ordinary text there.
        if (InEog("<|tool_response>") && byText.Find("</s>") is >= 0 and var closeId && eog.Contains(closeId))
        {
            eog.Remove(closeId);
            types[closeId] = TokenType.Normal;
        }

        var (lstrip, rstrip) = StripAttributes(input, byText, types);
        return new Result(eot, eom, eog, lstrip, rstrip);
    }

    // llama.cpp sets these per model, by tokenizer/architecture/model name, after everything above.
    private static (HashSet<int>?, HashSet<int>?) StripAttributes(Input input, TokenIndex byText, TokenType[] types)
    {
        static bool ContainsAny(string s, params ReadOnlySpan<string> parts)
        {
            foreach (var part in parts)
                if (s.Contains(part, StringComparison.Ordinal))
                    return true;
            return false;
        }

        // std::tolower in the C locale: ASCII only.
        var name = string.Create(input.ModelName.Length, input.ModelName, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
                span[i] = s[i] is >= 'A' and <= 'Z' ? (char)(s[i] + 32) : s[i];
        });

        if (ContainsAny(input.Pre, "jina-v2-de", "jina-v2-es", "jina-v2-code")
            || ContainsAny(input.Architecture, "nomic-bert-moe", "jina-bert-v3"))
            return (Ids(byText, "<mask>"), null);

        if (ContainsAny(name, "phi-3", "phi3"))
        {
            var rstrip = new HashSet<int>();
            for (var id = 0; id < types.Length; id++)
                if (types[id] is TokenType.Control or TokenType.UserDefined or TokenType.Unknown)
                    rstrip.Add(id);
            if (byText.Find("</s>") is >= 0 and var close)
                rstrip.Add(close);
            foreach (var text in (ReadOnlySpan<string>)["<unk>", "<s>", "<|endoftext|>"])
                if (byText.Find(text) is >= 0 and var id)
                    rstrip.Remove(id);
            return (null, rstrip);
        }

        if (ContainsAny(name, "modern-bert"))
            return (Ids(byText, "[MASK]"), null);

        return (null, null);
    }

    private static HashSet<int>? Ids(TokenIndex byText, string text) =>
        byText.Find(text) is >= 0 and var id ? [id] : null;

    // The lowest id with one of the texts (the loader refuses vocabularies that give a text two ids).
    private static int FindControl(string[] texts, TokenIndex byText, TokenType[] types)
    {
        var found = -1;
        foreach (var text in texts)
            if (byText.Find(text) is >= 0 and var id && (found < 0 || id < found))
                found = id;
        if (found >= 0)
            MakeControl(types, found);
        return found;
    }

    // llama.cpp ORs in the CONTROL attribute; for tokenizing and rendering that is the same as being CONTROL.
    private static void MakeControl(TokenType[] types, int id)
    {
        if (types[id] != TokenType.Control)
            types[id] = TokenType.Control;
    }
}
