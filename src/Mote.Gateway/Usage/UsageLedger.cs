using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Usage;

/// <summary>
/// The usage ledger: one row per request, in SQLite. A request's row is made durable on the request path by one
/// append to this process's <see cref="UsageJournal"/> (a single <c>write</c> into the page cache: it survives the
/// process being killed) before <see cref="AppendAsync"/> returns, so no answer completes before its row is safe.
/// A background import moves the journal's rows into SQLite, many per transaction, at most
/// <see cref="ImportDelay"/> after they were written; readers of this ledger import what is pending first, so they
/// see every row. The import records how far it got in each journal (<c>ledger_journal</c>) in the same
/// transaction as the rows, and the next start imports what a killed process left exactly once.
/// <para>
/// SQLite's own checkpoints run on the import, never on a request; an in-memory database has no journal.
/// </para>
/// </summary>
internal sealed class UsageLedger : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    /// <summary>The write-ahead log is cut back to this size when it restarts after a checkpoint.</summary>
    private const long WalSizeLimit = 16L << 20;

    /// <summary>After a failed import, the rows wait this long for the next try.</summary>
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromSeconds(1);

    private readonly GatewayDatabase _database;
    private readonly ILogger<UsageLedger> _logger;
    private readonly GatewayConfigStore _store;

    // Appends: _appendLock guards the journal, the sequence, the pending rows and the import schedule.
    private readonly Lock _appendLock = new();
    private readonly Timer _importTimer;
    private UsageJournal? _journal;
    private byte[] _record = new byte[1024];
    private long _seq;
    private List<Pending> _pending = [];
    private bool _importScheduled;
    private volatile bool _started;
    private bool _closed;

    // Imports: _importLock guards the connection and the batch; only one import runs at a time.
    private readonly Lock _importLock = new();
    private List<Pending> _importing = [];
    private SqliteConnection? _connection;
    private LedgerInsert? _insert;
    private SqliteCommand? _progress;
    private int _disposeCalls;

    public UsageLedger(GatewayDatabase database, GatewayConfigStore store, ILogger<UsageLedger> logger)
    {
        _database = database;
        _store = store;
        _logger = logger;
        _importTimer = new Timer(static state => ((UsageLedger)state!).ImportPending(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>How long a written row may wait for the background import (tests change it).</summary>
    internal TimeSpan ImportDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Tests: the segment size of the journal this ledger starts.</summary>
    internal long JournalSegmentBytes { get; set; } = UsageJournal.DefaultSegmentBytes;

    /// <summary>The instance name of this process's journal, null before the first row or without a journal.</summary>
    internal string? JournalInstance => _journal?.Instance;

    /// <summary>
    /// Records a finished request. When this returns the row is in the journal (page cache), so it survives the
    /// process being killed; the import into SQLite follows in the background.
    /// </summary>
    public Task AppendAsync(LedgerRow row)
    {
        if (!_store.Current.Config.Usage.Enabled)
            return Task.CompletedTask;
        if (!_started)
            Start();
        lock (_appendLock)
        {
            if (_closed)
                return Task.CompletedTask; // appended during shutdown: nobody will write it
            var seq = ++_seq;
            if (_journal is not null)
            {
                var size = LedgerRecord.Size(row);
                if (size > _record.Length)
                    _record = new byte[Math.Max(size, _record.Length * 2)];
                var written = LedgerRecord.Write(seq, row, _record);
                _journal.Append(_record.AsSpan(0, written), seq);
            }
            _pending.Add(new Pending(seq, row));
            if (!_importScheduled)
            {
                _importScheduled = true;
                _importTimer.Change(ImportDelay, Timeout.InfiniteTimeSpan);
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Opens the database, imports what killed processes left in their journals, and starts this process's journal.
    /// Runs once, on the host's start or the first row.
    /// </summary>
    public void Start()
    {
        lock (_importLock)
        {
            if (_started)
                return;
            try
            {
                _database.Open().Dispose();
                if (_database.FilePath is { } path && path != ":memory:")
                {
                    Recover(path);
                    lock (_appendLock)
                        _journal = UsageJournal.Create(path, JournalSegmentBytes);
                }
            }
            catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
            {
                // Without a journal the rows still reach the database, only not before their answers complete.
                GatewayLog.LedgerJournalFailed(_logger, e);
            }
            _started = true;
        }
    }

    /// <summary>Imports every row appended so far into SQLite (readers call it first, so that they see them all).</summary>
    public void Flush()
    {
        if (_started)
            ImportPending();
    }

    private void ImportPending()
    {
        lock (_importLock)
        {
            lock (_appendLock)
            {
                (_pending, _importing) = (_importing, _pending);
                _importScheduled = false;
                if (_importing.Count == 0)
                    return;
            }
            var instance = _journal?.Instance ?? "";
            try
            {
                for (var start = 0; start < _importing.Count; start += MaxBatch)
                    Write(instance, _importing, start, Math.Min(MaxBatch, _importing.Count - start));
                var imported = _importing[^1].Seq;
                _importing.Clear();
                lock (_appendLock)
                    _journal?.DeleteImported(imported);
            }
            catch (Exception e)
            {
                // Runs on a timer thread: whatever failed must not take the process down. The rows stay in the journal and in memory: put them back in front and try again later. Start over
                // with a fresh connection.
                DropConnection();
                GatewayLog.LedgerWriteFailed(_logger, e, _importing.Count);
                lock (_appendLock)
                {
                    _importing.AddRange(_pending);
                    (_pending, _importing) = (_importing, _pending);
                    _importing.Clear();
                    if (!_closed)
                    {
                        _importScheduled = true;
                        _importTimer.Change(s_retryDelay, Timeout.InfiniteTimeSpan);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Imports the rows of killed processes' journals that the database does not have yet, then deletes the journals.
    /// The caller holds the import lock.
    /// </summary>
    private void Recover(string databasePath)
    {
        foreach (var abandoned in UsageJournal.Abandoned(databasePath))
        {
            using (abandoned)
            {
                var done = ImportedSeq(abandoned.Instance);
                var batch = new List<Pending>(MaxBatch);
                foreach (var segment in abandoned.Segments)
                {
                    foreach (var (seq, row) in UsageJournal.Read(segment))
                    {
                        if (seq <= done)
                            continue;
                        batch.Add(new Pending(seq, row));
                        done = seq;
                        if (batch.Count == MaxBatch)
                        {
                            Write(abandoned.Instance, batch, 0, batch.Count);
                            batch.Clear();
                        }
                    }
                }
                if (batch.Count > 0)
                    Write(abandoned.Instance, batch, 0, batch.Count);
                // Segments first: while they exist, their progress row must too, or a crash here would import them twice.
                abandoned.DeleteSegments();
                Forget(abandoned.Instance);
                abandoned.DeleteLock();
            }
        }
    }

    /// <summary>Deletes a journal's progress row, once its segments are gone.</summary>
    private void Forget(string instance)
    {
        try
        {
            using var connection = _database.Open();
            using var forget = connection.CreateCommand();
            forget.CommandText = "DELETE FROM ledger_journal WHERE instance = $instance;";
            forget.Parameters.AddWithValue("$instance", instance);
            forget.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            // A leftover progress row names a journal that no longer exists: harmless.
            GatewayLog.LedgerJournalFailed(_logger, e);
        }
    }

    private long ImportedSeq(string instance)
    {
        using var connection = _database.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT last_seq FROM ledger_journal WHERE instance = $instance;";
        query.Parameters.AddWithValue("$instance", instance);
        return query.ExecuteScalar() is long seq ? seq : 0;
    }

    /// <summary>Inserts <paramref name="count"/> rows and the journal's progress in one transaction.</summary>
    private void Write(string instance, List<Pending> rows, int start, int count)
    {
        // One connection and prepared statements for the ledger's lifetime: per-batch cost is the inserts and one commit.
        if (_connection is null)
            Prepare();
        var insert = _insert!;
        var progress = _progress!;
        using var transaction = _connection!.BeginTransaction();
        progress.Transaction = transaction;
        for (var i = start; i < start + count; i++)
            insert.Insert(rows[i].Row);
        if (instance.Length > 0)
        {
            progress.Parameters[0].Value = instance;
            progress.Parameters[1].Value = rows[start + count - 1].Seq;
            progress.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private void Prepare()
    {
        var connection = _database.Open();
        SqliteCommand? progress = null;
        try
        {
            using (var pragma = connection.CreateCommand())
            {
                // SQLite checkpoints on this connection's commits (every 1000 log pages): on the import, off the requests.
                pragma.CommandText = $"PRAGMA journal_size_limit={WalSizeLimit};";
                pragma.ExecuteNonQuery();
            }
            progress = connection.CreateCommand();
            progress.CommandText = """
                INSERT INTO ledger_journal (instance, last_seq) VALUES ($instance, $seq)
                ON CONFLICT (instance) DO UPDATE SET last_seq = excluded.last_seq;
                """;
            progress.Parameters.Add(new SqliteParameter { ParameterName = "$instance", Value = DBNull.Value });
            progress.Parameters.Add(new SqliteParameter { ParameterName = "$seq", Value = DBNull.Value });
            progress.Prepare();
            _insert = new LedgerInsert(connection);
        }
        catch
        {
            progress?.Dispose();
            connection.Dispose();
            throw;
        }
        _progress = progress;
        _connection = connection;
    }

    private void DropConnection()
    {
        // Statements before their connection.
        _insert?.Dispose();
        _progress?.Dispose();
        _connection?.Dispose();
        _insert = null;
        _progress = null;
        _connection = null;
    }

    /// <summary>Spend since <paramref name="sinceMs"/> (Unix ms), for one key or (null) for everyone.</summary>
    public async Task<SpendSummary> SpendAsync(string? keyId, long sinceMs, CancellationToken cancellationToken = default)
    {
        Flush();
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
        Flush();
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

    /// <summary>
    /// Tests: stops like a killed process — nothing more is imported, the journal's files and lock are left as they
    /// are (the lock released, as the kernel does for a dead process).
    /// </summary>
    internal void Abandon()
    {
        Interlocked.Exchange(ref _disposeCalls, 1);
        lock (_importLock)
        {
            lock (_appendLock)
            {
                _closed = true;
                _pending.Clear();
                _journal?.Dispose();
            }
            _importTimer.Dispose();
            DropConnection();
        }
    }

    /// <summary>Imports what is pending, closes the connection and removes the journal; on the host's stop and by the container.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeCalls, 1) != 0)
            return ValueTask.CompletedTask;
        lock (_appendLock)
            _closed = true;
        _importTimer.Dispose();
        ImportPending();
        lock (_importLock)
        {
            lock (_appendLock)
            {
                // Every row is in the database unless the last import failed: then the journal stays for the next start.
                if (_pending.Count == 0 && _journal is not null)
                {
                    _journal.DeleteAll();
                    Forget(_journal.Instance);
                }
                else
                {
                    _journal?.Dispose();
                }
                _journal = null;
            }
            DropConnection();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>A row and its sequence number in this process's journal.</summary>
    private readonly record struct Pending(long Seq, LedgerRow Row);
}
