using System.Text.Unicode;

namespace Mote.Tokenizers;

/// <summary>
/// Turns generated token ids into text one token at a time without ever emitting half a character. A token may
/// end in the middle of a UTF-8 sequence (byte-fallback tokens <c>&lt;0xF0&gt;&lt;0x9F&gt;…</c> spell one emoji over
/// four tokens); those bytes are held back until the sequence completes. Bytes that can no longer become a valid
/// character are emitted as U+FFFD as soon as that is certain, and <see cref="Flush"/> emits whatever is left at the
/// end of the stream. Pieces are concatenated as llama.cpp's <c>token_to_piece</c> gives them (no space stripping).
/// </summary>
/// <remarks>
/// One instance per stream; not thread-safe. The byte and char buffers are reused across calls, so the only
/// allocation per token is the returned string (none when nothing is complete yet).
/// </remarks>
public sealed class StreamingDecoder
{
    private readonly Tokenizer _tokenizer;
    private readonly bool _special;
    private byte[] _pending = new byte[64];
    private int _pendingLength;
    private char[] _chars = new char[64];

    /// <param name="tokenizer">The tokenizer whose pieces are decoded.</param>
    /// <param name="special">Render control tokens (e.g. <c>&lt;/s&gt;</c>) as their text instead of nothing.</param>
    public StreamingDecoder(Tokenizer tokenizer, bool special = false)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _special = special;
    }

    /// <summary>Number of bytes held back because they may still become a character.</summary>
    public int PendingByteCount => _pendingLength;

    /// <summary>Adds one token and returns the text it completes (possibly empty).</summary>
    public string Append(int id)
    {
        var piece = _tokenizer.GetPiece(id, _special);
        if (piece.IsEmpty)
            return string.Empty;
        EnsureCapacity(ref _pending, _pendingLength + piece.Length);
        piece.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += piece.Length;
        return Drain(isFinal: false);
    }

    /// <summary>Ends the stream: returns the held-back bytes as U+FFFD characters and resets the decoder.</summary>
    public string Flush() => Drain(isFinal: true);

    /// <summary>Drops any held-back bytes.</summary>
    public void Reset() => _pendingLength = 0;

    private string Drain(bool isFinal)
    {
        if (_pendingLength == 0)
            return string.Empty;
        // UTF-16 never needs more code units than UTF-8 has bytes.
        EnsureCapacity(ref _chars, _pendingLength);
        // With isFinalBlock false, a truncated but so-far valid sequence at the end stays unread; anything that
        // cannot be completed is replaced by U+FFFD now.
        Utf8.ToUtf16(_pending.AsSpan(0, _pendingLength), _chars, out var read, out var written,
            replaceInvalidSequences: true, isFinalBlock: isFinal);
        var rest = _pendingLength - read;
        if (rest > 0)
            _pending.AsSpan(read, rest).CopyTo(_pending);
        _pendingLength = rest;
        return written == 0 ? string.Empty : new string(_chars, 0, written);
    }

    private static void EnsureCapacity<T>(ref T[] buffer, int needed)
    {
        if (buffer.Length >= needed)
            return;
        var bigger = new T[Math.Max(needed, buffer.Length * 2)];
        buffer.CopyTo(bigger, 0);
        buffer = bigger;
    }
}
