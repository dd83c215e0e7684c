using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Usage;

/// <summary>
/// Appends one row per request to SQLite with group commit: the caller that finds nobody writing becomes the writer
/// and commits every queued row (its own included) in one transaction, on its own thread; callers that arrive while
/// a commit runs queue their row and are released by the writer's next commit. <see cref="AppendAsync"/> completes
/// only after the row's transaction committed (WAL), so a response is never finished before its row is durable, yet
/// at one request at a time there is no hand-off to another thread and under load concurrent requests share commits.
/// <para>
/// The writer never checkpoints (<c>wal_autocheckpoint=0</c>): a commit only appends to the write-ahead log. Every
/// <see cref="CheckpointRows"/> rows it hands a PASSIVE checkpoint (copying the log into the database file and
/// letting the next commit restart the log) to a pool thread, so no request pays for one. A checkpoint only moves
/// rows that are already committed; durability is the commit's.
/// </para>
/// </summary>
internal sealed class UsageLedger : IAsyncDisposable
{
    private const int MaxBatch = 256;

    /// <summary>Rows committed between two background checkpoints by default (a few log pages each).</summary>
    internal const int DefaultCheckpointRows = 256;

    /// <summary>The write-ahead log is cut back to this size when it restarts after a checkpoint.</summary>
    private const long WalSizeLimit = 16L << 20;

    private readonly GatewayDatabase _database;
    private readonly ILogger<UsageLedger> _logger;
    private readonly GatewayConfigStore _store;
    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly List<Pending> _batch = new(MaxBatch);
    private int _writing;
    private volatile bool _disposed;
    private int _disposeCalls;
    private SqliteCommand? _insert;
    private int _rowsSinceCheckpoint; // writer role only
    private int _checkpointing;
    private SqliteCommand? _checkpoint; // checkpoint role only

    /// <summary>Rows committed between two background checkpoints (tests change it).</summary>
    internal int CheckpointRows { get; set; } = DefaultCheckpointRows;

    public UsageLedger(GatewayDatabase database, GatewayConfigStore store, ILogger<UsageLedger> logger)
    {
        _database = database;
        _store = store;
        _logger = logger;
    }

    public Task AppendAsync(LedgerRow row)
    {
        if (!_store.Current.Config.Usage.Enabled || _disposed)
            return Task.CompletedTask;
        var pending = new Pending(row);
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
            WriteQueued();
        else if (_disposed)
            pending.Done.TrySetResult(); // appended during shutdown: nobody will write it
        return pending.Done.Task;
    }

    /// <summary>Commits the queue while this thread holds the writer role, then gives the role back.</summary>
    private void WriteQueued()
    {
        while (true)
        {
            while (true)
            {
                while (_batch.Count < MaxBatch && _queue.TryDequeue(out var item))
                    _batch.Add(item);
                if (_batch.Count == 0)
                    break;
                WriteBatch();
            }
            // A full fence (not a release store): the queue must be read after the role is visibly given back, or a
            // row queued meanwhile by a caller that saw the role taken would wait forever.
            Interlocked.Exchange(ref _writing, 0);
            // A row queued after the last dequeue but before the release saw the role taken: take it back for it.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
                return;
        }
    }

    private void WriteBatch()
    {
        try
        {
            Write(_batch);
        }
        catch (Exception e)
        {
            // Whatever failed, the writer role and the waiting requests must be released, or every later request hangs.
            // Start over with a fresh connection next time.
            _insert?.Connection?.Dispose();
            _insert?.Dispose();
            _insert = null;
            // A ledger failure must not fail the answer the client already has; it is logged loudly instead.
            GatewayLog.LedgerWriteFailed(_logger, e, _batch.Count);
        }
        // Continuations run elsewhere (RunContinuationsAsynchronously): the writer goes on with the next batch.
        foreach (var item in _batch)
            item.Done.TrySetResult();
        _batch.Clear();
    }

