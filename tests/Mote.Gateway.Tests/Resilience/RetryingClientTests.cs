using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Mote.Contracts;
using Mote.Gateway.Resilience;

namespace Mote.Gateway.Tests.Resilience;

public sealed class RetryingClientTests
{
    private static readonly RetrySettings s_settings = new(2, TimeSpan.Zero, TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(10));

    private static readonly ChatCompletionRequest s_request = new() { Model = "m" };

    [Fact]
    public async Task RetryableFailures_AreRetriedUntilOneSucceeds()
    {
        var inner = new ScriptedClient(FailureKind.ServerError, FailureKind.Connect);
        var response = await Client(inner).CompleteAsync(s_request, CancellationToken.None);

        Assert.Equal("ok", response.Id);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task AfterMaxRetries_TheLastFailureIsThrown()
    {
        var inner = new ScriptedClient(FailureKind.ServerError, FailureKind.Timeout, FailureKind.RateLimited);
        var e = await Assert.ThrowsAsync<ProviderException>(() => Client(inner).CompleteAsync(s_request, CancellationToken.None));

        Assert.Equal(FailureKind.RateLimited, e.Kind);
        Assert.Equal(3, inner.Calls);
    }

    [Theory]
    [InlineData(FailureKind.BadRequest)]
    [InlineData(FailureKind.ContextLength)]
    [InlineData(FailureKind.Unauthorized)]
    public async Task FailuresThatAreNotTransient_AreNotRetried(FailureKind kind)
    {
        var inner = new ScriptedClient(kind);
        await Assert.ThrowsAsync<ProviderException>(() => Client(inner).CompleteAsync(s_request, CancellationToken.None));

        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task RetryAfterLongerThanAllowed_IsNotWaitedFor()
    {
        var inner = new ScriptedClient(FailureKind.RateLimited) { RetryAfter = TimeSpan.FromMinutes(5) };
        await Assert.ThrowsAsync<ProviderException>(() => Client(inner).CompleteAsync(s_request, CancellationToken.None));

        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Stream_IsRetriedBeforeItsFirstChunkOnly()
    {
        var inner = new ScriptedClient(FailureKind.ServerError);
        var chunks = new List<ChatCompletionChunk>();
        await foreach (var chunk in Client(inner).StreamAsync(s_request, CancellationToken.None))
            chunks.Add(chunk);

        Assert.Equal(2, inner.Calls);
        Assert.Equal(["a", "b"], chunks.Select(c => c.Id));

        var broken = new ScriptedClient { FailAfterFirstChunk = true };
        await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in Client(broken).StreamAsync(s_request, CancellationToken.None))
            {
            }
        });
        Assert.Equal(1, broken.Calls);
    }

    [Fact]
    public void Backoff_DoublesPerAttempt_WithJitterInTheUpperHalf_CappedAtTheMaximum()
    {
        var settings = new RetrySettings(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromMilliseconds(50), RetryingClient.Backoff(settings, 0, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(100), RetryingClient.Backoff(settings, 1, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(300), RetryingClient.Backoff(settings, 2, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(500), RetryingClient.Backoff(settings, 10, 0));
        Assert.True(RetryingClient.Backoff(settings, 40, 0.999) <= TimeSpan.FromMilliseconds(1000));
    }

    private static RetryingClient Client(IChatCompletionClient inner) =>
        new(inner, s_settings, TimeProvider.System, NullLogger.Instance, "test");

    /// <summary>Fails with the given kinds in order, then answers.</summary>
    private sealed class ScriptedClient(params FailureKind[] failures) : IChatCompletionClient
    {
        public int Calls { get; private set; }

        public TimeSpan? RetryAfter { get; init; }

        public bool FailAfterFirstChunk { get; init; }

        public Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
        {
            Next();
            return Task.FromResult(new ChatCompletionResponse { Id = "ok" });
        }

        public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(
            ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            Next();
            yield return new ChatCompletionChunk { Id = "a" };
            if (FailAfterFirstChunk)
                throw new ProviderException(FailureKind.ServerError, "broken after the first chunk");
            yield return new ChatCompletionChunk { Id = "b" };
        }

        private void Next()
        {
            var call = Calls++;
            if (call < failures.Length)
                throw new ProviderException(failures[call], $"failure {call}") { RetryAfter = RetryAfter };
        }
    }
}
