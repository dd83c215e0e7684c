namespace Mote.Gateway.Resilience;

/// <summary>
/// Asks a backend whether it is ready before it gets traffic (llama.cpp answers <c>/health</c> with 503 while
/// loading). A ready backend is trusted until a connection failure; a backend that was not ready is probed again
/// at most once per interval, and meanwhile skipped.
/// </summary>
internal sealed class ReadinessGate(IReadinessProbe probe, TimeSpan interval, TimeProvider time)
{
    private volatile bool _ready;
    private long _nextProbeTimestamp;

    public async ValueTask<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready)
            return true;
        var now = time.GetTimestamp();
        var next = Interlocked.Read(ref _nextProbeTimestamp);
        if (next != 0 && now < next)
            return false;
        Interlocked.Exchange(ref _nextProbeTimestamp, now + (long)(interval.TotalSeconds * time.TimestampFrequency));
        _ready = await probe.IsReadyAsync(cancellationToken).ConfigureAwait(false);
        return _ready;
    }

    /// <summary>The backend dropped connections: check readiness again before the next request.</summary>
    public void Invalidate()
    {
        _ready = false;
        Interlocked.Exchange(ref _nextProbeTimestamp, 0);
    }
}
