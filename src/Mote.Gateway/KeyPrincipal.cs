namespace Mote.Gateway;

/// <summary>The caller behind a request: a virtual key, the master key, or nobody when auth is off.</summary>
public sealed record KeyPrincipal
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public bool IsMaster { get; init; }

    /// <summary>Routes the key may use; null means all.</summary>
    public IReadOnlySet<string>? Models { get; init; }

    public double? BudgetUsd { get; init; }

    /// <summary><c>daily</c>, <c>weekly</c>, <c>monthly</c> or <c>total</c>.</summary>
    public string BudgetPeriod { get; set; } = "monthly";

    public int? Rpm { get; init; }

    public int? Tpm { get; init; }

    public bool LocalOnly { get; init; }

    /// <summary>True for keys declared in the configuration file (not revocable through the API).</summary>
    public bool FromConfig { get; init; }

    /// <summary>The first characters of the key, safe to show (<c>sk-mote-AbC…</c>).</summary>
    public string? Prefix { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public static KeyPrincipal Master { get; } = new() { Id = "master", Name = "master", IsMaster = true };
}
