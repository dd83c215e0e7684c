using System.Text.Json;
using Mote.Engine;
using Mote.Evaluation.Benchmarks;
using Mote.Evaluation.Synthesis;
using Mote.Numerics.Threading;
using Mote.Testing;

namespace Mote.Evaluation.Tests.Benchmarks;

/// <summary>
/// <c>mote bench</c>'s measurements on the synthetic tiny model: shapes, counts and consistency only — never
/// how fast (the machine is shared; timings belong in docs/performance.md, not in assertions).
/// </summary>
[Collection(BenchCollection.Name)]
public sealed class BenchRunnerTests
{
    // The tiny shape: n_embd 256, 2 layers, 4 heads of 64, 2 KV heads, n_ff 512, 1024 tokens, untied classifier.
    private const long LayerMatrixElements = 256 * 256 + 2 * (128 * 256) + 256 * 256 + 3 * (512 * 256);
    private const long ClassifierElements = 1024 * 256;
    private const long DecodeElements = 2 * LayerMatrixElements + ClassifierElements;
    private const long NormElements = 256 + 2 * 2 * 256;

    private static readonly BenchOptions s_small = new()
    {
        PromptTokens = 24, GenerateTokens = 12, Threads = 2, Repetitions = 3, ProbeBytes = 32 << 20,
    };

    private static readonly string[] s_jsonFields =
    [
        "model", "type", "params", "threads", "p", "n", "reps", "pp_tps", "pp_tps_std", "tg_tps", "tg_tps_std",
        "ttft_ms", "ttft_ms_std", "rss_mb", "model_bytes", "kv_cache_bytes", "alloc_bytes_per_token", "alloc_bytes_per_token_compute",
        "decode_weight_bytes", "tg_bandwidth_gbs", "tg_bandwidth_gbs_std", "machine_bandwidth_gbs", "roofline_pct", "load_avg",
    ];

    [Fact]
    public void Json_TinyQ8_0_HasEveryFieldWithSaneValues()
    {
        var path = TinyModel("q8_0");
        using var document = JsonDocument.Parse(BenchJson.Format(BenchRunner.Run(path, s_small)));
        var json = document.RootElement;

        Assert.Equal(s_jsonFields.Order(), json.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("mote-synth tiny q8_0", json.GetProperty("model").GetString());
        Assert.Equal("Q8_0", json.GetProperty("type").GetString());
        Assert.Equal(DecodeElements + ClassifierElements + NormElements, json.GetProperty("params").GetInt64());
        Assert.Equal(2, json.GetProperty("threads").GetInt32());
        Assert.Equal(24, json.GetProperty("p").GetInt32());
        Assert.Equal(12, json.GetProperty("n").GetInt32());
        Assert.Equal(3, json.GetProperty("reps").GetInt32());
        Assert.Equal(new FileInfo(path).Length, json.GetProperty("model_bytes").GetInt64());
        // Q8_0: 34 bytes per 32 weights, classifier included, embedding table not.
        var weightBytes = DecodeElements / 32 * 34;
        Assert.Equal(weightBytes, json.GetProperty("decode_weight_bytes").GetInt64());
        // Keys and values of 2 layers × 25 positions (prompt + first token) × 128, whatever the element type.
        var kvBytes = json.GetProperty("kv_cache_bytes").GetInt64();
        Assert.True(kvBytes > 0 && kvBytes % (2 * 2 * 25 * 128) == 0, $"{kvBytes} KV cache bytes");

        foreach (var field in new[] { "pp_tps", "tg_tps", "ttft_ms", "tg_bandwidth_gbs", "machine_bandwidth_gbs", "roofline_pct" })
            Assert.True(json.GetProperty(field).GetDouble() > 0, $"{field} should be positive");
        foreach (var field in new[] { "pp_tps_std", "tg_tps_std", "ttft_ms_std", "tg_bandwidth_gbs_std" })
            Assert.True(json.GetProperty(field).GetDouble() >= 0, $"{field} should not be negative");

        var tg = json.GetProperty("tg_tps").GetDouble();
        var bandwidth = json.GetProperty("tg_bandwidth_gbs").GetDouble();
        Assert.Equal(weightBytes * tg / 1e9, bandwidth, 1e-9);
        Assert.Equal(100 * bandwidth / json.GetProperty("machine_bandwidth_gbs").GetDouble(), json.GetProperty("roofline_pct").GetDouble(), 1e-9);
        if (OperatingSystem.IsLinux())
        {
            // The peak resident set holds at least the runtime; the mapped file counts only where it was read.
            Assert.InRange(json.GetProperty("rss_mb").GetDouble(), 1, 64 * 1024);
            Assert.True(json.GetProperty("load_avg").GetDouble() >= 0);
        }
    }

    [Fact]
    public void Run_AfterWarmUp_AllocatesNothingPerDecodedToken()
    {
        var result = BenchRunner.Run(TinyModel("q4_0"), s_small with { ProbeBytes = 0 });
        // The compute threads (this one and the pool's workers) are what the engine runs on. The process-wide
        // figure is only reported: the test host's own threads allocate now and then while a test runs.
        Assert.Equal(0, result.ComputeThreadAllocatedBytesPerToken);
        Assert.True(result.AllocatedBytesPerToken >= 0);
        Assert.Equal(0, result.MachineBandwidthGBs);
        Assert.Equal(0, result.RooflinePercent);
    }

    [FixtureTheory]
    [InlineData("stories260K-f32.gguf", "all F32 (guessed)")] // no general.file_type
    [InlineData("stories260K-q4_k_m.gguf", "Q4_K - Medium")]
    [InlineData("stories260K-q8_0.gguf", "Q8_0")]
    public void Run_Stories260K_NamesTheFileTypeAsLlamaCpp(string file, string type)
    {
        using var pool = new WorkerPool(1);
        using var model = Model.Load(Fixtures.Path("stories260K", file));
        var result = BenchRunner.Run(model, pool, new BenchOptions { PromptTokens = 8, GenerateTokens = 4, Repetitions = 1, ProbeBytes = 0 });
        Assert.Equal(type, result.Type);
        Assert.Equal(1, result.Threads);
        Assert.Equal(0, result.PrefillTokensPerSecondStd); // one repetition: no spread
        Assert.True(result.DecodeTokensPerSecond > 0);
    }

    [Theory]
    [InlineData(-1, 64, 5)]
    [InlineData(128, -1, 5)]
    [InlineData(128, 64, 0)]
    public void Run_NegativeCountsOrNoRepetitions_Throw(int prompt, int generate, int repetitions)
    {
        var options = new BenchOptions { PromptTokens = prompt, GenerateTokens = generate, Repetitions = repetitions };
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchRunner.Run("unused.gguf", options));
    }

