using System.Text;

namespace Mote.Tokenizers;

/// <summary>
/// What each token of a byte-level BPE vocabulary renders as (llama.cpp's <c>token_to_piece</c> and its
/// <c>cache_token_to_piece</c>): normal tokens decoded from the byte-level alphabet, user-defined tokens as their
/// text, control and unknown tokens as their text only when special tokens are shown, anything else as nothing.
/// Built once; the arrays are never handed out for writing.
/// </summary>
internal sealed class BpeTokenizerPieces
{
    private readonly byte[][] _pieces;   // rendering with special = true
    private readonly bool[] _hidden;     // rendered empty when special = false

    public BpeTokenizerPieces(Vocabulary vocabulary)
    {
        _pieces = new byte[vocabulary.Count][];
        _hidden = new bool[vocabulary.Count];
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var text = vocabulary.Tokens[id];
            var type = vocabulary.TypeOf(id);
            _pieces[id] = type switch
            {
                TokenType.Normal => ByteLevel.Decode(text),
                TokenType.UserDefined or TokenType.Control or TokenType.Unknown => Encoding.UTF8.GetBytes(text),
                _ => [], // unused, byte and undefined tokens: llama.cpp renders nothing for BPE
            };
            _hidden[id] = type is TokenType.Control or TokenType.Unknown;
        }
    }

    public ReadOnlySpan<byte> Get(int id, bool special)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _pieces.Length);
        return !special && _hidden[id] ? [] : _pieces[id];
    }
}
