using Mote.Tokenizers;

namespace Mote.Tokenizers.Tests;

/// <summary>
/// Special-token splitting (llama.cpp's <c>tokenizer_st_partition</c>) observed through SentencePiece encoding.
/// The expectations follow llama.cpp's rules as documented on <see cref="SpecialTokenSplitter"/>.
/// </summary>
public sealed class SpecialTokenSplitterTests
{
    private static readonly Vocabulary s_vocabulary = TestVocabularies.SentencePiece(
        normal: ["▁", "a", "b", "▁a", "▁b"],
        special: [("<|im", TokenType.Control), ("<|im_start|>", TokenType.Control), ("<tool>", TokenType.UserDefined)]);

    private static int Id(Vocabulary vocabulary, string text) => vocabulary.Tokens.ToList().IndexOf(text);

    [Fact]
    public void Encode_ParseSpecial_SplitsControlTokenAndPrefixesSpaceAfterIt()
    {
        var tokenizer = Tokenizer.Create(s_vocabulary);

        var ids = tokenizer.Encode("a<|im_start|>b", addSpecial: false, parseSpecial: true);

        Assert.Equal([Id(s_vocabulary, "▁a"), Id(s_vocabulary, "<|im_start|>"), Id(s_vocabulary, "▁b")], ids);
    }

    [Fact]
    public void Encode_NoParseSpecial_TreatsControlTokenTextAsPlainText()
    {
        var tokenizer = Tokenizer.Create(s_vocabulary);

        var ids = tokenizer.Encode("a<|im_start|>b", addSpecial: false, parseSpecial: false);

        Assert.DoesNotContain(Id(s_vocabulary, "<|im_start|>"), ids);
        Assert.Equal(Id(s_vocabulary, "▁a"), ids[0]);
        Assert.Equal(TestVocabularies.ByteToken('<'), ids[1]);
        Assert.Equal(Id(s_vocabulary, "b"), ids[^1]);
    }

    [Fact]
    public void Encode_UserDefinedToken_IsSplitEvenWithoutParseSpecial()
    {
        var tokenizer = Tokenizer.Create(s_vocabulary);

        var ids = tokenizer.Encode("a<tool>b", addSpecial: false, parseSpecial: false);

        Assert.Equal([Id(s_vocabulary, "▁a"), Id(s_vocabulary, "<tool>"), Id(s_vocabulary, "▁b")], ids);
    }

    [Fact]
    public void Encode_LongerSpecialToken_WinsOverItsPrefix()
    {
        var tokenizer = Tokenizer.Create(s_vocabulary);

        var ids = tokenizer.Encode("<|im_start|><|im", addSpecial: false, parseSpecial: true);

        Assert.Equal([Id(s_vocabulary, "<|im_start|>"), Id(s_vocabulary, "<|im")], ids);
    }

    [Fact]
    public void Encode_LeftStripToken_SwallowsSpacesBeforeIt()
    {
        var plain = Tokenizer.Create(s_vocabulary);
        var stripping = Tokenizer.Create(s_vocabulary with { LeftStripIds = new HashSet<int> { Id(s_vocabulary, "<tool>") } });

        var space = Id(s_vocabulary, "▁");
        var tool = Id(s_vocabulary, "<tool>");
        Assert.Equal([Id(s_vocabulary, "▁a"), space, space, tool, Id(s_vocabulary, "▁b")], plain.Encode("a  <tool>b", addSpecial: false));
        Assert.Equal([Id(s_vocabulary, "▁a"), tool, Id(s_vocabulary, "▁b")], stripping.Encode("a \t<tool>b", addSpecial: false));
    }

    [Fact]
    public void Encode_RightStripToken_SwallowsWhitespaceAfterIt()
    {
        var tool = Id(s_vocabulary, "<tool>");
        var tokenizer = Tokenizer.Create(s_vocabulary with { RightStripIds = new HashSet<int> { tool } });

        var ids = tokenizer.Encode("a<tool>\n  b<tool>", addSpecial: false);

        Assert.Equal([Id(s_vocabulary, "▁a"), tool, Id(s_vocabulary, "▁b"), tool], ids);
    }

    [Fact]
    public void Encode_OnlySpecialTokens_AddsBosAndNoText()
    {
        var tokenizer = Tokenizer.Create(s_vocabulary);

        var ids = tokenizer.Encode("<tool><tool>", addSpecial: true);

        Assert.Equal([1, Id(s_vocabulary, "<tool>"), Id(s_vocabulary, "<tool>")], ids);
    }

    [Fact]
    public void Split_RepeatedToken_KeepsTextBetweenOccurrences()
    {
        var splitter = new SpecialTokenSplitter(s_vocabulary);
        var fragments = new List<TextFragment>();
        var tool = Id(s_vocabulary, "<tool>");

        splitter.Split("x<tool>yy<tool>", parseSpecial: false, fragments);

        Assert.Equal([TextFragment.Text(0, 1), TextFragment.Token(tool), TextFragment.Text(7, 2), TextFragment.Token(tool)], fragments);
    }
}