    [Fact]
    public void Run_NoPromptAndNoGeneration_Throws()
    {
        var options = new BenchOptions { PromptTokens = 0, GenerateTokens = 0 };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => BenchRunner.Run("unused.gguf", options));
        Assert.Contains("Nothing to measure", error.Message);
    }

    /// <summary>As llama-bench, <c>-p 0</c> or <c>-n 0</c> skips that test: no row, and its figures are null in JSON.</summary>
    [Fact]
    public void Run_ZeroPromptOrZeroGeneration_SkipsThatTest()
    {
        var path = TinyModel("q8_0");

        var decodeOnly = BenchRunner.Run(path, s_small with { PromptTokens = 0, ProbeBytes = 0 });
        Assert.Null(decodeOnly.PrefillTokensPerSecond);
        Assert.Null(decodeOnly.PrefillTokensPerSecondStd);
        Assert.True(decodeOnly.DecodeTokensPerSecond > 0);
        Assert.True(decodeOnly.TimeToFirstTokenMs > 0);
        Assert.Equal(["tg" + s_small.GenerateTokens], BenchReport.Rows(decodeOnly).Select(row => row[5]));

        var prefillOnly = BenchRunner.Run(path, s_small with { GenerateTokens = 0, ProbeBytes = 0 });
        Assert.True(prefillOnly.PrefillTokensPerSecond > 0);
        Assert.True(prefillOnly.TimeToFirstTokenMs > 0);
        Assert.Equal(["pp" + s_small.PromptTokens], BenchReport.Rows(prefillOnly).Select(row => row[5]));
        using var json = JsonDocument.Parse(BenchJson.Format(prefillOnly));
        foreach (var field in new[] { "tg_tps", "tg_tps_std", "tg_bandwidth_gbs", "tg_bandwidth_gbs_std", "alloc_bytes_per_token", "alloc_bytes_per_token_compute", "roofline_pct" })
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty(field).ValueKind);
        Assert.Contains(BenchReport.Details(prefillOnly), detail => detail.Value.Contains("-n 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_MoreTokensThanTrainedContext_ThrowsBeforeMeasuring()
    {
        // The tiny shape was trained for 512 positions.
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchRunner.Run(TinyModel("q8_0"), s_small with { PromptTokens = 600 }));
    }

    private static readonly Lazy<string> s_folder = new(RepoPaths.NewTempDirectory);

    private static string TinyModel(string type)
    {
        var path = Path.Combine(s_folder.Value, $"tiny-{type}.gguf");
        if (!File.Exists(path))
            ModelSynthesizer.Write(SyntheticShape.All["tiny"], QuantRecipe.All[type], seed: 11, path);
        return path;
    }
}
