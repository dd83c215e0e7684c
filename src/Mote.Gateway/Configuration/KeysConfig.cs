namespace Mote.Gateway.Configuration;

/// <summary>Authentication: the master key's variable and keys declared in the file.</summary>
public sealed record KeysConfig
{
    /// <summary>Environment variable holding the master key (admin endpoints, unlimited use).</summary>
    public string? MasterKeyEnv { get; set; }

    /// <summary>Virtual keys declared in the file, beside those created through the admin API.</summary>
    public List<VirtualKeyConfig>? Virtual { get; set; }
}
