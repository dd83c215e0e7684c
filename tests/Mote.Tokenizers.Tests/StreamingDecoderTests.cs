using System.Text;
using Mote.Tokenizers;

namespace Mote.Tokenizers.Tests;

/// <summary>Streaming decode across byte-fallback tokens never splits a character and flushes invalid bytes once.</summary>
public sealed class StreamingDecoderTests
{
    private static readonly Tokenizer s_tokenizer = Tokenizer.Create(TestVocabularies.SentencePiece(normal: ["▁Hello", "▁world", "!"]));

    private static int Id(string text) => s_tokenizer.Vocabulary.Tokens.ToList().IndexOf(text);

    private static int[] Bytes(string text) => Encoding.UTF8.GetBytes(text).Select(b => TestVocabularies.ByteToken(b)).ToArray();

    [Theory]
    [InlineData("🐶")]   // four bytes
    [InlineData("你好")]  // three bytes each
    [InlineData("é")]    // two bytes
    public void Append_CharacterSplitAcrossByteTokens_EmitsItOnlyWhenComplete(string character)
    {
        var decoder = new StreamingDecoder(s_tokenizer);
        var outputs = Bytes(character).Select(decoder.Append).ToArray();

        Assert.Equal(character, string.Concat(outputs));
        // Every output is a whole number of characters: nothing but complete text ever comes out.
        Assert.All(outputs, o => Assert.DoesNotContain('\uFFFD', o));
        Assert.Equal("", outputs[0]);
        Assert.Equal(0, decoder.PendingByteCount);
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void Append_EmojiAfterWord_HoldsBackOnlyTheIncompleteBytes()
    {
        var decoder = new StreamingDecoder(s_tokenizer);
        var dog = Bytes("🐶");

        Assert.Equal(" Hello", decoder.Append(Id("▁Hello")));
        Assert.Equal("", decoder.Append(dog[0]));
        Assert.Equal("", decoder.Append(dog[1]));
        Assert.Equal(2, decoder.PendingByteCount);
        Assert.Equal("", decoder.Append(dog[2]));
        Assert.Equal("🐶", decoder.Append(dog[3]));
        Assert.Equal("!", decoder.Append(Id("!")));
    }

    [Fact]
    public void Append_ByteThatCanNeverStartACharacter_IsReplacedImmediately()
    {
        var decoder = new StreamingDecoder(s_tokenizer);

        Assert.Equal("\uFFFD", decoder.Append(TestVocabularies.ByteToken(0xFF)));
        Assert.Equal(0, decoder.PendingByteCount);
    }

    [Fact]
    public void Append_TruncatedSequenceFollowedByText_ReplacesItOnceWhenProvenInvalid()
    {
        var decoder = new StreamingDecoder(s_tokenizer);
        var ni = Bytes("你");

        Assert.Equal("", decoder.Append(ni[0]));
        Assert.Equal("", decoder.Append(ni[1]));
        Assert.Equal("\uFFFD world", decoder.Append(Id("▁world")));
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void Flush_PendingBytes_EmitsReplacementAndResets()
    {
        var decoder = new StreamingDecoder(s_tokenizer);
        decoder.Append(Bytes("🐶")[0]);

        Assert.Equal("\uFFFD", decoder.Flush());
        Assert.Equal(0, decoder.PendingByteCount);
        Assert.Equal(" world", decoder.Append(Id("▁world")));
    }

    [Fact]
    public void Append_ControlToken_RendersOnlyWhenSpecialRequested()
    {
        Assert.Equal("", new StreamingDecoder(s_tokenizer).Append(2));
        Assert.Equal("</s>", new StreamingDecoder(s_tokenizer, special: true).Append(2));
    }

    [Fact]
    public void Append_ManyTokens_MatchesWholeSequenceDecoding()
    {
        var ids = new List<int> { Id("▁Hello") };
        ids.AddRange(Bytes(" 🐶🦙 x"));
        ids.Add(TestVocabularies.ByteToken(0xC3));  // dangling lead byte at the end
        var decoder = new StreamingDecoder(s_tokenizer);

        var streamed = string.Concat(ids.Select(decoder.Append)) + decoder.Flush();

        var bytes = ids.SelectMany(id => s_tokenizer.TokenToBytes(id)).ToArray();
        Assert.Equal(Encoding.UTF8.GetString(bytes), streamed);
    }
}
