using Mote.Tokenizers.PreTokenizers;

namespace Mote.Tokenizers.Tests.PreTokenizers;

public sealed class PreTokenizerCatalogTests
{
    public static TheoryData<string> Names =>
    [
        "default", "llama-bpe", "llama3", "dbrx", "smaug-bpe", "chatglm-bpe", "deepseek-llm", "deepseek-coder",
        "deepseek-v3", "falcon", "starcoder", "refact", "command-r", "smollm", "gpt-2", "olmo", "qwen2", "stablelm2",
        "qwen35", "poro-chat", "viking", "tekken", "chameleon", "gpt-4o", "superbpe", "bailingmoe", "seed-coder",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void Split_MixedText_WordsCoverTheTextExactly(string name)
    {
        var definition = PreTokenizerCatalog.Find(name)!;
        var preTokenizer = new PreTokenizer(definition.Regexes);
        var text = new PreTokenizerText();
        text.Reset("Hello, y'all! 你好世界 1234567 🦙.cpp\n\n  \tend  ");
        var words = new List<int>();

        preTokenizer.Split(text, words, []);

        Assert.All(words, length => Assert.True(length > 0));
        Assert.Equal(text.Count, words.Sum());
        Assert.True(words.Count >= 3);
    }

    [Fact]
    public void Find_UnknownName_ReturnsNullSoTheCallerFallsBack()
    {
        Assert.Null(PreTokenizerCatalog.Find("no-such-pre"));
    }

    [Fact]
    public void Find_KnownButUnported_ThrowsNamingIt()
    {
        var error = Assert.Throws<NotSupportedException>(() => PreTokenizerCatalog.Find("kimi-k2"));

        Assert.Contains("kimi-k2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_SuperBpe_CutsDigitsIntoGroupsFromTheRight()
    {
        var preTokenizer = new PreTokenizer(PreTokenizerCatalog.Find("superbpe")!.Regexes);
        var text = new PreTokenizerText();
        text.Reset("1234567");
        var words = new List<int>();

        preTokenizer.Split(text, words, []);

        Assert.Equal([1, 3, 3], words);
    }
}
