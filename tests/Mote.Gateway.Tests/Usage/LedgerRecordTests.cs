using Mote.Gateway.Usage;

namespace Mote.Gateway.Tests.Usage;

public sealed class LedgerRecordTests
{
    private static readonly LedgerRow s_full = new()
    {
        RequestId = "req-1",
        TimestampMs = 1_700_000_000_123,
        KeyId = "key-\u00e9",
        Route = "chat",
        Deployment = "a",
        Model = "gpt-x",
        Attempts = "a:timeout,b:ok",
        Status = "ok",
        HttpStatus = 200,
        Error = "upstream said \U0001F525",
        Stream = true,
        PromptTokens = 12,
        CompletionTokens = int.MaxValue,
        CostUsd = 0.000123,
        SavedUsd = -1.5,
        LatencyMs = 3.25,
        TtftMs = 0,
        Decision = "policy=local-only; tier 1 accepted",
    };

    private static readonly LedgerRow s_sparse = new()
    {
        RequestId = "",
        TimestampMs = -1,
        Route = "r",
        Attempts = "",
        Status = "error",
        HttpStatus = 502,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ARecord_ReadsBackAsTheSameRow(bool full)
    {
        var row = full ? s_full : s_sparse;
        var buffer = new byte[LedgerRecord.Size(row) + 7];

        var written = LedgerRecord.Write(long.MaxValue - 3, row, buffer);

        Assert.Equal(LedgerRecord.Size(row), written);
        Assert.True(LedgerRecord.TryRead(buffer.AsSpan(0, written), out var seq, out var read, out var size));
        Assert.Equal(long.MaxValue - 3, seq);
        Assert.Equal(written, size);
        Assert.Equal(row, read);
    }

    [Fact]
    public void RecordsFollowOneAnother_AndEveryCutOrDamagedRecordIsRejected()
    {
        var first = new byte[LedgerRecord.Size(s_full)];
        LedgerRecord.Write(1, s_full, first);
        var second = new byte[LedgerRecord.Size(s_sparse)];
        LedgerRecord.Write(2, s_sparse, second);
        byte[] both = [.. first, .. second];

        Assert.True(LedgerRecord.TryRead(both, out _, out _, out var size));
        Assert.True(LedgerRecord.TryRead(both.AsSpan(size), out var seq, out var row, out _));
        Assert.Equal((2L, s_sparse), (seq, row));

        for (var cut = 0; cut < first.Length; cut++)
            Assert.False(LedgerRecord.TryRead(first.AsSpan(0, cut), out _, out _, out _), $"cut at {cut}");
        for (var at = 0; at < first.Length; at++)
        {
            var damaged = (byte[])first.Clone();
            damaged[at] ^= 0x10;
            Assert.False(LedgerRecord.TryRead(damaged, out _, out _, out _), $"byte {at} flipped");
        }
        Assert.False(LedgerRecord.TryRead(new byte[64], out _, out _, out _));
    }
}
