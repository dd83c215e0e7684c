using System.Collections.Concurrent;
using System.Collections.Frozen;
using Mote.Gateway.Configuration;

namespace Mote.Gateway.Keys;

/// <summary>
/// Authenticates bearer keys and manages virtual keys. Keys are looked up by SHA-256 hash in an in-memory index
/// built from the configuration file (master key, declared keys) and the database (keys made through the admin API);
/// the index is rebuilt when the configuration reloads or a key is created or revoked.
/// <para>
/// Hashing costs an OpenSSL call per request (~1% of the gateway's CPU under load), so each index remembers the
/// tokens that authenticated against it, up to <see cref="MaxRemembered"/>; a rebuilt index (reload, new or revoked
/// key) starts empty, so a remembered token never outlives its key. Tokens that match no key are never remembered.
/// </para>
/// </summary>
public sealed class KeyService
{
    /// <summary>Most tokens an index remembers; beyond it further tokens are hashed on every request.</summary>
    internal const int MaxRemembered = 1024;

    private readonly GatewayConfigStore _store;
    private readonly KeyStore _keys;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private volatile Index? _index;

    internal KeyService(GatewayConfigStore store, KeyStore keys, TimeProvider time)
    {
        _store = store;
        _keys = keys;
        _time = time;
    }

    /// <summary>True when <c>/v1/*</c> needs a bearer key: a master key or any virtual key exists.</summary>
    public bool AuthenticationRequired => Current.Required;

    /// <summary>True when a master key is configured (the admin API is enabled).</summary>
    public bool AdminEnabled => Current.MasterHash is not null;

    /// <summary>The key's principal, or null when the token matches no active key.</summary>
    public KeyPrincipal? Authenticate(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return null;
        var index = Current;
        if (index.Remembered.TryGetValue(token, out var remembered))
            return remembered;
        var hash = KeyHasher.Hash(token);
        var principal = index.MasterHash == hash ? KeyPrincipal.Master
            : index.ByHash.TryGetValue(hash, out var key) && key.RevokedAt is null ? key
            : null;
        if (principal is not null && index.Remembered.Count < MaxRemembered)
            index.Remembered.TryAdd(token, principal);
        return principal;
    }

    /// <summary>Tests: how many tokens the current index remembers.</summary>
    internal int RememberedTokens => Current.Remembered.Count;

    /// <summary>True for the master key.</summary>
    public bool IsMaster(string? token) =>
        !string.IsNullOrEmpty(token) && Current.MasterHash is { } master && KeyHasher.Hash(token) == master;

    /// <summary>Creates a virtual key; the returned secret is shown once and never stored.</summary>
    public (string Secret, KeyPrincipal Key) Create(VirtualKeySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.BudgetPeriod is { } period && !ConfigRules.BudgetPeriods.Contains(period))
            throw GatewayErrors.InvalidRequest($"budget_period must be one of {string.Join(", ", ConfigRules.BudgetPeriods)}.", "budget_period");
        if (spec.BudgetUsd is < 0 || spec.Rpm is <= 0 || spec.Tpm is <= 0)
            throw GatewayErrors.InvalidRequest("budget_usd must not be negative; rpm and tpm must be positive.");
        var secret = KeyHasher.NewKey();
        var key = new KeyPrincipal
        {
            Id = "key_" + Guid.NewGuid().ToString("N")[..16],
            Name = string.IsNullOrWhiteSpace(spec.Name) ? "unnamed" : spec.Name,
            Prefix = KeyHasher.Prefix(secret),
            Models = spec.Models is { Count: > 0 } models ? models.ToHashSet(StringComparer.Ordinal) : null,
            BudgetUsd = spec.BudgetUsd,
            BudgetPeriod = spec.BudgetPeriod ?? "monthly",
            Rpm = spec.Rpm,
            Tpm = spec.Tpm,
            LocalOnly = spec.LocalOnly,
            CreatedAt = _time.GetUtcNow(),
        };
        lock (_lock)
        {
            _keys.Insert(KeyHasher.Hash(secret), key);
            _index = null;
        }
        return (secret, key);
    }

    /// <summary>Every key (declared and created), including revoked ones.</summary>
    public IReadOnlyList<KeyPrincipal> List() => Current.All;

    public KeyPrincipal? Find(string id) => Current.All.FirstOrDefault(k => k.Id == id);

    /// <summary>Revokes a key made through the admin API; false when there is no such active key.</summary>
    public bool Revoke(string id)
    {
        lock (_lock)
        {
            var revoked = _keys.Revoke(id, _time.GetUtcNow());
            _index = null;
            return revoked;
        }
    }

    private Index Current
    {
        get
        {
            var version = _store.Version;
            var index = _index;
            if (index is not null && index.Version == version)
                return index;
            lock (_lock)
            {
                index = _index;
                if (index is null || index.Version != version)
                    _index = index = Build(version);
                return index;
            }
        }
    }

    private Index Build(int version)
    {
        var config = _store.Current.Config.Keys;
        var byHash = new Dictionary<string, KeyPrincipal>(StringComparer.Ordinal);
        var all = new List<KeyPrincipal>();
        foreach (var declared in config?.Virtual ?? [])
        {
            var text = declared.KeyEnv is { } env ? Environment.GetEnvironmentVariable(env) : null;
            var hash = declared.KeySha256?.ToLowerInvariant() ?? (text is null ? null : KeyHasher.Hash(text));
            if (hash is null)
                continue;
            var key = new KeyPrincipal
            {
                Id = "cfg_" + declared.Name,
                Name = declared.Name,
                Prefix = text is null ? null : KeyHasher.Prefix(text),
                Models = declared.Models is { Count: > 0 } models ? models.ToHashSet(StringComparer.Ordinal) : null,
                BudgetUsd = declared.BudgetUsd,
                BudgetPeriod = declared.BudgetPeriod ?? "monthly",
                Rpm = declared.Rpm,
                Tpm = declared.Tpm,
                LocalOnly = declared.LocalOnly,
                FromConfig = true,
            };
            byHash[hash] = key;
            all.Add(key);
        }
        foreach (var (hash, key) in _keys.LoadAll())
        {
            byHash.TryAdd(hash, key);
            all.Add(key);
        }
        var masterText = config?.MasterKeyEnv is { } masterEnv ? Environment.GetEnvironmentVariable(masterEnv) : null;
        var masterHash = string.IsNullOrEmpty(masterText) ? null : KeyHasher.Hash(masterText);
        return new Index(version, byHash.ToFrozenDictionary(StringComparer.Ordinal), all, masterHash,
            Required: masterHash is not null || all.Count > 0, new ConcurrentDictionary<string, KeyPrincipal>(StringComparer.Ordinal));
    }

    /// <summary>The keys of one configuration version; <paramref name="Remembered"/> maps tokens that authenticated to their key.</summary>
    private sealed record Index(
        int Version, FrozenDictionary<string, KeyPrincipal> ByHash, List<KeyPrincipal> All, string? MasterHash, bool Required,
        ConcurrentDictionary<string, KeyPrincipal> Remembered);
}
