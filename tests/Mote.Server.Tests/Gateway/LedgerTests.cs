using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mote.Gateway.Usage;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>The usage ledger: every answered request has its row, through the journal, exactly once.</summary>
public sealed class LedgerTests
{
    [Fact]
    public async Task EveryAnsweredRequest_HasItsRowCommitted_AloneOrConcurrently()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Always(Behaviours.Ok("answer", promptTokens: 3));
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "",
            new Target("a", upstream, "input_price: 1, output_price: 1")));

        // One at a time: the row of each request is in the ledger by the time its answer (or [DONE]) arrives.
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
    public async Task AnAppendedRow_IsInTheJournalAtOnce_AndInTheDatabaseAfterTheImport()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "", new Target("a", upstream)));
        var ledger = host.App.Services.GetRequiredService<UsageLedger>();
        var database = host.App.Services.GetRequiredService<GatewayDatabase>();
        ledger.ImportDelay = Timeout.InfiniteTimeSpan; // no background import: only the journal has the rows

        for (var i = 0; i < 5; i++)
            await ledger.AppendAsync(Row(i));

        // Durable when AppendAsync returned: the journal on disk holds every row, whole, in order.
        var journaled = JournalRows(database.FilePath!);
        Assert.Equal(["req-0", "req-1", "req-2", "req-3", "req-4"], journaled.Select(r => r.Row.RequestId));
        Assert.Equal([1L, 2, 3, 4, 5], journaled.Select(r => r.Seq));
        Assert.Equal(Row(3), journaled[3].Row);
        Assert.Equal(0, CountRows(database.FilePath!));

        // A reader of the ledger imports what is pending first; the imported segment stays until it is closed.
        Assert.Equal(5, (await ledger.SpendAsync(null, 0)).Requests);
        Assert.Equal(5, CountRows(database.FilePath!));
        Assert.Equal(5L, ImportedSeq(database.FilePath!, ledger.JournalInstance!));
    }

    [Fact]
    public async Task ImportedRows_ReadBackWithEveryField()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "", new Target("a", upstream)));
        var ledger = host.App.Services.GetRequiredService<UsageLedger>();
        var full = new LedgerRow
        {
            RequestId = "req-full",
            TimestampMs = 1_700_000_000_123,
            KeyId = "key-\u00e9",
            Route = "chat",
            Deployment = "a",
            Model = "gpt-x",
            Attempts = "a:timeout,b:ok",
            Status = "ok",
            HttpStatus = 201,
            Error = "upstream said \U0001F525",
            Stream = true,
            PromptTokens = 12,
            CompletionTokens = int.MaxValue,
            CostUsd = 0.000123,
            SavedUsd = -1.5,
            LatencyMs = 3.25,
            TtftMs = 0,
            Decision = "policy=local-only; tier1_decision=accept",
        };
        var sparse = new LedgerRow { RequestId = "", TimestampMs = -1, Route = "r", Attempts = "", Status = "error", HttpStatus = 502 };

        await ledger.AppendAsync(full);
        await ledger.AppendAsync(sparse);
        var rows = await ledger.RecentAsync(2);

        Assert.Equal([sparse, full], rows);
    }

    [Fact]
    public async Task AKilledProcessesJournal_IsImportedOnceByTheNextStart_ATornLastRecordIgnored()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "", new Target("a", upstream)));
        var database = host.App.Services.GetRequiredService<GatewayDatabase>();
        var store = host.App.Services.GetRequiredService<Mote.Gateway.Configuration.GatewayConfigStore>();

        // A "process" whose journal rotates every few rows, imports part of them, then dies without its import.
        var dead = new UsageLedger(database, store, NullLogger<UsageLedger>.Instance)
        {
            ImportDelay = Timeout.InfiniteTimeSpan,
            JournalSegmentBytes = 2048,
        };
        const int rows = 300, importedBeforeDeath = 137;
        for (var i = 0; i < importedBeforeDeath; i++)
            await dead.AppendAsync(Row(i));
        dead.Flush();
        for (var i = importedBeforeDeath; i < rows; i++)
            await dead.AppendAsync(Row(i));
        dead.Abandon();
        var files = JournalFiles(database.FilePath!, dead.JournalInstance!);
        Assert.True(files.Count > 5, $"{files.Count} journal files");
        Assert.Equal(importedBeforeDeath, CountRows(database.FilePath!));
        // The write that was under way when the process died: half a record at the end of the last segment.
        var torn = new byte[LedgerRecord.Size(Row(rows))];
        LedgerRecord.Write(rows + 1, Row(rows), torn);
        await using (var last = new FileStream(files.Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).Max()!, FileMode.Append))
            last.Write(torn, 0, torn.Length / 2);

        // The next start imports exactly the rows the database did not have, and removes the dead journal.
        await using var next = new UsageLedger(database, store, NullLogger<UsageLedger>.Instance);
        next.Start();
        Assert.Equal(rows, CountRows(database.FilePath!));
        var all = await next.RecentAsync(1000);
        Assert.Equal(rows, all.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(Row(rows - 1), all[0]);
        Assert.Empty(JournalFiles(database.FilePath!, dead.JournalInstance!));
        Assert.Null(ImportedSeq(database.FilePath!, dead.JournalInstance!));
    }

    [Fact]
    public async Task ALiveProcessesJournal_IsLeftAlone()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "", new Target("a", upstream)));
        var ledger = host.App.Services.GetRequiredService<UsageLedger>();
        var database = host.App.Services.GetRequiredService<GatewayDatabase>();
        var store = host.App.Services.GetRequiredService<Mote.Gateway.Configuration.GatewayConfigStore>();
        ledger.ImportDelay = Timeout.InfiniteTimeSpan;
        for (var i = 0; i < 10; i++)
            await ledger.AppendAsync(Row(i));

        await using (var other = new UsageLedger(database, store, NullLogger<UsageLedger>.Instance))
            other.Start();

        Assert.Equal(0, CountRows(database.FilePath!));
        Assert.Equal(10, JournalRows(database.FilePath!).Count);
        Assert.Equal(10, (await ledger.SpendAsync(null, 0)).Requests);
    }

    [Fact]
    public async Task ImportsCheckpointTheLog_SoItStaysSmall()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "", new Target("a", upstream)));
        var ledger = host.App.Services.GetRequiredService<UsageLedger>();
        var database = host.App.Services.GetRequiredService<GatewayDatabase>();
        ledger.ImportDelay = Timeout.InfiniteTimeSpan;

        // One import per row, a few log pages each: without checkpoints the log would pass 30 MB.
        const int rows = 3000;
        for (var i = 0; i < rows; i++)
        {
            await ledger.AppendAsync(Row(i));
            ledger.Flush();
        }

        Assert.Equal(rows, (await ledger.SpendAsync(null, 0)).Requests);
        var wal = new FileInfo(database.FilePath + "-wal");
        Assert.True(wal.Length < 8 << 20, $"write-ahead log: {wal.Length} bytes");
    }

    [Fact]
    public async Task Stopping_ImportsEverything_AndRemovesTheJournal()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var host = await GatewayHost.StartAsync(TestConfig.Build("chat: a", TestConfig.FastResilience, "", new Target("a", upstream)));
        var ledger = host.App.Services.GetRequiredService<UsageLedger>();
        var path = host.App.Services.GetRequiredService<GatewayDatabase>().FilePath!;
        ledger.ImportDelay = Timeout.InfiniteTimeSpan;
        for (var i = 0; i < 20; i++)
            await ledger.AppendAsync(Row(i));
        var instance = ledger.JournalInstance!;

        await host.DisposeAsync();

        Assert.Equal(20, CountRows(path));
        Assert.Empty(JournalFiles(path, instance));
        Assert.Null(ImportedSeq(path, instance));
    }

    private static List<(long Seq, LedgerRow Row)> JournalRows(string databasePath) =>
        Directory.EnumerateFiles(Path.GetDirectoryName(databasePath)!, Path.GetFileName(databasePath) + "-rows-*")
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(UsageJournal.Read)
            .ToList();

    private static List<string> JournalFiles(string databasePath, string instance) =>
        Directory.EnumerateFiles(Path.GetDirectoryName(databasePath)!, Path.GetFileName(databasePath) + "-rows-" + instance + "*").ToList();

    private static long CountRows(string databasePath) =>
        (long)Query(databasePath, "SELECT COUNT(*) FROM requests;", null)!;

    private static long? ImportedSeq(string databasePath, string instance) =>
        (long?)Query(databasePath, "SELECT last_seq FROM ledger_journal WHERE instance = $instance;", instance);

    /// <summary>Reads the database on a connection of its own, as another process would (no import first).</summary>
    private static object? Query(string databasePath, string sql, string? instance)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = sql;
        if (instance is not null)
            query.Parameters.AddWithValue("$instance", instance);
        return query.ExecuteScalar();
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
        KeyId = i % 3 == 0 ? null : "key-" + i,
        Error = i % 5 == 0 ? "upstream said: \u00e9chec \U0001F525" : null,
        TtftMs = i % 2 == 0 ? null : i * 0.25,
        Stream = i % 4 == 1,
    };
}
