namespace Mote.Gateway.Resilience;

/// <summary>The state of a deployment's circuit, as exported in metrics (0, 1, 2).</summary>
public enum CircuitState
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,
}
