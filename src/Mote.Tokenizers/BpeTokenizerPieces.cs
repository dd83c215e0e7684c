using System.Text;

namespace Mote.Tokenizers;

/// <summary>
/// What each token of a byte-level BPE vocabulary renders as (llama.cpp's <c>token_to_piece</c> and its
/// <c>cache_token_to_piece</c>): normal tokens decoded from the byte-level alphabet, user-defined tokens as their
/// text, control and unknown tokens as their text only when special tokens are shown, anything else as nothing.
/// Built once; read-only afterwards.
/// </summary>
internal sealed class BpeTokenizerPieces
{
    private readonly PieceTable _pieces;

    public BpeTokenizerPieces(Vocabulary vocabulary)
    {
        _pieces = new PieceTable(vocabulary.Count);
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var text = vocabulary.Tokens[id];
            var type = vocabulary.TypeOf(id);
            var piece = type switch
            {
                TokenType.Normal => ByteLevel.Decode(text),
                TokenType.UserDefined or TokenType.Control or TokenType.Unknown => Encoding.UTF8.GetBytes(text),
                _ => [], // unused, byte and undefined tokens: llama.cpp renders nothing for BPE
            };
            _pieces.Add(piece, hidden: type is TokenType.Control or TokenType.Unknown);
        }
    }

    public ReadOnlySpan<byte> Get(int id, bool special) => _pieces.Get(id, special);
}
