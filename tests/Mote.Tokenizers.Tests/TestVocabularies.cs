using Mote.Tokenizers;

namespace Mote.Tokenizers.Tests;

/// <summary>Small hand-built vocabularies for unit tests that need no fixture files.</summary>
internal static class TestVocabularies
{
    /// <summary>
    /// A SentencePiece vocabulary: &lt;unk&gt; 0, &lt;s&gt; 1, &lt;/s&gt; 2, the 256 byte tokens at 3 + byte, then the
    /// given normal and special tokens in order.
    /// </summary>
    public static Vocabulary SentencePiece(
        string[] normal,
        (string Text, TokenType Type)[]? special = null,
        IReadOnlySet<int>? leftStrip = null,
        IReadOnlySet<int>? rightStrip = null)
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<TokenType> { TokenType.Unknown, TokenType.Control, TokenType.Control };
        for (var b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(TokenType.Byte);
        }
        foreach (var text in normal)
        {
            tokens.Add(text);
            types.Add(TokenType.Normal);
        }
        foreach (var (text, type) in special ?? [])
        {
            tokens.Add(text);
            types.Add(type);
        }
        // Longer pieces score higher so that merges prefer them, as in real SentencePiece models.
        var scores = tokens.Select((t, id) => types[id] == TokenType.Normal ? t.Length - id / 1000f : 0f).ToArray();
        return new Vocabulary
        {
            Model = "llama",
            Tokens = tokens,
            Types = types,
            Scores = scores,
            BosId = 1,
            EosId = 2,
            UnknownId = 0,
            LeftStripIds = leftStrip,
            RightStripIds = rightStrip,
        };
    }

    public static int ByteToken(int value) => 3 + value;
}
