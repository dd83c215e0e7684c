namespace Mote.Gateway.Configuration;

/// <summary>A public model name: its node (inline) plus route-wide policy.</summary>
public sealed record RouteConfig : RouteNodeConfig
{
    /// <summary>Never send this route's requests off the machine; fail closed instead.</summary>
    public bool LocalOnly { get; set; }

    /// <summary>The deployment whose prices value the "saved" column when a local model answers.</summary>
    public string? Reference { get; set; }

    /// <summary>
    /// Characters of a streamed answer held back before the first byte goes to the client, so that an early
    /// failure can restart cleanly on another target. 0 streams immediately.
    /// </summary>
    public int? StreamBufferChars { get; set; }

    /// <summary>
    /// Hedge stream starts: when the first target has produced no token after half its first-token budget, start the
    /// next one too and keep whichever produces a token first.
    /// </summary>
    public bool Hedge { get; set; }

    /// <summary>Overall time limit of a request on this route.</summary>
    public int? DeadlineMs { get; set; }

    public string? Description { get; set; }
}
