using Mote.Contracts;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Usage;

/// <summary>One call to one deployment within a request, with what it consumed.</summary>
internal sealed class AttemptRecord(Deployment deployment, bool continuation)
{
    public Deployment Deployment { get; } = deployment;

    /// <summary>True when this attempt continued a broken stream from an assistant prefill.</summary>
    public bool Continuation { get; } = continuation;

    public bool Succeeded { get; private set; }

    public FailureKind? Failure { get; private set; }

    public string? Message { get; private set; }

    public TimeSpan? RetryAfter { get; private set; }

    public int PromptTokens { get; private set; }

    public int CompletionTokens { get; private set; }

    /// <summary>True when the token counts are estimates (the provider never reported usage).</summary>
    public bool Estimated { get; private set; }

    public double Cost { get; private set; }

    public double Saved { get; private set; }

    /// <summary>A cascade tier's answer that was judged and escalated.</summary>
    public bool Rejected { get; set; }

    public void Succeed(Contracts.Usage? usage, int promptEstimate, int completionEstimate, Deployment? reference)
    {
        Succeeded = true;
        Message = "ok";
        Consume(usage, promptEstimate, completionEstimate, reference);
    }

    /// <summary>
    /// A failure. Tokens count only if the provider produced output (a stream that broke midway is billed by the
    /// provider; a refused connection is not).
    /// </summary>
    public void Fail(ProviderException failure, Contracts.Usage? usage, int promptEstimate, int completionEstimate, Deployment? reference)
    {
        Failure = failure.Kind;
        Message = failure.Message;
        RetryAfter = failure.RetryAfter;
        if (usage is not null || completionEstimate > 0)
            Consume(usage, promptEstimate, completionEstimate, reference);
    }

    public void Skip(FailureKind reason, string message)
    {
        Failure = reason;
        Message = message;
    }

    private void Consume(Contracts.Usage? usage, int promptEstimate, int completionEstimate, Deployment? reference)
    {
        if (usage is not null)
        {
            PromptTokens = usage.PromptTokens;
            CompletionTokens = usage.CompletionTokens;
        }
        else
        {
            PromptTokens = promptEstimate;
            CompletionTokens = completionEstimate;
            Estimated = true;
        }
        Cost = Deployment.Cost(PromptTokens, CompletionTokens);
        if (Deployment.IsLocal && reference is { IsLocal: false })
            Saved = Math.Max(0, reference.Cost(PromptTokens, CompletionTokens) - Cost);
    }

    /// <summary><c>name:outcome</c> as written to the ledger and the route header.</summary>
    public string Summary =>
        $"{Deployment.Name}:{(Succeeded ? (Rejected ? "rejected" : "ok") : Failure?.Label() ?? "abandoned")}{(Continuation ? "+prefill" : "")}";
}
