using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>The usage ledger's group commit: every answered request has its row by the time the answer arrives.</summary>
public sealed class LedgerTests
{
    [Fact]
    public async Task EveryAnsweredRequest_HasItsRowCommitted_AloneOrConcurrently()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Always(Behaviours.Ok("answer", promptTokens: 3));
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "",
            new Target("a", upstream, "input_price: 1, output_price: 1")));

        // One at a time: the row of each request is committed by the time its answer (or [DONE]) arrives.
        for (var i = 0; i < 6; i++)
        {
            var status = i % 2 == 0
                ? (await host.ChatAsync(GatewayHost.Chat("chat"))).Status
                : (await host.StreamAsync(GatewayHost.Chat("chat", stream: true))).Status;
            Assert.Equal(200, status);
            Assert.Equal(i + 1, (await host.LedgerAsync()).Count);
        }

        // Many at once: rows share commits, none is lost or written twice.
        const int requests = 48;
        var statuses = await Task.WhenAll(Enumerable.Range(0, requests).Select(async i => i % 2 == 0
            ? (await host.ChatAsync(GatewayHost.Chat("chat"))).Status
            : (await host.StreamAsync(GatewayHost.Chat("chat", stream: true))).Status));

        Assert.All(statuses, s => Assert.Equal(200, s));
        var all = await host.LedgerAsync();
        Assert.Equal(requests + 6, all.Count);
        Assert.Equal(requests + 6, all.Select(r => r.RequestId).Distinct().Count());
        Assert.All(all, r => Assert.Equal("ok", r.Status));
        Assert.Equal((requests + 6) / 2, all.Count(r => r.Stream));
    }
}
