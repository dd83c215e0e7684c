namespace Mote.Gateway.Resilience;

/// <summary>Time limits of one deployment: first token and inter-token for streams, whole call otherwise.</summary>
internal sealed record StreamBudgets(TimeSpan FirstToken, TimeSpan InterToken, TimeSpan Timeout);
