using Mote.Cli.GatewayReport;

namespace Mote.Cli.Tests.GatewayReport;

public sealed class RouteDecisionsTests
{
    [Fact]
    public void Parse_ThreeTierHeader_ReadsEachJudgedTier()
    {
        const string header = "route=hybrid; deployment=big; attempts=local:rejected,mid:ok,big:ok; tier1=local; tier1_decision=escalate; "
            + "tier1_mean_logprob=-1.2034; tier1_min_logprob=-7.51; tier1_reason=mean_logprob<-0.6; tier2_decision=failed; answered_tier=3";

        var (tiers, answered) = RouteDecisions.Parse(header);

        Assert.Equal(3, answered);
        Assert.Equal(2, tiers.Count);
        Assert.Equal(new TierDecision(1, "local", "escalate", -1.2034, -7.51, "mean_logprob<-0.6"), tiers[0]);
        Assert.Equal(new TierDecision(2, null, "failed", null, null, null), tiers[1]);
    }

    [Fact]
    public void Parse_NoHeader_HasNoDecisions()
    {
        var (tiers, answered) = RouteDecisions.Parse(null);

        Assert.Empty(tiers);
        Assert.Null(answered);
    }
}
