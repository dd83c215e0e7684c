namespace Mote.Gateway.Tests;

/// <summary>A clock that only moves when told to (timers are not needed by the code under test here).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualClock()
        : this(new DateTimeOffset(2026, 3, 18, 10, 0, 0, TimeSpan.Zero))
    {
    }

    public void Advance(TimeSpan by) => _now += by;

    public override DateTimeOffset GetUtcNow() => _now;
}
