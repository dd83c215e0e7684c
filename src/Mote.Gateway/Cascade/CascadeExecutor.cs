using Microsoft.Extensions.Logging;
using Mote.Contracts;
using Mote.Gateway.Resilience;
using Mote.Gateway.Routing;
using Mote.Gateway.Usage;

namespace Mote.Gateway.Cascade;

/// <summary>
/// Runs the lower tiers of a cascade: each answers without streaming and with log-probabilities, is judged, and
/// either answers the client or escalates. A tier that fails outright also escalates. The last usable tier is left
/// to the caller, so that it can stream.
/// </summary>
internal sealed class CascadeExecutor(FailoverExecutor failover, ILogger<CascadeExecutor> logger)
{
    public async Task<CascadeOutcome> RunAsync(
        Route route, CascadePlan plan, RoutingContext context, bool localOnly, string localOnlyReason,
        CallRecord record, CancellationToken cancellationToken)
    {
        var tiers = new List<List<Deployment>>(plan.Tiers.Length);
        foreach (var tier in plan.Tiers)
        {
            var candidates = CandidatePlanner.Plan(tier, context, localOnly);
            if (candidates.Count > 0)
                tiers.Add(candidates);
        }
        if (tiers.Count == 0)
            throw CandidatePlanner.WhyEmpty(route, plan.Tiers[0], context, localOnly, localOnlyReason);
        if (localOnly && tiers.Count < plan.Tiers.Length)
            record.Decisions.Add("cascade_limited=local_only");

        var request = context.Request;
        var judged = request with { Logprobs = true, Stream = null, StreamOptions = null };
        var wantsJson = request.ResponseFormat?.WantsJson == true;
        for (var i = 0; i < tiers.Count - 1; i++)
        {
            ChatCompletionResponse response;
            Deployment deployment;
            AttemptRecord attempt;
            try
            {
                (response, deployment, attempt) = await failover.CompleteAsync(route.Name, tiers[i], judged, record, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (GatewayException e) when (e.StatusCode >= 429)
            {
                // The cheap tier is down or busy: that is a reason to escalate, not to fail.
                record.Decisions.Add($"tier{i + 1}_decision=failed");
                continue;
            }

            var verdict = AnswerJudge.Judge(response, plan.Judge, wantsJson);
            record.Decisions.AddRange(verdict.Describe(i + 1, deployment.Name));
            GatewayLog.CascadeDecision(logger, record.RequestId, i + 1, deployment.Name,
                verdict.Accepted ? "accepted" : "escalated", verdict.Reason);
            if (verdict.Accepted)
            {
                record.Decisions.Add($"answered_tier={i + 1}");
                return new CascadeOutcome(response, deployment, null);
            }
            attempt.Rejected = true;
        }
        record.Decisions.Add($"answered_tier={tiers.Count}");
        return new CascadeOutcome(null, null, tiers[^1]);
    }
}
