namespace Mote.Gateway.Tests;

public sealed class RandomIdsTests
{
    [Theory]
    [InlineData("req_", 20)]
    [InlineData("chatcmpl-", 24)]
    [InlineData("", 2)]
    [InlineData("x", 64)]
    public void New_IsThePrefixAndLowercaseHexDigits(string prefix, int digits)
    {
        var id = RandomIds.New(prefix, digits);

        Assert.Equal(prefix.Length + digits, id.Length);
        Assert.StartsWith(prefix, id, StringComparison.Ordinal);
        Assert.All(id[prefix.Length..], c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c), $"'{c}' in {id}"));
    }

    [Fact]
    public void New_DoesNotRepeat_AndUsesEveryDigitPosition()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => RandomIds.New("req_", 20)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        // No position stuck at one value (as an unfilled or zeroed buffer would be).
        for (var position = 4; position < 24; position++)
            Assert.True(ids.Select(id => id[position]).Distinct().Count() == 16, $"position {position}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(66)]
    public void New_RejectsOddOrTooManyDigits(int digits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomIds.New("p", digits));
}
