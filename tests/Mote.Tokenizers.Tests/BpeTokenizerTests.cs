using System.Text;
using Mote.Testing;

namespace Mote.Tokenizers.Tests;

/// <summary>
/// Byte-level BPE on the real vocabularies of llama.cpp's suites (gpt-2, llama-bpe, qwen2): decoding, special
/// tokens, BOS/EOS policy and piece rendering. Encoding itself is checked by <see cref="LlamaCppVocabSuiteTests"/>.
/// </summary>
public sealed class BpeTokenizerTests
{
    private static readonly string[] s_vocabularies = ["gpt-2", "llama-bpe", "qwen2"];

    public static TheoryData<string, int> SuiteCases()
    {
        var data = new TheoryData<string, int>();
        if (!Fixtures.Available)
            return data;
        foreach (var vocab in s_vocabularies)
            for (var i = 0; i < LlamaCppVocabSuite.CountCases(vocab); i++)
                data.Add(vocab, i);
        return data;
    }

    [FixtureTheory]
    [MemberData(nameof(SuiteCases))]
    public void Decode_ReferenceIdsOfSuiteInput_GivesTheInputBack(string vocab, int index)
    {
        var suite = LlamaCppVocabSuite.Get(vocab);

        var text = suite.Tokenizer.Decode(suite.Expected[index]);

        Assert.Equal(suite.Inputs[index], text);
    }

    [FixtureFact]
    public void Encode_SuiteInputsFromManyThreads_MatchReferenceIds()
    {
        var suite = LlamaCppVocabSuite.Get("qwen2");
        var failures = 0;

        Parallel.For(0, suite.Inputs.Length * 8, i =>
        {
            var index = i % suite.Inputs.Length;
            var ids = suite.Tokenizer.Encode(suite.Inputs[index], addSpecial: false);
            if (!ids.AsSpan().SequenceEqual(suite.Expected[index]))
                Interlocked.Increment(ref failures);
        });

        Assert.Equal(0, failures);
    }

    [FixtureFact]
    public void Encode_Qwen2ChatMarkupWithParseSpecial_EmitsControlTokens()
    {
        var tokenizer = LlamaCppVocabSuite.Get("qwen2").Tokenizer;
        var imStart = Id(tokenizer, "<|im_start|>");
        var imEnd = Id(tokenizer, "<|im_end|>");

        var ids = tokenizer.Encode("<|im_start|>user\nHello<|im_end|>\n", addSpecial: false, parseSpecial: true);

        int[] expected =
        [
            imStart, .. tokenizer.Encode("user\nHello", addSpecial: false), imEnd, .. tokenizer.Encode("\n", addSpecial: false),
        ];
        Assert.Equal(expected, ids);
    }

    [FixtureFact]
    public void Encode_Qwen2ChatMarkupWithoutParseSpecial_TreatsItAsText()
    {
        var tokenizer = LlamaCppVocabSuite.Get("qwen2").Tokenizer;
        const string text = "<|im_start|>user\nHello<|im_end|>";

        var ids = tokenizer.Encode(text, addSpecial: false, parseSpecial: false);

        Assert.DoesNotContain(Id(tokenizer, "<|im_start|>"), ids);
        Assert.DoesNotContain(Id(tokenizer, "<|im_end|>"), ids);
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [FixtureFact]
    public void Encode_Qwen2UserDefinedToken_IsSplitOutEvenWithoutParseSpecial()
    {
        var tokenizer = LlamaCppVocabSuite.Get("qwen2").Tokenizer;
        var think = Id(tokenizer, "<think>");
        Assert.Equal(TokenType.UserDefined, tokenizer.Vocabulary.TypeOf(think));

        var ids = tokenizer.Encode("<think>ok", addSpecial: false, parseSpecial: false);

        Assert.Equal([think, .. tokenizer.Encode("ok", addSpecial: false)], ids);
    }

    [FixtureFact]
    public void Encode_LlamaBpeWithSpecial_PrependsBosOnly()
    {
        var tokenizer = LlamaCppVocabSuite.Get("llama-bpe").Tokenizer;

        var ids = tokenizer.Encode("Hello world", addSpecial: true);

        Assert.Equal([128000, .. tokenizer.Encode("Hello world", addSpecial: false)], ids);
    }

    [FixtureTheory]
    [InlineData("qwen2")] // add_bos_token = false in the file
    [InlineData("gpt-2")] // no add_bos_token key: llama.cpp's BPE default is no BOS
    public void Encode_VocabularyWithoutAddBos_AddsNothing(string vocab)
    {
        var tokenizer = LlamaCppVocabSuite.Get(vocab).Tokenizer;

        Assert.Equal(tokenizer.Encode("Hello", addSpecial: false), tokenizer.Encode("Hello", addSpecial: true));
        Assert.Empty(tokenizer.Encode("", addSpecial: true));
    }

    [FixtureFact]
    public void TokenToBytes_ControlToken_IsEmptyUnlessSpecial()
    {
        var tokenizer = LlamaCppVocabSuite.Get("gpt-2").Tokenizer;
        const int endOfText = 50256;

        Assert.Empty(tokenizer.TokenToBytes(endOfText));
        Assert.Equal("<|endoftext|>"u8.ToArray(), tokenizer.TokenToBytes(endOfText, special: true));
    }

    [FixtureFact]
    public void TokenToBytes_ByteLevelToken_DecodesTheAlphabet()
    {
        var tokenizer = LlamaCppVocabSuite.Get("gpt-2").Tokenizer;

        Assert.Equal(" world"u8.ToArray(), tokenizer.TokenToBytes(Id(tokenizer, "Ġworld")));
        Assert.Equal("\n"u8.ToArray(), tokenizer.TokenToBytes(Id(tokenizer, "Ċ")));
    }

    [FixtureFact]
    public void TokenToBytes_PartialUtf8Token_ReturnsTheRawBytes()
    {
        var tokenizer = LlamaCppVocabSuite.Get("gpt-2").Tokenizer;
        // "🦙" is F0 9F A6 99; GPT-2 has no token for it, so the suite's ids hold its bytes in pieces.
        var ids = tokenizer.Encode("🦙", addSpecial: false);

        var bytes = ids.SelectMany(id => tokenizer.TokenToBytes(id)).ToArray();

        Assert.True(ids.Length > 1);
        Assert.Equal(Encoding.UTF8.GetBytes("🦙"), bytes);
    }

    private static int Id(Tokenizer tokenizer, string text)
    {
        for (var id = 0; id < tokenizer.Vocabulary.Count; id++)
            if (tokenizer.Vocabulary.Tokens[id] == text)
                return id;
        throw new KeyNotFoundException(text);
    }
}
