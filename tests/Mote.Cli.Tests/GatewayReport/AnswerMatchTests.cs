using Mote.Cli.GatewayReport;

namespace Mote.Cli.Tests.GatewayReport;

public sealed class AnswerMatchTests
{
    [Theory]
    [InlineData("Paris.", "paris", true)]
    [InlineData("  The   Eiffel\tTower!! ", "the eiffel tower", true)]
    [InlineData("4", "Four", false)]
    [InlineData("3.14", "3.14.", true)]
    [InlineData("3.14", "314", false)]
    [InlineData("yes", "yes, definitely", false)]
    public void Agree_NormalizesCaseWhitespaceAndTrailingPunctuationOnly(string a, string b, bool agree) =>
        Assert.Equal(agree, AnswerMatch.Agree(a, b));

    [Fact]
    public void Normalize_KeepsInnerPunctuation() => Assert.Equal("u.s. army, 1945", AnswerMatch.Normalize(" U.S. Army,\n 1945 ?"));

    [Fact]
    public void Agree_MissingAnswer_IsNoAgreement() => Assert.False(AnswerMatch.Agree(null, ""));
}
