namespace Mote.Tokenizers;

/// <summary>
/// One run of values per id (a token's text, its rendered bytes) in a single buffer with their offsets, added in id
/// order: an array per id costs an object header each, more than most tokens' runs. The buffer grows while filling
/// and is trimmed to size with the last run; read-only afterwards.
/// </summary>
internal sealed class PackedRuns<T> where T : unmanaged
{
    private T[] _values;
    private readonly int[] _starts; // run id is _values[_starts[id].._starts[id + 1]]

    /// <param name="count">Runs to hold.</param>
    /// <param name="typicalLength">A guess at a run's length, for the first buffer.</param>
    public PackedRuns(int count, int typicalLength)
    {
        _values = new T[Math.Max(16, count * typicalLength)];
        _starts = new int[count + 1];
    }

    /// <summary>Runs the table holds once filled.</summary>
    public int Count => _starts.Length - 1;

    /// <summary>Runs added so far (the next run's id).</summary>
    public int Added { get; private set; }

    /// <summary>Run <paramref name="id"/>, which must have been added.</summary>
    public ReadOnlySpan<T> this[int id] => _values.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);

    /// <summary>Appends the next id's run; returns it as stored.</summary>
    public ReadOnlySpan<T> Add(ReadOnlySpan<T> run)
    {
        var start = _starts[Added];
        if (start + run.Length > _values.Length)
            Array.Resize(ref _values, Math.Max(_values.Length * 2, start + run.Length));
        run.CopyTo(_values.AsSpan(start));
        _starts[++Added] = start + run.Length;
        if (Added == Count)
            Array.Resize(ref _values, _starts[Added]); // the last run: give back the growth room
        return this[Added - 1];
    }
}
