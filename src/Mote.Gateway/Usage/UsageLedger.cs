using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Usage;

/// <summary>
/// Appends one row per request to SQLite. Rows are written by one background writer in batches (group commit), and
/// <see cref="AppendAsync"/> completes only after the row's transaction committed — the response is not finished
/// before its row is durable, yet concurrent requests share one commit.
/// </summary>
internal sealed class UsageLedger : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly GatewayDatabase _database;
    private readonly ILogger<UsageLedger> _logger;
    private readonly Channel<(LedgerRow Row, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(LedgerRow, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _writer;
    private SqliteCommand? _insert;

    private readonly GatewayConfigStore _store;

    public UsageLedger(GatewayDatabase database, GatewayConfigStore store, ILogger<UsageLedger> logger)
    {
        _database = database;
        _store = store;
        _logger = logger;
        _writer = new Lazy<Task>(() => Task.Run(WriteLoopAsync));
    }

    public Task AppendAsync(LedgerRow row)
    {
        if (!_store.Current.Config.Usage.Enabled)
            return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((row, done)))
            return Task.CompletedTask;
        _ = _writer.Value;
        return done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(LedgerRow Row, TaskCompletionSource Done)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                batch.Add(item);
            try
            {
                Write(batch);
                foreach (var item in batch)
                    item.Done.TrySetResult();
            }
            catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
            {
                // Start over with a fresh connection next time.
                _insert?.Connection?.Dispose();
                _insert?.Dispose();
                _insert = null;
                // A ledger failure must not fail the answer the client already has; it is logged loudly instead.
                GatewayLog.LedgerWriteFailed(_logger, e, batch.Count);
                foreach (var item in batch)
                    item.Done.TrySetResult();
            }
            batch.Clear();
        }
    }

    private void Write(List<(LedgerRow Row, TaskCompletionSource Done)> batch)
    {
        // One connection and one prepared statement for the writer's lifetime: per-batch cost is the commit alone.
        var insert = _insert ??= PrepareInsert();
        using var transaction = insert.Connection!.BeginTransaction();
        insert.Transaction = transaction;
        var parameters = insert.Parameters;
        foreach (var (row, _) in batch)
        {
            object?[] values = [row.RequestId, row.TimestampMs, row.KeyId, row.Route, row.Deployment, row.Model, row.Attempts,
                row.Status, row.HttpStatus, row.Error, row.Stream ? 1 : 0, row.PromptTokens, row.CompletionTokens,
                row.CostUsd, row.SavedUsd, row.LatencyMs, row.TtftMs, row.Decision];
            for (var i = 0; i < values.Length; i++)
                parameters[i].Value = values[i] ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private SqliteCommand PrepareInsert()
    {
        var connection = _database.Open();
        var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO requests (request_id, ts_ms, key_id, route, deployment, model, attempts, status, http_status, error,
                stream, prompt_tokens, completion_tokens, cost_usd, saved_usd, latency_ms, ttft_ms, decision)
            VALUES ($request_id, $ts_ms, $key_id, $route, $deployment, $model, $attempts, $status, $http_status, $error,
                $stream, $prompt_tokens, $completion_tokens, $cost_usd, $saved_usd, $latency_ms, $ttft_ms, $decision);
            """;
        foreach (var name in (string[])["$request_id", "$ts_ms", "$key_id", "$route", "$deployment", "$model", "$attempts", "$status",
            "$http_status", "$error", "$stream", "$prompt_tokens", "$completion_tokens", "$cost_usd", "$saved_usd",
            "$latency_ms", "$ttft_ms", "$decision"])
            insert.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        insert.Prepare();
        return insert;
    }

    /// <summary>Spend since <paramref name="sinceMs"/> (Unix ms), for one key or (null) for everyone.</summary>
    public async Task<SpendSummary> SpendAsync(string? keyId, long sinceMs, CancellationToken cancellationToken = default)
    {
        await using var connection = _database.Open();
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT COALESCE(SUM(cost_usd),0), COALESCE(SUM(saved_usd),0), COUNT(*),
                   COALESCE(SUM(prompt_tokens),0), COALESCE(SUM(completion_tokens),0)
            FROM requests WHERE ts_ms >= $since AND ($key IS NULL OR key_id = $key);
            """;
        query.Parameters.AddWithValue("$since", sinceMs);
        query.Parameters.AddWithValue("$key", (object?)keyId ?? DBNull.Value);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new SpendSummary(reader.GetDouble(0), reader.GetDouble(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    /// <summary>The newest rows, newest first.</summary>
    public async Task<IReadOnlyList<LedgerRow>> RecentAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = _database.Open();
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT request_id, ts_ms, key_id, route, deployment, model, attempts, status, http_status, error, stream,
                   prompt_tokens, completion_tokens, cost_usd, saved_usd, latency_ms, ttft_ms, decision
            FROM requests ORDER BY id DESC LIMIT $limit;
            """;
        query.Parameters.AddWithValue("$limit", limit);
        var rows = new List<LedgerRow>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new LedgerRow
            {
                RequestId = reader.GetString(0),
                TimestampMs = reader.GetInt64(1),
                KeyId = reader.IsDBNull(2) ? null : reader.GetString(2),
                Route = reader.GetString(3),
                Deployment = reader.IsDBNull(4) ? null : reader.GetString(4),
                Model = reader.IsDBNull(5) ? null : reader.GetString(5),
                Attempts = reader.GetString(6),
                Status = reader.GetString(7),
                HttpStatus = reader.GetInt32(8),
                Error = reader.IsDBNull(9) ? null : reader.GetString(9),
                Stream = reader.GetInt32(10) != 0,
                PromptTokens = reader.GetInt32(11),
                CompletionTokens = reader.GetInt32(12),
                CostUsd = reader.GetDouble(13),
                SavedUsd = reader.GetDouble(14),
                LatencyMs = reader.GetDouble(15),
                TtftMs = reader.IsDBNull(16) ? null : reader.GetDouble(16),
                Decision = reader.IsDBNull(17) ? null : reader.GetString(17),
            });
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer.IsValueCreated)
            await _writer.Value.ConfigureAwait(false);
        _insert?.Connection?.Dispose();
        _insert?.Dispose();
    }
}
