using Mote.Engine.Loading;
using Mote.Gguf;
using Mote.Testing;
using Mote.Tokenizers;

namespace Mote.Tokenizers.Tests;

/// <summary>The vocabulary loader applies llama.cpp's defaults and special-token rules to real vocabularies.</summary>
public sealed class VocabularyLoaderTests
{
    private static Vocabulary Load(string name)
    {
        using var file = GgufFile.Open(Fixtures.Path("tokenizer", $"ggml-vocab-{name}.gguf"));
        return VocabularyLoader.Load(file);
    }

    [FixtureFact]
    public void Load_Phi3_MarksSpecialTokensRightStripAndEndAsEndOfGeneration()
    {
        var vocabulary = Load("phi-3");
        var tokens = vocabulary.Tokens.ToList();

        // general.name "Phi3": llama.cpp rstrips every special token except <unk>, <s> and <|endoftext|>.
        Assert.Contains(tokens.IndexOf("<|end|>"), vocabulary.RightStripIds!);
        Assert.Contains(tokens.IndexOf("<|user|>"), vocabulary.RightStripIds!);
        Assert.Contains(tokens.IndexOf("</s>"), vocabulary.RightStripIds!);
        Assert.DoesNotContain(tokens.IndexOf("<s>"), vocabulary.RightStripIds!);
        Assert.DoesNotContain(tokens.IndexOf("<|endoftext|>"), vocabulary.RightStripIds!);

        var tokenizer = Tokenizer.Create(vocabulary);
        Assert.True(tokenizer.IsEndOfGeneration(tokens.IndexOf("<|end|>")));
        Assert.True(tokenizer.IsEndOfGeneration(vocabulary.EosId));
        Assert.False(tokenizer.IsEndOfGeneration(tokens.IndexOf("<|user|>")));
        // "</s>" is USER_DEFINED in the file; as an end-of-generation text llama.cpp makes it CONTROL.
        Assert.Equal(TokenType.Control, vocabulary.TypeOf(tokens.IndexOf("</s>")));
    }

    [FixtureFact]
    public void Encode_Phi3ChatWithParseSpecial_SwallowsNewlinesAfterSpecialTokens()
    {
        var vocabulary = Load("phi-3");
        var tokens = vocabulary.Tokens.ToList();
        var tokenizer = Tokenizer.Create(vocabulary);

        var ids = tokenizer.Encode("<|user|>\nHi<|end|>\n<|assistant|>\n", addSpecial: true, parseSpecial: true);

        int[] expected = [1, tokens.IndexOf("<|user|>"), .. tokenizer.Encode("Hi", addSpecial: false), tokens.IndexOf("<|end|>"), tokens.IndexOf("<|assistant|>")];
        Assert.Equal(expected, ids);
    }

    [FixtureFact]
    public void Load_BertWithoutBosKey_UsesLlamaCppDefaultClsAndSep()
    {
        var vocabulary = Load("bert-bge");

        Assert.Equal("[CLS]", vocabulary.Tokens[vocabulary.BosId]);
        Assert.Equal("[SEP]", vocabulary.Tokens[vocabulary.SeparatorId]);
        Assert.Equal("[UNK]", vocabulary.Tokens[vocabulary.UnknownId]);
    }

    [FixtureFact]
    public void Encode_BertWithSpecial_WrapsSuiteIdsInClsAndSep()
    {
        var suite = LlamaCppVocabSuite.Get("bert-bge");
        var index = Array.IndexOf(suite.Inputs, "Hello world");
        var vocabulary = suite.Tokenizer.Vocabulary;

        var ids = suite.Tokenizer.Encode("Hello world", addSpecial: true);

        Assert.Equal([vocabulary.BosId, .. suite.Expected[index], vocabulary.SeparatorId], ids);
    }

    [FixtureFact]
    public void Decode_BertIds_ReadsBackLowercasedTextWithCleanedSpaces()
    {
        var suite = LlamaCppVocabSuite.Get("bert-bge");
        var ids = suite.Tokenizer.Encode("Hello, world!", addSpecial: true);

        // Word-initial pieces carry ▁ (a space); the clean-up pass removes it before "," and "!".
        Assert.Equal(" hello, world!", suite.Tokenizer.Decode(ids));
    }

    [FixtureFact]
    public void Load_Stories260K_NoneSentinelKeepsNoSeparatorOrPadding()
    {
        using var file = GgufFile.Open(Fixtures.Path("stories260K", "stories260K-f32.gguf"));
        var vocabulary = VocabularyLoader.Load(file);

        Assert.Equal(-1, vocabulary.SeparatorId);
        Assert.Equal(-1, vocabulary.PaddingId);
        Assert.Equal((1, 2, 0), (vocabulary.BosId, vocabulary.EosId, vocabulary.UnknownId));
    }

    [Fact]
    public void Load_DuplicateTokens_ThrowsNamingTheFirstRepeatedTextAndBothIds()
    {
        var error = Assert.Throws<GgufFormatException>(() => LoadTokens(["a", "b", "c", "b", "a"]));

        Assert.Contains("duplicate token in vocabulary: 'b' has ids 1 and 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptyTokens_RenamedByIdAsLlamaCppDoes()
    {
        var vocabulary = LoadTokens(["a", "", "b", ""]);

        Assert.Equal(["a", "[EMPTY_1]", "b", "[EMPTY_3]"], vocabulary.Tokens);
    }

    [Fact]
    public void Load_Tokens_ReadAsTheFileStoresThemAndIndexedByText()
    {
        var vocabulary = LoadTokens(["<|im_end|>", "a\uDCE4b", "é"]);

        Assert.Equal(["<|im_end|>", "a\uDCE4b", "é"], vocabulary.Tokens);
        Assert.Contains(0, vocabulary.EndOfGenerationIds!); // found by its text through the loader's index
        Assert.Equal(TokenType.Control, vocabulary.TypeOf(0));
    }

    private static Vocabulary LoadTokens(string[] tokens)
    {
        var metadata = new GgufMetadata();
        metadata.Set("tokenizer.ggml.model", GgufValue.From("gpt2"));
        metadata.Set("tokenizer.ggml.tokens", GgufValue.From(tokens));
        var path = Path.Combine(RepoPaths.NewTempDirectory(), "vocab.gguf");
        new GgufWriter(metadata).Write(path);
        using var file = GgufFile.Open(path);
        return VocabularyLoader.Load(file);
    }
}
