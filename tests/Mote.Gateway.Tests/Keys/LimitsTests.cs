using Mote.Gateway.Keys;

namespace Mote.Gateway.Tests.Keys;

public sealed class LimitsTests
{
    private static KeyPrincipal Key(int? rpm = null, int? tpm = null) => new() { Id = "k", Name = "k", Rpm = rpm, Tpm = tpm };

    [Fact]
    public void Rpm_AdmitsUpToTheLimitPerSlidingMinute()
    {
        var clock = new ManualClock();
        var limiter = new RateLimiter(clock);
        var key = Key(rpm: 3);

        var admitted = Enumerable.Range(0, 5).Count(_ => limiter.TryAcquire(key, out TimeSpan _, out string _));
        Assert.False(limiter.TryAcquire(key, out var retryAfter, out var what));
        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(3, admitted);
        Assert.Equal("3 requests per minute", what);
        Assert.Equal(TimeSpan.FromSeconds(60), retryAfter);
        Assert.True(limiter.TryAcquire(key, out _, out _));
    }

    [Fact]
    public void Rpm_RetryAfter_PointsAtTheOldestRequestLeavingTheWindow()
    {
        var clock = new ManualClock();
        var limiter = new RateLimiter(clock);
        var key = Key(rpm: 2);
        limiter.TryAcquire(key, out _, out _);
        clock.Advance(TimeSpan.FromSeconds(40));
        limiter.TryAcquire(key, out _, out _);

        Assert.False(limiter.TryAcquire(key, out var retryAfter, out _));
        Assert.Equal(TimeSpan.FromSeconds(20), retryAfter);
    }

    [Fact]
    public void Tpm_CountsTokensReportedAfterRequests()
    {
        var clock = new ManualClock();
        var limiter = new RateLimiter(clock);
        var key = Key(tpm: 100);

        Assert.True(limiter.TryAcquire(key, out _, out _));
        limiter.AddTokens("k", 120);

        Assert.False(limiter.TryAcquire(key, out _, out var what));
        Assert.Equal("100 tokens per minute", what);
    }

    [Theory]
    [InlineData("daily", "2026-03-18T00:00:00Z")]
    [InlineData("weekly", "2026-03-16T00:00:00Z")]
    [InlineData("monthly", "2026-03-01T00:00:00Z")]
    [InlineData("total", "1970-01-01T00:00:00Z")]
    public void BudgetPeriods_StartAtUtcCalendarBoundaries(string period, string start)
    {
        var now = new DateTimeOffset(2026, 3, 18, 15, 30, 0, TimeSpan.Zero); // a Wednesday

        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
            BudgetTracker.PeriodStart(period, now));
    }

    [Fact]
    public void KeyHashes_AreSha256Hex_AndNewKeysAreDistinct()
    {
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", KeyHasher.Hash("hello"));
        Assert.NotEqual(KeyHasher.NewKey(), KeyHasher.NewKey());
        Assert.StartsWith("sk-mote-", KeyHasher.NewKey());
    }
}
