namespace Mote.Tokenizers;

/// <summary>
/// The bytes each token renders as, for every id, in one buffer (a <c>byte[]</c> per token cost 24 bytes of object
/// header on pieces that average under ten bytes), and which pieces only render when special tokens are shown.
/// Filled once in id order by the vocabulary's piece rules; read-only afterwards.
/// </summary>
internal sealed class PieceTable
{
    private byte[] _bytes;
    private readonly int[] _starts; // piece id is _bytes[_starts[id].._starts[id + 1]]
    private readonly bool[] _hidden;
    private int _count;

    public PieceTable(int count)
    {
        _bytes = new byte[Math.Max(16, count * 8)];
        _starts = new int[count + 1];
        _hidden = new bool[count];
    }

    public int Count => _hidden.Length;

    /// <summary>Appends the next id's piece; <paramref name="hidden"/>: empty unless special tokens are shown.</summary>
    public void Add(ReadOnlySpan<byte> piece, bool hidden)
    {
        var start = _starts[_count];
        if (start + piece.Length > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, start + piece.Length));
        piece.CopyTo(_bytes.AsSpan(start));
        _hidden[_count] = hidden;
        _starts[++_count] = start + piece.Length;
        if (_count == Count)
            Array.Resize(ref _bytes, _starts[_count]); // the last piece: give back the growth room
    }

    /// <summary>The bytes of <paramref name="id"/>; empty for hidden pieces unless <paramref name="special"/>.</summary>
    public ReadOnlySpan<byte> Get(int id, bool special)
    {
        if ((uint)id >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id is outside the vocabulary of {Count} tokens.");
        return !special && _hidden[id] ? [] : _bytes.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);
    }
}
