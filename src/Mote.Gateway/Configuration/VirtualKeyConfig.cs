namespace Mote.Gateway.Configuration;

/// <summary>A virtual key declared in the configuration file. The key itself comes from a variable or a hash.</summary>
public sealed record VirtualKeyConfig
{
    public string Name { get; set; } = "";

    /// <summary>Environment variable holding the key's plain text (hashed at load, never stored).</summary>
    public string? KeyEnv { get; set; }

    /// <summary>Hex SHA-256 of the key, for files that must not name a secret at all.</summary>
    public string? KeySha256 { get; set; }

    /// <summary>Route names (or <c>provider/model</c>) the key may use; empty means all.</summary>
    public List<string>? Models { get; set; }

    public double? BudgetUsd { get; set; }

    /// <summary><c>daily</c>, <c>weekly</c>, <c>monthly</c> or <c>total</c>.</summary>
    public string? BudgetPeriod { get; set; }

    public int? Rpm { get; set; }

    public int? Tpm { get; set; }

    public bool LocalOnly { get; set; }
}
