using System.Text;
using Mote.Testing;
using Mote.Tokenizers;

namespace Mote.Tokenizers.Tests;

/// <summary>stories260K's SentencePiece vocabulary against llama.cpp's recorded tokens and generated text.</summary>
public sealed class Stories260KGoldenTests
{
    public static TheoryData<string> PromptIds()
    {
        var data = new TheoryData<string>();
        if (Fixtures.Available)
            foreach (var id in Stories260KGolden.PromptIds())
                data.Add(id);
        return data;
    }

    [FixtureTheory]
    [MemberData(nameof(PromptIds))]
    public void Encode_WithSpecial_MatchesLlamaCppPromptTokens(string promptId)
    {
        var golden = Stories260KGolden.Instance;
        var prompt = golden.Prompts[promptId];

        Assert.Equal(prompt.TokensWithSpecial, golden.Tokenizer.Encode(prompt.Text, addSpecial: true));
    }

    [FixtureTheory]
    [MemberData(nameof(PromptIds))]
    public void Encode_WithoutSpecial_MatchesLlamaCppPromptTokens(string promptId)
    {
        var golden = Stories260KGolden.Instance;
        var prompt = golden.Prompts[promptId];

        Assert.Equal(prompt.TokensWithoutSpecial, golden.Tokenizer.Encode(prompt.Text, addSpecial: false));
    }

    [FixtureTheory]
    [MemberData(nameof(PromptIds))]
    public void GetPiece_PromptTokensWithSpecialPieces_MatchLlamaCppPieces(string promptId)
    {
        var golden = Stories260KGolden.Instance;
        var prompt = golden.Prompts[promptId];

        var pieces = prompt.TokensWithSpecial.Select(id => Encoding.UTF8.GetString(golden.Tokenizer.GetPiece(id, special: true)));

        Assert.Equal(prompt.PromptPieces, pieces);
    }

    [FixtureTheory]
    [MemberData(nameof(PromptIds))]
    public void TokenToBytes_GreedyIds_ConcatenateToLlamaCppBytes(string promptId)
    {
        var golden = Stories260KGolden.Instance;
        var prompt = golden.Prompts[promptId];

        var bytes = prompt.GreedyIds.SelectMany(id => golden.Tokenizer.TokenToBytes(id)).ToArray();

        Assert.Equal(Convert.ToHexString(prompt.GreedyBytes), Convert.ToHexString(bytes));
    }

    [FixtureTheory]
    [MemberData(nameof(PromptIds))]
    public void StreamingDecoder_GreedyIds_GivesLlamaCppText(string promptId)
    {
        var golden = Stories260KGolden.Instance;
        var prompt = golden.Prompts[promptId];
        var decoder = new StreamingDecoder(golden.Tokenizer);

        var text = new StringBuilder();
        foreach (var id in prompt.GreedyIds)
            text.Append(decoder.Append(id));
        text.Append(decoder.Flush());

        Assert.Equal(Encoding.UTF8.GetString(prompt.GreedyBytes), text.ToString());
        if (!prompt.GreedyText.Contains('\uFFFD', StringComparison.Ordinal))
            Assert.Equal(prompt.GreedyText, text.ToString());
    }

    [FixtureTheory]
    [MemberData(nameof(PromptIds))]
    public void GetPiece_GreedyStepsWithSpecial_MatchLlamaCppPieces(string promptId)
    {
        var golden = Stories260KGolden.Instance;
        var prompt = golden.Prompts[promptId];

        var pieces = prompt.GreedyIds.Select(id => Encoding.UTF8.GetString(golden.Tokenizer.GetPiece(id, special: true)));

        Assert.Equal(prompt.GreedyPieces, pieces);
    }

    [FixtureFact]
    public void Encode_BrownFictionCorpus_MatchesLlamaTokenizeIds()
    {
        var golden = Stories260KGolden.Instance;
        var text = File.ReadAllText(Fixtures.Path("perplexity", "brown-fiction.txt"));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("perplexity", "brown-fiction.stories260K-tokens.json")));
        var expected = json.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var actual = golden.Tokenizer.Encode(text, addSpecial: true);

        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected, actual);
    }

    [FixtureFact]
    public void Encode_ManyThreadsAtOnce_GiveTheSameIdsAsLlamaCpp()
    {
        var golden = Stories260KGolden.Instance;
        var prompts = golden.Prompts.Values.ToArray();

        var results = new int[64][];
        Parallel.For(0, results.Length, i => results[i] = golden.Tokenizer.Encode(prompts[i % prompts.Length].Text));

        for (var i = 0; i < results.Length; i++)
            Assert.Equal(prompts[i % prompts.Length].TokensWithSpecial, results[i]);
    }

    [FixtureFact]
    public void Decode_BosAndPrompt_KeepsLeadingSpaceLikeLlamaDetokenize()
    {
        var golden = Stories260KGolden.Instance;
        var prompt = golden.Prompts["once_upon_a_time"];

        // llama_detokenize(remove_special=false): BOS renders empty and uses up the leading-space strip.
        Assert.Equal(" Once upon a time", golden.Tokenizer.Decode(prompt.TokensWithSpecial));
        // Without BOS the first token's space is the prefix llama.cpp added, and it is removed.
        Assert.Equal("Once upon a time", golden.Tokenizer.Decode(prompt.TokensWithoutSpecial));
        Assert.Equal("<s> Once upon a time", golden.Tokenizer.Decode(prompt.TokensWithSpecial, special: true));
    }
}
