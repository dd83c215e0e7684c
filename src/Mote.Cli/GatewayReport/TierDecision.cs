namespace Mote.Cli.GatewayReport;

/// <summary>
/// How one judged cascade tier fared: <c>accept</c>, <c>escalate</c> or <c>failed</c> (the tier errored), with its
/// confidence scores and, when escalated, the reason (e.g. <c>mean_logprob&lt;-0.5</c>).
/// </summary>
internal sealed record TierDecision(int Tier, string? Deployment, string Decision, double? MeanLogprob, double? MinLogprob, string? Reason);
