namespace Mote.Gateway.Configuration;

/// <summary>Where the usage ledger lives.</summary>
public sealed record UsageConfig
{
    public bool Enabled { get; set; } = true;

    /// <summary>SQLite file; relative paths are relative to the configuration file. Default <c>mote-usage.db</c>.</summary>
    public string? Database { get; set; }
}
