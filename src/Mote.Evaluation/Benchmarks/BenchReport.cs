using System.Globalization;

namespace Mote.Evaluation.Benchmarks;

/// <summary>
/// The text cells every human-readable printer shows: llama-bench's table (one row per test) and the figures it
/// does not have (latency, memory, bandwidth) as name/value pairs. Printers only lay these out.
/// </summary>
public static class BenchReport
{
    /// <summary>Header of the throughput table, as llama-bench's (with the file type where it has the backend).</summary>
    public static IReadOnlyList<string> Columns { get; } = ["model", "size", "params", "type", "threads", "test", "t/s"];

    /// <summary>Columns of <see cref="Columns"/> holding numbers (right-aligned).</summary>
    public static IReadOnlyList<bool> NumericColumns { get; } = [false, true, true, false, true, true, true];

    /// <summary>
    /// One row for the prefill test (pp<i>p</i>) and one for the decode test (tg<i>n</i>), each only if it ran (as
    /// llama-bench, which prints no row for <c>-p 0</c> or <c>-n 0</c>).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string[] Row(string test, double mean, double std) =>
        [
            result.Model, Size(result.ModelBytes), Parameters(result.Parameters), result.Type,
            Invariant($"{result.Threads}"), test, Invariant($"{mean:F2} ± {std:F2}"),
        ];
        var rows = new List<IReadOnlyList<string>>(2);
        if (result.PrefillTokensPerSecond is { } pp)
            rows.Add(Row(Invariant($"pp{result.PromptTokens}"), pp, result.PrefillTokensPerSecondStd ?? 0));
        if (result.DecodeTokensPerSecond is { } tg)
            rows.Add(Row(Invariant($"tg{result.GenerateTokens}"), tg, result.DecodeTokensPerSecondStd ?? 0));
        return rows;
    }

    /// <summary>The remaining figures, labelled.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Details(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        const string noDecode = "no generation test (-n 0)";
        var roofline = result.DecodeBandwidthGBs is not { } bandwidth ? noDecode
            : result.MachineBandwidthGBs > 0
                ? Invariant($"{bandwidth:F2} ± {result.DecodeBandwidthGBsStd:F2} GB/s of {result.MachineBandwidthGBs:F2} GB/s ({result.RooflinePercent:F1} % of roofline)")
                : Invariant($"{bandwidth:F2} ± {result.DecodeBandwidthGBsStd:F2} GB/s (machine probe skipped)");
        var firstToken = result.PromptTokens > 0 ? Invariant($"pp{result.PromptTokens} + 1 decode") : "1 decode, no prompt";
        return
        [
            new("time to first token", Invariant($"{result.TimeToFirstTokenMs:F2} ± {result.TimeToFirstTokenMsStd:F2} ms ({firstToken})")),
            new("peak RSS", Invariant($"{result.PeakRssMb:F1} MiB (model file {Size(result.ModelBytes)}, KV cache {Size(result.KvCacheBytes)})")),
            new("allocated per decoded token", result.AllocatedBytesPerToken is { } allocated
                ? Invariant($"{allocated:F1} B (compute threads: {result.ComputeThreadAllocatedBytesPerToken:F1} B)")
                : noDecode),
            new("decode weight reads", Invariant($"{Size(result.DecodeWeightBytes)} per token")),
            new("decode bandwidth", roofline),
            new("load average", result.LoadAverage < 0 ? "unknown" : Invariant($"{result.LoadAverage:F2}")),
            new("repetitions", Invariant($"{result.Repetitions} (after 1 warm-up)")),
        ];
    }

    /// <summary>Bytes as llama-bench prints model sizes: MiB below 1 GiB, else GiB.</summary>
    public static string Size(long bytes) => bytes < 1L << 30
        ? Invariant($"{bytes / (1024.0 * 1024.0):F2} MiB")
        : Invariant($"{bytes / (1024.0 * 1024.0 * 1024.0):F2} GiB");

    /// <summary>A parameter count as llama-bench prints it: K, M or B.</summary>
    public static string Parameters(long count) => count switch
    {
        < 1_000_000 => Invariant($"{count / 1e3:F2} K"),
        < 1_000_000_000 => Invariant($"{count / 1e6:F2} M"),
        _ => Invariant($"{count / 1e9:F2} B"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
