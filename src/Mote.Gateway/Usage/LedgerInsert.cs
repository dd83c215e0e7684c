using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Mote.Gateway.Usage;

/// <summary>
/// The ledger's prepared <c>INSERT INTO requests</c>, bound by position through SQLite's own API. Through
/// <see cref="SqliteCommand"/> every row looked up its 18 parameters by name and boxed their values, which cost more
/// than SQLite's insert itself (~1.5% of the gateway's CPU under load, on the import). Runs inside the caller's
/// transaction on the connection it was prepared on; not thread-safe (the ledger's import lock guards it).
/// </summary>
internal sealed class LedgerInsert : IDisposable
{
    private const string Sql = """
        INSERT INTO requests (request_id, ts_ms, key_id, route, deployment, model, attempts, status, http_status, error,
            stream, prompt_tokens, completion_tokens, cost_usd, saved_usd, latency_ms, ttft_ms, decision)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18);
        """;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public LedgerInsert(SqliteConnection connection)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, Sql, out _statement));
    }

    /// <summary>Inserts one row.</summary>
    public void Insert(LedgerRow row)
    {
        try
        {
            Text(1, row.RequestId);
            Check(raw.sqlite3_bind_int64(_statement, 2, row.TimestampMs));
            Text(3, row.KeyId);
            Text(4, row.Route);
            Text(5, row.Deployment);
            Text(6, row.Model);
            Text(7, row.Attempts);
            Text(8, row.Status);
            Check(raw.sqlite3_bind_int(_statement, 9, row.HttpStatus));
            Text(10, row.Error);
            Check(raw.sqlite3_bind_int(_statement, 11, row.Stream ? 1 : 0));
            Check(raw.sqlite3_bind_int(_statement, 12, row.PromptTokens));
            Check(raw.sqlite3_bind_int(_statement, 13, row.CompletionTokens));
            Check(raw.sqlite3_bind_double(_statement, 14, row.CostUsd));
            Check(raw.sqlite3_bind_double(_statement, 15, row.SavedUsd));
            Check(raw.sqlite3_bind_double(_statement, 16, row.LatencyMs));
            Check(row.TtftMs is { } ttft ? raw.sqlite3_bind_double(_statement, 17, ttft) : raw.sqlite3_bind_null(_statement, 17));
            Text(18, row.Decision);
            var done = raw.sqlite3_step(_statement);
            if (done != raw.SQLITE_DONE)
                Check(done);
        }
        finally
        {
            // A statement left active would keep the transaction from committing.
            raw.sqlite3_reset(_statement);
        }
    }

    private void Text(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);

    /// <summary>Finalizes the statement; before the connection closes.</summary>
    public void Dispose() => _statement.Dispose();
}
