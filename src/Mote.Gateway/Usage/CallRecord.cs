using System.Text;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Usage;

/// <summary>Everything that happened to one client request; becomes one ledger row.</summary>
internal sealed class CallRecord
{
    public required string RequestId { get; init; }

    public string? KeyId { get; init; }

    public required string Route { get; init; }

    public required bool Stream { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required long StartTimestamp { get; init; }

    /// <summary>Values the "saved" column of local answers.</summary>
    public Deployment? Reference { get; init; }

    public List<AttemptRecord> Attempts { get; } = [];

    public Deployment? AnsweredBy { get; set; }

    /// <summary><c>ok</c>, <c>error</c> or <c>cancelled</c> (the default until an outcome is known).</summary>
    public string Status { get; private set; } = "cancelled";

    public int HttpStatus { get; private set; } = 499;

    public string? Error { get; private set; }

    public double? TtftMs { get; set; }

    public double LatencyMs { get; set; }

    /// <summary>Cascade judgements and similar decisions, appended as <c>key=value</c> pairs.</summary>
    public List<string> Decisions { get; } = [];

    public AttemptRecord Begin(Deployment deployment, bool continuation = false)
    {
        var attempt = new AttemptRecord(deployment, continuation);
        Attempts.Add(attempt);
        return attempt;
    }

    public void Succeed()
    {
        Status = "ok";
        HttpStatus = 200;
        Error = null;
    }

    public void Fail(int status, string error)
    {
        Status = "error";
        HttpStatus = status;
        Error = error;
    }

    public int PromptTokens => Attempts.Sum(a => a.PromptTokens);

    public int CompletionTokens => Attempts.Sum(a => a.CompletionTokens);

    public double Cost => Attempts.Sum(a => a.Cost);

    public double Saved => Attempts.Sum(a => a.Saved);

    public string AttemptSummary => string.Join(",", Attempts.Select(a => a.Summary));

    /// <summary>The <c>x-mote-route</c> header: route, answering deployment, attempts and decisions.</summary>
    public string Header()
    {
        var header = new StringBuilder();
        header.Append("route=").Append(Route);
        if (AnsweredBy is not null)
            header.Append("; deployment=").Append(AnsweredBy.Name);
        if (Attempts.Count > 0)
            header.Append("; attempts=").Append(AttemptSummary);
        foreach (var decision in Decisions)
            header.Append("; ").Append(decision);
        return header.ToString();
    }
}
