using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Mote.Gateway.Usage;
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

    [Fact]
    public async Task TheWriterNeverCheckpoints_ABackgroundCheckpointFoldsTheLogInAndItRestarts()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "", new Target("a", upstream)));
        var ledger = host.App.Services.GetRequiredService<UsageLedger>();
        ledger.CheckpointRows = int.MaxValue;

        // One commit per row, a few log pages each: SQLite's own auto-checkpoint (every 1000 pages) would have
        // restarted the log several times on the writer's thread.
        const int rows = 600;
        for (var i = 0; i < rows; i++)
            await ledger.AppendAsync(Row(i));
        var first = ledger.CheckpointNow();
        await ledger.AppendAsync(Row(rows));
        var second = ledger.CheckpointNow();

        Assert.NotNull(first);
        Assert.True(first.Value.LogFrames > 1000, $"log frames: {first.Value.LogFrames}");
        Assert.Equal(first.Value.LogFrames, first.Value.Checkpointed);
        // The commit after a complete checkpoint starts the log over.
        Assert.NotNull(second);
        Assert.InRange(second.Value.LogFrames, 1, 20);
        Assert.Equal(rows + 1, (await ledger.SpendAsync(null, 0)).Requests);
    }

    [Fact]
    public async Task BackgroundCheckpoints_DuringConcurrentWrites_LoseNoRow()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "", new Target("a", upstream)));
        var ledger = host.App.Services.GetRequiredService<UsageLedger>();
        var database = host.App.Services.GetRequiredService<GatewayDatabase>();
        ledger.CheckpointRows = 7; // many background checkpoints, racing the commits

        const int rows = 2000, writers = 8;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < rows; i += writers)
            {
                await ledger.AppendAsync(Row(i));
                if (i % 101 == 0)
                    ledger.CheckpointNow();
            }
        })));
        var last = ledger.CheckpointNow();

        Assert.Equal(rows, (await ledger.SpendAsync(null, 0)).Requests);
        // After a complete checkpoint the database file alone holds every row: read a copy of it without its log.
        Assert.NotNull(last);
        Assert.Equal(0, last.Value.Busy);
        Assert.Equal(last.Value.LogFrames, last.Value.Checkpointed);
        var copy = Path.Combine(host.Directory, "copy.db");
        File.Copy(database.FilePath!, copy);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT COUNT(*), COUNT(DISTINCT request_id) FROM requests;";
        await using var reader = await query.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(rows, reader.GetInt64(0));
        Assert.Equal(rows, reader.GetInt64(1));
    }

    private static LedgerRow Row(int i) => new()
    {
        RequestId = $"req-{i}",
        TimestampMs = 1_700_000_000_000 + i,
        Route = "chat",
        Attempts = "a:ok",
        Status = "ok",
        HttpStatus = 200,
        PromptTokens = 3,
        CompletionTokens = 2,
        CostUsd = 0.001,
    };
}
