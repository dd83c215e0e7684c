namespace Mote.Gateway.Configuration;

/// <summary>A provider plus a model: the unit that is priced, health-checked and routed to.</summary>
public sealed record DeploymentConfig
{
    /// <summary>The name of an entry in <c>providers</c>.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The model id sent upstream (for <c>local</c>: a GGUF path or alias).</summary>
    public string Model { get; set; } = "";

    /// <summary>USD per one million input (prompt) tokens.</summary>
    public double InputPrice { get; set; }

    /// <summary>USD per one million output (completion) tokens.</summary>
    public double OutputPrice { get; set; }

    /// <summary>Context window in tokens; used to move context-length failures to a larger model.</summary>
    public int? ContextLength { get; set; }

    /// <summary>What the deployment supports: <c>tools</c>, <c>json</c>, <c>logprobs</c>, <c>prefill</c>, <c>vision</c>.</summary>
    public List<string>? Capabilities { get; set; }

    /// <summary>Time-to-first-token budget for streams; past it the request moves on.</summary>
    public int? TtftBudgetMs { get; set; }

    /// <summary>Longest silence allowed between tokens of a started stream.</summary>
    public int? InterTokenBudgetMs { get; set; }

    /// <summary>Time limit for a whole non-streamed call.</summary>
    public int? TimeoutMs { get; set; }

    /// <summary>Overrides <see cref="ResilienceConfig.MaxRetries"/> for this deployment.</summary>
    public int? MaxRetries { get; set; }
}
