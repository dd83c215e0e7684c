namespace Mote.Tokenizers.Tests;

/// <summary>The token index finds what a string-keyed dictionary finds.</summary>
public sealed class TokenIndexTests
{
    [Fact]
    public void Find_RandomVocabulary_AgreesWithADictionary()
    {
        var random = new Random(7);
        const string alphabet = "abcĠ▁é😀\uDC80 ";
        var tokens = new string[20_000];
        for (var id = 0; id < tokens.Length; id++)
        {
            var length = random.Next(0, 9);
            tokens[id] = string.Create(length, random, (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                    span[i] = alphabet[r.Next(alphabet.Length)];
            });
        }
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            if (tokens[id].Length == 0)
                continue;
            first.TryAdd(tokens[id], id);
            last[tokens[id]] = id;
        }

        var index = new TokenIndex(tokens);
        var lastIndex = new TokenIndex(tokens, keepLast: true);

        foreach (var (text, id) in first)
            Assert.Equal(id, index.Find(text));
        foreach (var (text, id) in last)
            Assert.Equal(id, lastIndex.Find(text.AsSpan()));
        for (var i = 0; i < 2_000; i++)
        {
            var probe = new string(alphabet[random.Next(alphabet.Length)], random.Next(9, 12)); // longer than any token
            Assert.Equal(-1, index.Find(probe));
        }
        Assert.Equal(tokens.Max(t => t.Length), index.MaxLength);
    }

    [Fact]
    public void Find_Substrings_FindsTokensInsideLongerText()
    {
        var index = new TokenIndex(["hello", "hell", "o", " world"]);
        var text = "hello world".AsSpan();

        Assert.Equal(0, index.Find(text[..5]));
        Assert.Equal(1, index.Find(text[..4]));
        Assert.Equal(2, index.Find(text[4..5]));
        Assert.Equal(3, index.Find(text[5..]));
        Assert.Equal(-1, index.Find(text[..3]));
    }

    [Fact]
    public void Duplicate_ReportsTheFirstTextMetTwiceInIdOrder()
    {
        var index = new TokenIndex(["a", "b", "c", "b", "a", "b"]);

        Assert.Equal((1, 3), index.Duplicate);
        Assert.Null(new TokenIndex(["a", "b", "", ""]).Duplicate); // empty texts are not indexed
    }

    [Fact]
    public void Find_EmptyText_IsNeverAToken()
    {
        var index = new TokenIndex(["", "x"]);

        Assert.Equal(-1, index.Find(""));
        Assert.Equal(1, index.Find("x"));
        Assert.Equal(0, new TokenIndex([]).MaxLength);
    }
}
