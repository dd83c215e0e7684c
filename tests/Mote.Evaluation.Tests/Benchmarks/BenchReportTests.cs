using Mote.Evaluation.Benchmarks;

namespace Mote.Evaluation.Tests.Benchmarks;

public sealed class BenchReportTests
{
    private static readonly BenchResult s_result = new()
    {
        Model = "mote-synth smollm2-135m q8_0", Type = "Q8_0", Parameters = 134_515_008, Threads = 2,
        PromptTokens = 128, GenerateTokens = 64, Repetitions = 5,
        PrefillTokensPerSecond = 801.234, PrefillTokensPerSecondStd = 5.5, DecodeTokensPerSecond = 121.75, DecodeTokensPerSecondStd = 1.25,
        TimeToFirstTokenMs = 170.5, TimeToFirstTokenMsStd = 2, PeakRssMb = 210.4, ModelBytes = 144_804_416, KvCacheBytes = 7_925_760,
        AllocatedBytesPerToken = 0, ComputeThreadAllocatedBytesPerToken = 0, DecodeWeightBytes = 143_000_000, DecodeBandwidthGBs = 17.41, DecodeBandwidthGBsStd = 0.18,
        MachineBandwidthGBs = 43.5, RooflinePercent = 40.02, LoadAverage = 1.5,
    };

    [Fact]
    public void Rows_OnePrefillAndOneDecodeRow_WithMeanAndStd()
    {
        var rows = BenchReport.Rows(s_result);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(BenchReport.Columns.Count, row.Count));
        Assert.Equal(["mote-synth smollm2-135m q8_0", "138.10 MiB", "134.52 M", "Q8_0", "2", "pp128", "801.23 ± 5.50"], rows[0]);
        Assert.Equal("tg64", rows[1][5]);
        Assert.Equal("121.75 ± 1.25", rows[1][6]);
    }

    [Fact]
    public void Markdown_LlamaBenchTableThenFigures()
    {
        var lines = BenchMarkdown.Format(s_result).Split('\n');
        Assert.Equal("| model | size | params | type | threads | test | t/s |", lines[0]);
        Assert.Equal("| --- | ---: | ---: | --- | ---: | ---: | ---: |", lines[1]);
        Assert.StartsWith("| mote-synth smollm2-135m q8_0 | 138.10 MiB |", lines[2], StringComparison.Ordinal);
        Assert.Contains("| tg64 | 121.75 ± 1.25 |", lines[3], StringComparison.Ordinal);
        Assert.Equal("", lines[4]);
        Assert.Contains(lines, l => l.Contains("17.41 ± 0.18 GB/s of 43.50 GB/s (40.0 % of roofline)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| allocated per decoded token | 0.0 B (compute threads: 0.0 B) |", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1_048_575, "1.00 MiB")]
    [InlineData(1L << 30, "1.00 GiB")]
    [InlineData(2_471_000_000, "2.30 GiB")]
    public void Size_SwitchesToGiBAtOneGiB(long bytes, string expected) => Assert.Equal(expected, BenchReport.Size(bytes));

    [Theory]
    [InlineData(292_000, "292.00 K")]
    [InlineData(134_515_008, "134.52 M")]
    [InlineData(1_235_814_400, "1.24 B")]
    public void Parameters_KMB(long count, string expected) => Assert.Equal(expected, BenchReport.Parameters(count));
}
