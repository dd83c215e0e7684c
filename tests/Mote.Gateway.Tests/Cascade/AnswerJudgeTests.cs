using Mote.Contracts;
using Mote.Gateway.Cascade;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Tests.Cascade;

public sealed class AnswerJudgeTests
{
    private static readonly CascadeConfig s_config = new() { MinMeanLogprob = -0.5, MinTokenLogprob = -3 };

    private static ChatCompletionResponse Answer(string text, double[]? logprobs, string finish = FinishReasons.Stop) => new()
    {
        Choices =
        [
            new ChatChoice
            {
                Message = new ChatMessage { Role = ChatRoles.Assistant, Content = text },
                FinishReason = finish,
                Logprobs = logprobs is null ? null : new ChoiceLogprobs
                {
                    Content = logprobs.Select((l, i) => new TokenLogprob { Token = $"t{i}", Logprob = l }).ToList(),
                },
            },
        ],
    };

    [Fact]
    public void ConfidentAnswer_IsAccepted_WithMeanAndMinimum()
    {
        var verdict = AnswerJudge.Judge(Answer("Paris", [-0.1, -0.3, -0.2]), s_config, wantsJson: false);

        Assert.True(verdict.Accepted);
        Assert.Equal(-0.2, verdict.MeanLogprob!.Value, 9);
        Assert.Equal(-0.3, verdict.MinLogprob);
    }

    [Fact]
    public void LowMean_Escalates()
    {
        var verdict = AnswerJudge.Judge(Answer("Lyon?", [-0.4, -0.9, -0.8]), s_config, wantsJson: false);

        Assert.False(verdict.Accepted);
        Assert.Equal("mean_logprob<-0.5", verdict.Reason);
    }

    [Fact]
    public void OneImprobableToken_EscalatesEvenWithAGoodMean()
    {
        var tokens = Enumerable.Repeat(-0.01, 99).Append(-4.0).ToArray();

        var verdict = AnswerJudge.Judge(Answer("long answer", tokens), s_config, wantsJson: false);

        Assert.False(verdict.Accepted);
        Assert.Equal("min_logprob<-3", verdict.Reason);
        Assert.True(verdict.MeanLogprob > -0.5);
    }

    [Theory]
    [InlineData("{\"a\": 1}", true)]
    [InlineData("[1, 2]", true)]
    [InlineData("{\"a\": 1", false)]
    [InlineData("Sure! {\"a\": 1}", false)]
    public void JsonRequested_ChecksTheAnswerParses(string text, bool accepted)
    {
        var verdict = AnswerJudge.Judge(Answer(text, [-0.01]), s_config, wantsJson: true);

        Assert.Equal(accepted, verdict.Accepted);
        Assert.Equal(accepted, verdict.JsonValid);
    }

    [Fact]
    public void TruncatedAnswer_Escalates()
    {
        var verdict = AnswerJudge.Judge(Answer("cut", [-0.01], FinishReasons.Length), s_config, wantsJson: false);

        Assert.False(verdict.Accepted);
        Assert.Equal("truncated", verdict.Reason);
    }

    [Fact]
    public void MissingLogprobs_EscalatesUnlessConfiguredOtherwise()
    {
        Assert.False(AnswerJudge.Judge(Answer("x", null), s_config, false).Accepted);
        Assert.True(AnswerJudge.Judge(Answer("x", null), s_config with { EscalateWithoutLogprobs = false }, false).Accepted);
    }
}
