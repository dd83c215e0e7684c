using Mote.Gateway.Configuration;

namespace Mote.Gateway;

/// <summary>How the gateway finds its configuration and where it keeps its data.</summary>
public sealed class GatewayOptions
{
    /// <summary>A JSON or YAML configuration file, watched and hot-reloaded.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>A configuration given in code (tests, or one synthesized from <c>--model</c>); used when no file is.</summary>
    public GatewayConfig? Config { get; set; }

    /// <summary>Reload the file when it changes. On by default.</summary>
    public bool WatchConfig { get; set; } = true;

    /// <summary>Folder for the usage ledger when the configuration names no path (default: the config's folder).</summary>
    public string? DataDirectory { get; set; }
}
