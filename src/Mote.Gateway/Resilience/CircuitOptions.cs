namespace Mote.Gateway.Resilience;

/// <summary>When a deployment's circuit opens and for how long.</summary>
internal sealed record CircuitOptions(int FailureThreshold, TimeSpan Cooldown, TimeSpan MaxCooldown);
