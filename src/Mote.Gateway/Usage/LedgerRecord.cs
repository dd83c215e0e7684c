using System.Buffers.Binary;
using System.Text;

namespace Mote.Gateway.Usage;

/// <summary>
/// A ledger row as one record of the usage journal, numbered in the order it was written:
/// <code>
/// [u32 payload length][u64 FNV-1a of the payload][payload]
/// payload: i64 seq, i64 ts_ms, i32 http_status, i32 prompt_tokens, i32 completion_tokens, u8 flags (1 stream, 2 ttft),
///          f64 cost_usd, f64 saved_usd, f64 latency_ms, f64 ttft_ms,
///          then request_id, key_id, route, deployment, model, attempts, status, error, decision
///          as i32 UTF-8 length (-1 for null) and the bytes
/// </code>
/// A record cut short by a killed process, or damaged, fails its length or checksum; reading stops there.
/// </summary>
internal static class LedgerRecord
{
    private const int HeaderBytes = sizeof(uint) + sizeof(ulong);
    private const int FixedPayloadBytes = 8 + 8 + 4 + 4 + 4 + 1 + 8 * 4;
    private const int StringCount = 9;

    /// <summary>Payloads larger than this are taken as damage when reading (a row is a few hundred bytes).</summary>
    private const int MaxPayloadBytes = 16 << 20;

    /// <summary>The record's size in bytes.</summary>
    public static int Size(LedgerRow row)
    {
        var size = HeaderBytes + FixedPayloadBytes + StringCount * sizeof(int);
        foreach (var text in (ReadOnlySpan<string?>)[row.RequestId, row.KeyId, row.Route, row.Deployment, row.Model,
                     row.Attempts, row.Status, row.Error, row.Decision])
        {
            if (text is not null)
                size += Encoding.UTF8.GetByteCount(text);
        }
        return size;
    }

    /// <summary>Writes the record into <paramref name="destination"/> (at least <see cref="Size"/> bytes); returns its size.</summary>
    public static int Write(long seq, LedgerRow row, Span<byte> destination)
    {
        var payload = destination[HeaderBytes..];
        BinaryPrimitives.WriteInt64LittleEndian(payload, seq);
        BinaryPrimitives.WriteInt64LittleEndian(payload[8..], row.TimestampMs);
        BinaryPrimitives.WriteInt32LittleEndian(payload[16..], row.HttpStatus);
        BinaryPrimitives.WriteInt32LittleEndian(payload[20..], row.PromptTokens);
        BinaryPrimitives.WriteInt32LittleEndian(payload[24..], row.CompletionTokens);
        payload[28] = (byte)((row.Stream ? 1 : 0) | (row.TtftMs is null ? 0 : 2));
        BinaryPrimitives.WriteDoubleLittleEndian(payload[29..], row.CostUsd);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[37..], row.SavedUsd);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[45..], row.LatencyMs);
        BinaryPrimitives.WriteDoubleLittleEndian(payload[53..], row.TtftMs ?? 0);
        var at = FixedPayloadBytes;
        foreach (var text in (ReadOnlySpan<string?>)[row.RequestId, row.KeyId, row.Route, row.Deployment, row.Model,
                     row.Attempts, row.Status, row.Error, row.Decision])
        {
            if (text is null)
            {
                BinaryPrimitives.WriteInt32LittleEndian(payload[at..], -1);
                at += sizeof(int);
                continue;
            }
            var length = Encoding.UTF8.GetBytes(text, payload[(at + sizeof(int))..]);
            BinaryPrimitives.WriteInt32LittleEndian(payload[at..], length);
            at += sizeof(int) + length;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)at);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[sizeof(uint)..], Fnv1a(payload[..at]));
        return HeaderBytes + at;
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="source"/>; false at the end of the data or at a record that is
    /// cut short or damaged (nothing after it is trusted).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out long seq, out LedgerRow? row, out int size)
    {
        (seq, row, size) = (0, null, 0);
        if (source.Length < HeaderBytes)
            return false;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(source);
        if (length < FixedPayloadBytes + StringCount * sizeof(int) || length > MaxPayloadBytes || source.Length - HeaderBytes < length)
            return false;
        var payload = source.Slice(HeaderBytes, (int)length);
        if (BinaryPrimitives.ReadUInt64LittleEndian(source[sizeof(uint)..]) != Fnv1a(payload))
            return false;

        var at = FixedPayloadBytes;
        var texts = new string?[StringCount];
        for (var i = 0; i < StringCount; i++)
        {
            if (payload.Length - at < sizeof(int))
                return false;
            var textLength = BinaryPrimitives.ReadInt32LittleEndian(payload[at..]);
            at += sizeof(int);
            if (textLength < 0)
                continue;
            if (textLength > payload.Length - at)
                return false;
            texts[i] = Encoding.UTF8.GetString(payload.Slice(at, textLength));
            at += textLength;
        }
        if (texts[0] is null || texts[2] is null || texts[5] is null || texts[6] is null)
            return false;

        var flags = payload[28];
        seq = BinaryPrimitives.ReadInt64LittleEndian(payload);
        row = new LedgerRow
        {
            RequestId = texts[0]!,
            TimestampMs = BinaryPrimitives.ReadInt64LittleEndian(payload[8..]),
            KeyId = texts[1],
            Route = texts[2]!,
            Deployment = texts[3],
            Model = texts[4],
            Attempts = texts[5]!,
            Status = texts[6]!,
            HttpStatus = BinaryPrimitives.ReadInt32LittleEndian(payload[16..]),
            Error = texts[7],
            Stream = (flags & 1) != 0,
            PromptTokens = BinaryPrimitives.ReadInt32LittleEndian(payload[20..]),
            CompletionTokens = BinaryPrimitives.ReadInt32LittleEndian(payload[24..]),
            CostUsd = BinaryPrimitives.ReadDoubleLittleEndian(payload[29..]),
            SavedUsd = BinaryPrimitives.ReadDoubleLittleEndian(payload[37..]),
            LatencyMs = BinaryPrimitives.ReadDoubleLittleEndian(payload[45..]),
            TtftMs = (flags & 2) != 0 ? BinaryPrimitives.ReadDoubleLittleEndian(payload[53..]) : null,
            Decision = texts[8],
        };
        size = HeaderBytes + (int)length;
        return true;
    }

    /// <summary>64-bit FNV-1a: enough to tell a whole record from a torn or damaged one.</summary>
    internal static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
            hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}
