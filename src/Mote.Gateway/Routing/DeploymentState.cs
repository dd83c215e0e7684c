using Mote.Gateway.Resilience;

namespace Mote.Gateway.Routing;

/// <summary>What the gateway has learned about a deployment: its circuit and its load and latency.</summary>
internal sealed class DeploymentState(CircuitBreaker circuit)
{
    private long _inFlight;
    private double _ewmaTtftMs = double.NaN;

    /// <summary>Weight of the newest sample in the latency average.</summary>
    private const double Alpha = 0.2;

    public CircuitBreaker Circuit { get; } = circuit;

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Exponentially weighted mean time to first token in milliseconds; NaN before the first sample.</summary>
    public double EwmaTtftMs => Volatile.Read(ref _ewmaTtftMs);

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public void RecordTtft(double milliseconds)
    {
        // Lock-free update: a lost race only drops one sample from an average.
        var current = Volatile.Read(ref _ewmaTtftMs);
        var next = double.IsNaN(current) ? milliseconds : current + Alpha * (milliseconds - current);
        Interlocked.CompareExchange(ref _ewmaTtftMs, next, current);
    }
}