    private void Write(List<Pending> batch)
    {
        // One connection and one prepared statement for the ledger's lifetime: per-batch cost is the commit alone.
        var insert = _insert ??= PrepareInsert();
        using var transaction = insert.Connection!.BeginTransaction();
        insert.Transaction = transaction;
        var parameters = insert.Parameters;
        foreach (var item in batch)
        {
            var row = item.Row;
            parameters[0].Value = row.RequestId;
            parameters[1].Value = row.TimestampMs;
            parameters[2].Value = (object?)row.KeyId ?? DBNull.Value;
            parameters[3].Value = row.Route;
            parameters[4].Value = (object?)row.Deployment ?? DBNull.Value;
            parameters[5].Value = (object?)row.Model ?? DBNull.Value;
            parameters[6].Value = row.Attempts;
            parameters[7].Value = row.Status;
            parameters[8].Value = row.HttpStatus;
            parameters[9].Value = (object?)row.Error ?? DBNull.Value;
            parameters[10].Value = row.Stream ? 1 : 0;
            parameters[11].Value = row.PromptTokens;
            parameters[12].Value = row.CompletionTokens;
            parameters[13].Value = row.CostUsd;
            parameters[14].Value = row.SavedUsd;
            parameters[15].Value = row.LatencyMs;
            parameters[16].Value = (object?)row.TtftMs ?? DBNull.Value;
            parameters[17].Value = (object?)row.Decision ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        _rowsSinceCheckpoint += batch.Count;
        if (_rowsSinceCheckpoint >= CheckpointRows && Interlocked.CompareExchange(ref _checkpointing, 1, 0) == 0)
        {
            _rowsSinceCheckpoint = 0;
            ThreadPool.UnsafeQueueUserWorkItem(static ledger => ledger.CheckpointInBackground(), this, preferLocal: false);
        }
    }

    private void CheckpointInBackground()
    {
        try
        {
            if (!_disposed)
                Checkpoint();
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    /// <summary>
    /// One PASSIVE checkpoint on the checkpoint connection (never blocks the writer); returns SQLite's
    /// <c>(busy, log frames, checkpointed frames)</c>, or null when it failed. The caller holds the checkpoint role.
    /// </summary>
    private (int Busy, int LogFrames, int Checkpointed)? Checkpoint()
    {
        try
        {
            if (_checkpoint is null)
            {
                var connection = _database.Open();
                _checkpoint = connection.CreateCommand();
                _checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            }
            using var reader = _checkpoint.ExecuteReader();
            reader.Read();
            return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
        }
        catch (SqliteException e)
        {
            _checkpoint?.Connection?.Dispose();
            _checkpoint?.Dispose();
            _checkpoint = null;
            GatewayLog.LedgerCheckpointFailed(_logger, e);
            return null;
        }
    }

    /// <summary>Tests: runs a checkpoint now, waiting for one in progress; null when it failed.</summary>
    internal (int Busy, int LogFrames, int Checkpointed)? CheckpointNow()
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _checkpointing, 1, 0) != 0)
            spin.SpinOnce();
        try
        {
            return Checkpoint();
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    private SqliteCommand PrepareInsert()
    {
        var connection = _database.Open();
        using (var pragma = connection.CreateCommand())
        {
            // Checkpoints run in the background (see the class comment), never inside a request's commit.
            pragma.CommandText = $"PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit={WalSizeLimit};";
            pragma.ExecuteNonQuery();
        }
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

    /// <summary>Writes what is queued and closes the connection; called when the host stops and again by the container.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeCalls, 1) != 0)
            return ValueTask.CompletedTask;
        _disposed = true;
        // Wait for a commit in progress, then write what is left and keep the writer role for good.
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
            spin.SpinOnce();
        while (_queue.TryDequeue(out var item))
        {
            _batch.Add(item);
            if (_batch.Count == MaxBatch)
                WriteBatch();
        }
        if (_batch.Count > 0)
            WriteBatch();
        _insert?.Connection?.Dispose();
        _insert?.Dispose();
        // Wait for a background checkpoint and keep that role too; the log is left for the next start (or the last
        // connection's close) to fold in.
        spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _checkpointing, 1, 0) != 0)
            spin.SpinOnce();
        _checkpoint?.Connection?.Dispose();
        _checkpoint?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A queued row and the task its request awaits.</summary>
    private sealed class Pending(LedgerRow row)
    {
        public LedgerRow Row { get; } = row;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
