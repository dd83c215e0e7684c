using System.Collections.Concurrent;

namespace Mote.Server.Tests.Fakes;

/// <summary>
/// Real time that a test can jump forward (<see cref="Advance"/>: circuits, budgets, rate windows) and whose timers
/// can run faster than asked (<see cref="TimerScale"/>), while recording every delay asked for — so a test can check
/// that a 2-second Retry-After was honoured without waiting 2 seconds.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>Factor applied to every timer's due time (0.01 turns seconds into tens of milliseconds).</summary>
    public double TimerScale { get; set; } = 1;

    public ConcurrentQueue<TimeSpan> RequestedDelays { get; } = new();

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override long GetTimestamp() =>
        System.GetTimestamp() + (long)(Interlocked.Read(ref _offsetTicks) * (double)System.TimestampFrequency / TimeSpan.TicksPerSecond);

    public override long TimestampFrequency => System.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Record(dueTime);
        return new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), this);
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            RequestedDelays.Enqueue(dueTime);
    }

    private TimeSpan Scale(TimeSpan span) =>
        span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero || TimerScale == 1 ? span : span * TimerScale;

    private sealed class ScaledTimer(ITimer inner, TestClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Record(dueTime);
            return inner.Change(clock.Scale(dueTime), clock.Scale(period));
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
