using Microsoft.Data.Sqlite;
using Mote.Gateway.Usage;

namespace Mote.Gateway.Keys;

/// <summary>Virtual keys created through the admin API, persisted (hashed) in the gateway database.</summary>
internal sealed class KeyStore(GatewayDatabase database)
{
    public List<(string Hash, KeyPrincipal Key)> LoadAll()
    {
        using var connection = database.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT id, name, hash, prefix, models, budget_usd, budget_period, rpm, tpm, local_only, created_ms, revoked_ms FROM keys ORDER BY created_ms;";
        using var reader = query.ExecuteReader();
        var keys = new List<(string, KeyPrincipal)>();
        while (reader.Read())
        {
            var models = reader.IsDBNull(4) ? null : reader.GetString(4);
            keys.Add((reader.GetString(2), new KeyPrincipal
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                Prefix = reader.GetString(3),
                Models = string.IsNullOrEmpty(models) ? null : models.Split('\n').ToHashSet(StringComparer.Ordinal),
                BudgetUsd = reader.IsDBNull(5) ? null : reader.GetDouble(5),
                BudgetPeriod = reader.IsDBNull(6) ? "monthly" : reader.GetString(6),
                Rpm = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                Tpm = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                LocalOnly = reader.GetInt32(9) != 0,
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
                RevokedAt = reader.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)),
            }));
        }
        return keys;
    }

    public void Insert(string hash, KeyPrincipal key)
    {
        using var connection = database.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO keys (id, name, hash, prefix, models, budget_usd, budget_period, rpm, tpm, local_only, created_ms)
            VALUES ($id, $name, $hash, $prefix, $models, $budget, $period, $rpm, $tpm, $local, $created);
            """;
        insert.Parameters.AddWithValue("$id", key.Id);
        insert.Parameters.AddWithValue("$name", key.Name);
        insert.Parameters.AddWithValue("$hash", hash);
        insert.Parameters.AddWithValue("$prefix", key.Prefix ?? "");
        insert.Parameters.AddWithValue("$models", key.Models is null ? DBNull.Value : string.Join('\n', key.Models));
        insert.Parameters.AddWithValue("$budget", (object?)key.BudgetUsd ?? DBNull.Value);
        insert.Parameters.AddWithValue("$period", key.BudgetPeriod);
        insert.Parameters.AddWithValue("$rpm", (object?)key.Rpm ?? DBNull.Value);
        insert.Parameters.AddWithValue("$tpm", (object?)key.Tpm ?? DBNull.Value);
        insert.Parameters.AddWithValue("$local", key.LocalOnly ? 1 : 0);
        insert.Parameters.AddWithValue("$created", key.CreatedAt!.Value.ToUnixTimeMilliseconds());
        insert.ExecuteNonQuery();
    }

    public bool Revoke(string id, DateTimeOffset at)
    {
        using var connection = database.Open();
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE keys SET revoked_ms = $at WHERE id = $id AND revoked_ms IS NULL;";
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return update.ExecuteNonQuery() == 1;
    }

    internal static bool IsConstraintViolation(SqliteException e) => e.SqliteErrorCode == 19;
}
