namespace Mote.Engine.Tests.ChatTemplates;

/// <summary>A clock stopped at one local time (UTC zone), so <c>strftime_now</c> renders what the goldens recorded.</summary>
internal sealed class FixedClock(DateTime localTime) : TimeProvider
{
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(localTime, DateTimeKind.Utc));
}
