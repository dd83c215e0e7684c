namespace Mote.Gateway.Resilience;

/// <summary>
/// Per-deployment health: closed while calls succeed; open (rejecting traffic) for a cooldown after
/// <see cref="CircuitOptions.FailureThreshold"/> consecutive failures or a 429 with Retry-After; then half-open,
/// letting exactly one probe through — success closes it, failure reopens it for twice as long.
/// Written by hand rather than with Polly's breaker because failures that happen mid-stream, after the call that
/// opened the stream has returned, must count too.
/// </summary>
internal sealed class CircuitBreaker(CircuitOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private CircuitState _state = CircuitState.Closed;
    private int _consecutiveFailures;
    private DateTimeOffset _openUntil;
    private TimeSpan _cooldown = options.Cooldown;
    private bool _probeInFlight;

    public CircuitOptions Options => options;

    /// <summary>The state as of now (an open circuit whose cooldown has passed reports half-open).</summary>
    public CircuitState State
    {
        get
        {
            lock (_lock)
                return _state == CircuitState.Open && time.GetUtcNow() >= _openUntil ? CircuitState.HalfOpen : _state;
        }
    }

    /// <summary>
    /// Asks to send a request. False while open (with the time left) or while a half-open probe is out;
    /// <paramref name="isProbe"/> marks the one request that decides a half-open circuit.
    /// </summary>
    public bool TryAcquire(out TimeSpan retryIn, out bool isProbe)
    {
        retryIn = TimeSpan.Zero;
        isProbe = false;
        lock (_lock)
        {
            if (_state == CircuitState.Closed)
                return true;
            if (_state == CircuitState.Open)
            {
                var now = time.GetUtcNow();
                if (now < _openUntil)
                {
                    retryIn = _openUntil - now;
                    return false;
                }
                _state = CircuitState.HalfOpen;
            }
            // Half-open: exactly one probe decides.
            if (_probeInFlight)
                return false;
            _probeInFlight = true;
            isProbe = true;
            return true;
        }
    }

    public void OnSuccess(bool isProbe)
    {
        lock (_lock)
        {
            _consecutiveFailures = 0;
            if (isProbe || _state == CircuitState.HalfOpen)
            {
                _probeInFlight = false;
                _state = CircuitState.Closed;
                _cooldown = options.Cooldown;
            }
        }
    }

    /// <summary>Records a failure that says something about this deployment's health.</summary>
    public void OnFailure(FailureKind kind, TimeSpan? retryAfter, bool isProbe)
    {
        if (!kind.CountsAgainstHealth())
        {
            OnAbandon(isProbe);
            return;
        }
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (isProbe || _state == CircuitState.HalfOpen)
            {
                _probeInFlight = false;
                _cooldown = TimeSpan.FromTicks(Math.Min(_cooldown.Ticks * 2, options.MaxCooldown.Ticks));
                Open(now, Max(_cooldown, retryAfter));
                return;
            }
            if (kind == FailureKind.RateLimited && retryAfter is { } wait)
            {
                // The provider told us when to come back: cool down exactly that long, no probe counting needed.
                Open(now, wait);
                return;
            }
            if (++_consecutiveFailures >= options.FailureThreshold && _state == CircuitState.Closed)
                Open(now, _cooldown);
        }
    }

    /// <summary>A call ended without a verdict (client gone, hedge lost): frees the probe slot.</summary>
    public void OnAbandon(bool isProbe)
    {
        if (!isProbe)
            return;
        lock (_lock)
            _probeInFlight = false;
    }

    private void Open(DateTimeOffset now, TimeSpan duration)
    {
        _state = CircuitState.Open;
        var until = now + duration;
        if (until > _openUntil)
            _openUntil = until;
        _consecutiveFailures = 0;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan? b) => b is { } value && value > a ? value : a;
}
