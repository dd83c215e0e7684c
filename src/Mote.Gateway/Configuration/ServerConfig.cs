namespace Mote.Gateway.Configuration;

/// <summary>Where the server listens; command-line options win over these.</summary>
public sealed record ServerConfig
{
    public string? Host { get; set; }

    public int? Port { get; set; }
}
