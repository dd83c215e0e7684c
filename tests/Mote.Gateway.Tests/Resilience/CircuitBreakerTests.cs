using Mote.Gateway.Resilience;

namespace Mote.Gateway.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    private readonly ManualClock _clock = new();
    private readonly CircuitBreaker _circuit;

    public CircuitBreakerTests() =>
        _circuit = new CircuitBreaker(new CircuitOptions(3, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(40)), _clock);

    private void Fail(FailureKind kind = FailureKind.ServerError, TimeSpan? retryAfter = null)
    {
        Assert.True(_circuit.TryAcquire(out _, out var probe));
        _circuit.OnFailure(kind, retryAfter, probe);
    }

    [Fact]
    public void ConsecutiveFailures_OpenTheCircuitAtTheThreshold()
    {
        Fail();
        Fail();
        Assert.Equal(CircuitState.Closed, _circuit.State);
        Fail();

        Assert.Equal(CircuitState.Open, _circuit.State);
        Assert.False(_circuit.TryAcquire(out var retryIn, out _));
        Assert.Equal(TimeSpan.FromSeconds(10), retryIn);
    }

    [Fact]
    public void SuccessInBetween_ResetsTheCount()
    {
        Fail();
        Fail();
        Assert.True(_circuit.TryAcquire(out _, out _));
        _circuit.OnSuccess(false);
        Fail();
        Fail();

        Assert.Equal(CircuitState.Closed, _circuit.State);
    }

    [Fact]
    public void ClientErrors_DoNotCountAgainstHealth()
    {
        for (var i = 0; i < 5; i++)
            Fail(FailureKind.BadRequest);
        Fail(FailureKind.ContentFilter);
        Fail(FailureKind.ContextLength);

        Assert.Equal(CircuitState.Closed, _circuit.State);
    }

    [Fact]
    public void AfterCooldown_ExactlyOneProbeIsLetThrough_AndItsSuccessCloses()
    {
        Fail();
        Fail();
        Fail();
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.True(_circuit.TryAcquire(out _, out var probe));
        Assert.True(probe);
        Assert.False(_circuit.TryAcquire(out _, out _)); // a second caller waits for the probe's verdict
        _circuit.OnSuccess(probe);

        Assert.Equal(CircuitState.Closed, _circuit.State);
        Assert.True(_circuit.TryAcquire(out _, out var normal));
        Assert.False(normal);
    }

    [Fact]
    public void FailedProbe_ReopensForTwiceAsLong_UpToTheMaximum()
    {
        Fail();
        Fail();
        Fail();
        var cooldowns = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(5));
            Fail();
            _circuit.TryAcquire(out var retryIn, out _);
            cooldowns.Add(retryIn);
        }

        Assert.Equal([TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(40)], cooldowns);
    }

    [Fact]
    public void RateLimitWithRetryAfter_CoolsDownForExactlyThatLong()
    {
        Fail(FailureKind.RateLimited, TimeSpan.FromSeconds(3));

        Assert.False(_circuit.TryAcquire(out var retryIn, out _));
        Assert.Equal(TimeSpan.FromSeconds(3), retryIn);
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True(_circuit.TryAcquire(out _, out _));
    }

    [Fact]
    public void AbandonedProbe_FreesTheSlot()
    {
        Fail();
        Fail();
        Fail();
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(_circuit.TryAcquire(out _, out var probe));

        _circuit.OnAbandon(probe);

        Assert.True(_circuit.TryAcquire(out _, out var second));
        Assert.True(second);
    }
}
