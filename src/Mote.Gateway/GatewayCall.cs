namespace Mote.Gateway;

/// <summary>
/// One client request as the gateway sees it: who is calling and what policy they asked for, and — filled in as
/// the request proceeds — how it was routed.
/// </summary>
public sealed class GatewayCall
{
    /// <summary>Identifies the request in logs and the ledger.</summary>
    public string RequestId { get; set; } = RandomIds.New("req_", 20);

    /// <summary>The authenticated key; null when the server runs without keys.</summary>
    public KeyPrincipal? Key { get; init; }

    /// <summary>The client asked (by header) that the request never leave the machine.</summary>
    public bool LocalOnlyRequested { get; init; }

    /// <summary>The routing decision, for the <c>x-mote-route</c> header; set before the first byte of the answer.</summary>
    public string? RouteHeader { get; internal set; }

    /// <summary>The deployment that produced (or is producing) the answer.</summary>
    public string? Deployment { get; internal set; }
}
