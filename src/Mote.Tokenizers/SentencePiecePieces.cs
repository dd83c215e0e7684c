using System.Globalization;
using System.Text;

namespace Mote.Tokenizers;

/// <summary>
/// The bytes of every token for vocabularies that write spaces as ▁ (U+2581) — SentencePiece and WordPiece, which
/// share llama.cpp's <c>token_to_piece</c> rules: normal tokens with ▁ turned back into spaces, byte tokens
/// <c>&lt;0xNN&gt;</c> as that one byte, control/unknown/user-defined tokens as their raw text, and unused or undefined
/// tokens as nothing. Control and unknown tokens render only when special tokens are asked for.
/// Computed once (llama.cpp's <c>cache_token_to_piece</c>) and read-only afterwards.
/// </summary>
internal sealed class SentencePiecePieces
{
    private readonly PieceTable _pieces;

    public SentencePiecePieces(Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _pieces = new PieceTable(vocabulary.Count);
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var text = vocabulary.Tokens[id];
            var type = vocabulary.TypeOf(id);
            var piece = type switch
            {
                TokenType.Control or TokenType.Unknown or TokenType.UserDefined => Encoding.UTF8.GetBytes(text),
                TokenType.Normal => Encoding.UTF8.GetBytes(text.Replace('\u2581', ' ')),
                TokenType.Byte => [ParseByteToken(text, id)],
                _ => [],
            };
            _pieces.Add(piece, hidden: type is TokenType.Control or TokenType.Unknown);
        }
    }

    public int Count => _pieces.Count;

    /// <summary>The bytes of <paramref name="id"/>; empty for control/unknown tokens unless <paramref name="special"/>.</summary>
    public ReadOnlySpan<byte> Get(int id, bool special) => _pieces.Get(id, special);

    // "<0x0A>" → 0x0A, read as llama.cpp's token_to_byte does (two hex digits at offset 3).
    private static byte ParseByteToken(string text, int id)
    {
        if (text.Length >= 6 && text.StartsWith("<0x", StringComparison.Ordinal)
            && byte.TryParse(text.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            return value;
        throw new FormatException($"Byte token {id} has text '{text}', expected '<0xNN>'.");
    }
}
