using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Usage;

/// <summary>
/// The gateway's SQLite file (usage ledger and virtual keys), opened on first use in WAL mode with
/// <c>synchronous=NORMAL</c>: a committed row survives the process being killed, and readers never block the writer.
/// <code>
/// requests(id, request_id, ts_ms, key_id, route, deployment, model, attempts, status, http_status, error, stream,
///          prompt_tokens, completion_tokens, cost_usd, saved_usd, latency_ms, ttft_ms, decision)
/// keys(id, name, hash, prefix, models, budget_usd, budget_period, rpm, tpm, local_only, created_ms, revoked_ms)
/// ledger_journal(instance, last_seq)   how far each live or killed process's usage journal reached the requests table
/// </code>
/// </summary>
internal sealed class GatewayDatabase(GatewayConfigStore store, IOptions<GatewayOptions> options) : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            request_id TEXT NOT NULL,
            ts_ms INTEGER NOT NULL,
            key_id TEXT,
            route TEXT NOT NULL,
            deployment TEXT,
            model TEXT,
            attempts TEXT NOT NULL,
            status TEXT NOT NULL,
            http_status INTEGER NOT NULL,
            error TEXT,
            stream INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            saved_usd REAL NOT NULL,
            latency_ms REAL NOT NULL,
            ttft_ms REAL,
            decision TEXT);
        CREATE INDEX IF NOT EXISTS requests_key_ts ON requests(key_id, ts_ms);
        CREATE TABLE IF NOT EXISTS keys (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            models TEXT,
            budget_usd REAL,
            budget_period TEXT,
            rpm INTEGER,
            tpm INTEGER,
            local_only INTEGER NOT NULL,
            created_ms INTEGER NOT NULL,
            revoked_ms INTEGER);
        CREATE TABLE IF NOT EXISTS ledger_journal (
            instance TEXT PRIMARY KEY,
            last_seq INTEGER NOT NULL);
        """;

    private readonly Lock _lock = new();
    private string? _connectionString;
    private SqliteConnection? _keepAlive;

    /// <summary>The database file in use (after the first <see cref="Open"/>).</summary>
    public string? FilePath { get; private set; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString ?? Initialize());
        connection.Open();
        using var pragma = connection.CreateCommand();
        // synchronous is per connection: NORMAL in WAL mode survives the process being killed without an fsync per commit.
        pragma.CommandText = "PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private string Initialize()
    {
        lock (_lock)
        {
            if (_connectionString is not null)
                return _connectionString;
            var runtime = store.Current;
            var configured = runtime.Config.Usage.Database;
            string connectionString;
            if (configured == ":memory:")
            {
                connectionString = $"Data Source=mote-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
                FilePath = ":memory:";
            }
            else
            {
                var path = configured is null
                    ? Path.Combine(options.Value.DataDirectory ?? runtime.BaseDirectory, "mote-usage.db")
                    : Path.IsPathRooted(configured) ? configured : Path.Combine(runtime.BaseDirectory, configured);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                FilePath = path;
                connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
            }

            // An in-memory database lives as long as one connection to it; this one also creates the schema.
            _keepAlive = new SqliteConnection(connectionString);
            _keepAlive.Open();
            using var command = _keepAlive.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;" + Schema;
            command.ExecuteNonQuery();
            _connectionString = connectionString;
            return connectionString;
        }
    }

    public void Dispose() => _keepAlive?.Dispose();
}
