using Mote.Gateway.Configuration;

namespace Mote.Server;

/// <summary>What <c>mote serve</c> was asked to do: where to listen, which configuration, which local models.</summary>
public sealed class MoteServerOptions
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8080;

    /// <summary>Address to listen on; overrides the configuration file's <c>server.host</c>. Default 127.0.0.1.</summary>
    public string? Host { get; set; }

    /// <summary>Port to listen on (0 picks a free one); overrides <c>server.port</c>. Default 8080.</summary>
    public int? Port { get; set; }

    /// <summary>The gateway configuration file (JSON or YAML), hot-reloaded.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>A configuration given in code, used when there is no file (tests, embedding).</summary>
    public GatewayConfig? Config { get; set; }

    /// <summary>
    /// GGUF files or aliases to serve in-process (<c>--model</c>). Without a configuration file each becomes a
    /// <c>local</c> deployment and a route named after the file; the engine's <c>ILocalModelCatalog</c> must be
    /// registered in <see cref="MoteServerBuilder.Services"/> to serve them.
    /// </summary>
    public IList<string> Models { get; } = [];

    /// <summary>Folder for the usage ledger when the configuration names none.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Reload the configuration file when it changes. On by default.</summary>
    public bool WatchConfig { get; set; } = true;

    /// <summary>The clock (tests substitute their own). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
