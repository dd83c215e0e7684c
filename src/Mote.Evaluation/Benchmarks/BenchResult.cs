using System.Text.Json.Serialization;

namespace Mote.Evaluation.Benchmarks;

/// <summary>
/// One <c>mote bench</c> run: prefill (pp) and decode (tg) throughput as mean and sample standard deviation over
/// the repetitions, latency, memory and how close decode comes to the machine's memory bandwidth. The JSON names
/// are the stable interface for scripts.
/// </summary>
public sealed record BenchResult
{
    /// <summary>The model's display name.</summary>
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    /// <summary>The file type as llama.cpp names it, e.g. <c>Q8_0</c> or <c>Q4_K - Medium</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>Number of weights in the file (every tensor's elements).</summary>
    [JsonPropertyName("params")]
    public required long Parameters { get; init; }

    [JsonPropertyName("threads")]
    public required int Threads { get; init; }

    /// <summary>Prompt tokens of the prefill test.</summary>
    [JsonPropertyName("p")]
    public required int PromptTokens { get; init; }

    /// <summary>Decoded tokens of the generation test.</summary>
    [JsonPropertyName("n")]
    public required int GenerateTokens { get; init; }

    [JsonPropertyName("reps")]
    public required int Repetitions { get; init; }

    /// <summary>Prefill tokens per second from an empty cache; null without a prefill test (<c>-p 0</c>).</summary>
    [JsonPropertyName("pp_tps")]
    public required double? PrefillTokensPerSecond { get; init; }

    [JsonPropertyName("pp_tps_std")]
    public required double? PrefillTokensPerSecondStd { get; init; }

    /// <summary>
    /// Decode tokens per second, one token per forward pass, from an empty cache; null without a generation test
    /// (<c>-n 0</c>), as are the other decode figures.
    /// </summary>
    [JsonPropertyName("tg_tps")]
    public required double? DecodeTokensPerSecond { get; init; }

    [JsonPropertyName("tg_tps_std")]
    public required double? DecodeTokensPerSecondStd { get; init; }

    /// <summary>Time to first token: prefill of the prompt (if any) plus the first decode step, in milliseconds.</summary>
    [JsonPropertyName("ttft_ms")]
    public required double TimeToFirstTokenMs { get; init; }

    [JsonPropertyName("ttft_ms_std")]
    public required double TimeToFirstTokenMsStd { get; init; }

    /// <summary>Peak resident set (VmHWM, mapped weights included) in MiB; 0 where the OS does not report it.</summary>
    [JsonPropertyName("rss_mb")]
    public required double PeakRssMb { get; init; }

    /// <summary>Size of the GGUF file.</summary>
    [JsonPropertyName("model_bytes")]
    public required long ModelBytes { get; init; }

    /// <summary>Bytes of the session's KV cache.</summary>
    [JsonPropertyName("kv_cache_bytes")]
    public required long KvCacheBytes { get; init; }

    /// <summary>
    /// Managed bytes allocated per decoded token after warm-up by every thread of the process — in a host that
    /// does other work at the same time (a test runner, a server) that work counts too.
    /// </summary>
    [JsonPropertyName("alloc_bytes_per_token")]
    public required double? AllocatedBytesPerToken { get; init; }

    /// <summary>Managed bytes allocated per decoded token by the compute threads alone (caller and pool workers).</summary>
    [JsonPropertyName("alloc_bytes_per_token_compute")]
    public required double? ComputeThreadAllocatedBytesPerToken { get; init; }

    /// <summary>Weight bytes one decode step reads: every matrix incl. the classifier, not the embedding table.</summary>
    [JsonPropertyName("decode_weight_bytes")]
    public required long DecodeWeightBytes { get; init; }

    /// <summary>Weight bytes read per second during decode, in GB/s (10⁹ bytes).</summary>
    [JsonPropertyName("tg_bandwidth_gbs")]
    public required double? DecodeBandwidthGBs { get; init; }

    [JsonPropertyName("tg_bandwidth_gbs_std")]
    public required double? DecodeBandwidthGBsStd { get; init; }

    /// <summary>This machine's read bandwidth with the same threads (STREAM-like probe), in GB/s; 0 if skipped.</summary>
    [JsonPropertyName("machine_bandwidth_gbs")]
    public required double MachineBandwidthGBs { get; init; }

    /// <summary>Decode bandwidth as a percentage of the machine's; 0 if the probe was skipped.</summary>
    [JsonPropertyName("roofline_pct")]
    public required double? RooflinePercent { get; init; }

    /// <summary>One-minute load average when the run ended (the machine may be shared); -1 where unknown.</summary>
    [JsonPropertyName("load_avg")]
    public required double LoadAverage { get; init; }
}
