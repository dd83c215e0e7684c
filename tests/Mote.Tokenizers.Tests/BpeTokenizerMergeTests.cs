namespace Mote.Tokenizers.Tests;

/// <summary>The BPE merge loop and construction rules on tiny hand-built vocabularies (no fixtures needed).</summary>
public sealed class BpeTokenizerMergeTests
{
    // Byte-level alphabet: "Ġ" is a space. Tokens: single letters, then merge results.
    private static Vocabulary Tiny(string pre = "gpt-2", string[]? merges = null, string[]? extraTokens = null) => new()
    {
        Model = "gpt2",
        Pre = pre,
        Tokens = ["a", "b", "c", "Ġ", "ab", "bc", "abc", "Ġa", "<|eot|>", .. extraTokens ?? []],
        Types =
        [
            TokenType.Normal, TokenType.Normal, TokenType.Normal, TokenType.Normal, TokenType.Normal,
            TokenType.Normal, TokenType.Normal, TokenType.Normal, TokenType.Control,
            .. (extraTokens ?? []).Select(_ => TokenType.Normal),
        ],
        Merges = merges ?? ["b c", "a b", "a bc", "Ġ a"],
        BosId = 8,
        EosId = 8,
    };

    [Fact]
    public void Encode_LowerRankMergesFirst()
    {
        // "b c" (rank 0) beats "a b" (rank 1), then "a bc" (rank 2) finishes the word.
        var tokenizer = new BpeTokenizer(Tiny());

        Assert.Equal([6], tokenizer.Encode("abc", addSpecial: false));
    }

    [Fact]
    public void Encode_WithoutTheFinishingMerge_StopsAtTheRankedPair()
    {
        var tokenizer = new BpeTokenizer(Tiny(merges: ["b c", "a b"]));

        Assert.Equal([0, 5], tokenizer.Encode("abc", addSpecial: false));
    }

    [Fact]
    public void Encode_EqualRanks_MergeLeftmostFirst()
    {
        // "aaa" with only "a a": the left pair merges, the third "a" stays.
        var tokenizer = new BpeTokenizer(Tiny(merges: ["a a"], extraTokens: ["aa"]));

        Assert.Equal([9, 0], tokenizer.Encode("aaa", addSpecial: false));
    }

    [Fact]
    public void Encode_IgnoreMergesPreTokenizer_TakesWholeWordTokens()
    {
        // "abc" is a token but no merges lead to it: GPT-2 rules leave letters, llama3 rules take the word.
        string[] merges = [];
        var gpt2 = new BpeTokenizer(Tiny(merges: merges));
        var llama3 = new BpeTokenizer(Tiny(pre: "llama-bpe", merges: merges));

        Assert.Equal([0, 1, 2], gpt2.Encode("abc", addSpecial: false));
        Assert.Equal([6], llama3.Encode("abc", addSpecial: false));
    }

    [Fact]
    public void Encode_LeadingSpace_StaysWithTheWord()
    {
        var tokenizer = new BpeTokenizer(Tiny());

        Assert.Equal([6, 7], tokenizer.Encode("abc a", addSpecial: false));
    }

    [Fact]
    public void Encode_BytesWithoutTokens_AreDropped()
    {
        // llama.cpp emits nothing for bytes the vocabulary cannot spell.
        var tokenizer = new BpeTokenizer(Tiny());

        Assert.Equal([0], tokenizer.Encode("aé", addSpecial: false));
    }

    [Fact]
    public void Encode_AddSpecialWithFileFlags_AddsBosAndEos()
    {
        var tokenizer = new BpeTokenizer(Tiny() with { AddBos = true, AddEos = true });

        Assert.Equal([8, 0, 8], tokenizer.Encode("a"));
        Assert.True(tokenizer.AddsBos);
        Assert.True(tokenizer.AddsEos);
    }

    [Fact]
    public void Encode_ControlTokenText_ParsedOnlyWhenAsked()
    {
        var tokenizer = new BpeTokenizer(Tiny(extraTokens: ["<", "|", "e", "o", "t", ">"]));

        Assert.Equal([0, 8], tokenizer.Encode("a<|eot|>", addSpecial: false, parseSpecial: true));
        Assert.DoesNotContain(8, tokenizer.Encode("a<|eot|>", addSpecial: false, parseSpecial: false));
    }

    [Fact]
    public void Create_UnknownPreTokenizer_FallsBackToDefaultWithWarning()
    {
        var tokenizer = (BpeTokenizer)Tokenizer.Create(Tiny(pre: "something-new"));

        Assert.Contains("something-new", tokenizer.PreTokenizerWarning, StringComparison.Ordinal);
        Assert.Equal([6], tokenizer.Encode("abc", addSpecial: false));
    }

    [Fact]
    public void Create_KnownButUnsupportedPreTokenizer_Throws()
    {
        var error = Assert.Throws<NotSupportedException>(() => Tokenizer.Create(Tiny(pre: "kimi-k2")));

        Assert.Contains("kimi-k2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_KnownPreTokenizer_HasNoWarning()
    {
        var tokenizer = new BpeTokenizer(Tiny(pre: "qwen2"));

        Assert.Null(tokenizer.PreTokenizerWarning);
    }
}
