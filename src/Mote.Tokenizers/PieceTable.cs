namespace Mote.Tokenizers;

/// <summary>
/// The bytes each token renders as, for every id, in one buffer (<see cref="PackedRuns{T}"/>: a <c>byte[]</c> per
/// token cost 24 bytes of object header on pieces that average under ten bytes), and which pieces only render when
/// special tokens are shown.
/// Filled once in id order by the vocabulary's piece rules; read-only afterwards.
/// </summary>
internal sealed class PieceTable
{
    private readonly PackedRuns<byte> _pieces;
    private readonly bool[] _hidden;

    public PieceTable(int count)
    {
        _pieces = new PackedRuns<byte>(count, typicalLength: 8);
        _hidden = new bool[count];
    }

    public int Count => _pieces.Count;

    /// <summary>Appends the next id's piece; <paramref name="hidden"/>: empty unless special tokens are shown.</summary>
    public void Add(ReadOnlySpan<byte> piece, bool hidden)
    {
        _hidden[_pieces.Added] = hidden;
        _pieces.Add(piece);
    }

    /// <summary>The bytes of <paramref name="id"/>; empty for hidden pieces unless <paramref name="special"/>.</summary>
    public ReadOnlySpan<byte> Get(int id, bool special)
    {
        if ((uint)id >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id is outside the vocabulary of {Count} tokens.");
        return !special && _hidden[id] ? [] : _pieces[id];
    }
}
