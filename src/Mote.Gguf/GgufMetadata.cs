using System.Diagnostics.CodeAnalysis;

namespace Mote.Gguf;

/// <summary>
/// The key/value metadata of a GGUF file, in file order (order matters for byte-exact rewriting) with lookup
/// by key. Typed getters throw <see cref="KeyNotFoundException"/> or <see cref="InvalidOperationException"/>
/// naming the key; the <c>TryGet</c> forms return false for a missing key.
/// </summary>
public sealed class GgufMetadata
{
    private readonly List<KeyValuePair<string, GgufValue>> _entries = [];
    private readonly Dictionary<string, GgufValue> _byKey = new(StringComparer.Ordinal);

    /// <summary>Entries in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Entries => _entries;

    public int Count => _entries.Count;

    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    public GgufValue this[string key] =>
        _byKey.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"GGUF metadata key '{key}' is missing.");

    public bool TryGetValue(string key, [NotNullWhen(true)] out GgufValue? value) => _byKey.TryGetValue(key, out value);

    /// <summary>Adds a key, or replaces its value in place (keeping its position).</summary>
    public void Set(string key, GgufValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_byKey.ContainsKey(key))
        {
            var index = _entries.FindIndex(e => e.Key == key);
            _entries[index] = new(key, value);
        }
        else
        {
            _entries.Add(new(key, value));
        }
        _byKey[key] = value;
    }

    public bool Remove(string key)
    {
        if (!_byKey.Remove(key))
            return false;
        _entries.RemoveAt(_entries.FindIndex(e => e.Key == key));
        return true;
    }

    internal bool TryAdd(string key, GgufValue value)
    {
        if (!_byKey.TryAdd(key, value))
            return false;
        _entries.Add(new(key, value));
        return true;
    }

    public string GetString(string key) => Typed(key, v => v.AsString());

    public long GetInt64(string key) => Typed(key, v => v.AsInt64());

    public double GetDouble(string key) => Typed(key, v => v.AsDouble());

    public bool GetBool(string key) => Typed(key, v => v.AsBool());

    public T[] GetArray<T>(string key) => Typed(key, v => v.AsArray<T>());

    /// <summary>An array of strings without decoding its elements (see <see cref="GgufStringArray"/>).</summary>
    public GgufStringArray GetStrings(string key) => Typed(key, v => v.AsStrings());

    public GgufStringArray? TryGetStrings(string key) => TryGetValue(key, out var v) ? Typed(key, _ => v.AsStrings()) : null;

    public string? TryGetString(string key) => TryGetValue(key, out var v) ? Typed(key, _ => v.AsString()) : null;

    public long? TryGetInt64(string key) => TryGetValue(key, out var v) ? Typed(key, _ => v.AsInt64()) : null;

    public double? TryGetDouble(string key) => TryGetValue(key, out var v) ? Typed(key, _ => v.AsDouble()) : null;

    public bool? TryGetBool(string key) => TryGetValue(key, out var v) ? Typed(key, _ => v.AsBool()) : null;

    public T[]? TryGetArray<T>(string key) => TryGetValue(key, out var v) ? Typed(key, _ => v.AsArray<T>()) : null;

    private T Typed<T>(string key, Func<GgufValue, T> convert)
    {
        var value = this[key];
        try
        {
            return convert(value);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"GGUF metadata key '{key}': {e.Message}", e);
        }
    }
}
