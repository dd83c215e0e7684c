using System.Diagnostics;
using Mote.Engine;
using Mote.Engine.Runtime;
using Mote.Numerics.Threading;

namespace Mote.Evaluation.Benchmarks;

/// <summary>
/// Measures a model the way llama-bench does: after one warm-up run, each repetition times a prefill of p random
/// tokens from an empty cache (pp) followed by one decode step (time to first token), then n single-token decode
/// steps from an empty cache (tg); p or n of 0 skips that test, as llama-bench's <c>-p 0</c> / <c>-n 0</c>.
/// Reports mean ± sample standard deviation, peak RSS, managed allocations per decoded token (whole process, and
/// compute threads alone), and decode's weight-read bandwidth against this machine's.
/// </summary>
public static class BenchRunner
{
    /// <summary>Loads <paramref name="modelPath"/>, benchmarks it with its own worker pool and unloads it.</summary>
    /// <param name="log">Told what is running next (warm-up, each repetition, the probe); called synchronously.</param>
    public static BenchResult Run(string modelPath, BenchOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var pool = new WorkerPool(options.Threads > 0 ? options.Threads : CpuTopology.PhysicalCores);
        using var model = Model.Load(modelPath, options.Repack);
        return Run(model, pool, options, log, cancellationToken);
    }

    /// <summary>Benchmarks a loaded model on <paramref name="pool"/> (whose thread count is reported).</summary>
    public static BenchResult Run(Model model, WorkerPool pool, BenchOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int p = options.PromptTokens, n = options.GenerateTokens, reps = options.Repetitions;
        // Room for the prompt and the first generated token, or for the whole generation test.
        var session = new InferenceSession(model, new SessionOptions
        {
            ContextLength = Math.Max(p + 1, n),
            BatchSize = SessionOptions.DefaultBatchSize,
            CacheType = options.CacheType,
            Pool = pool,
        });
        var random = new Random(options.Seed);
        var vocabulary = model.HyperParameters.VocabularySize;
        var prompt = RandomTokens(random, p, vocabulary);
        var generated = RandomTokens(random, n, vocabulary);
        var first = n > 0 ? generated[0] : random.Next(vocabulary); // the decode step of time to first token

        var samples = new Samples(reps, new PoolAllocationCounter(pool));
        log?.Invoke("warm-up");
        RunOnce(session, prompt, first, generated, samples, repetition: -1);
        for (var r = 0; r < reps; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log?.Invoke($"repetition {r + 1}/{reps}");
            RunOnce(session, prompt, first, generated, samples, r);
        }
        // Before the probe, whose buffer would otherwise be the peak.
        var peakRss = ProcessStats.PeakResidentBytes();

        var machine = 0.0;
        if (options.ProbeBytes > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            log?.Invoke("memory bandwidth probe");
            machine = MemoryBandwidthProbe.MeasureReadGBs(pool, options.ProbeBytes);
        }

        var weightBytes = ModelFacts.DecodeWeightBytes(model);
        double? Measured(double value, int tokens) => tokens > 0 ? value : null;
        var tg = SampleStatistics.Mean(samples.Decode);
        var bandwidth = weightBytes * tg / 1e9;
        return new BenchResult
        {
            Model = model.Name,
            Type = ModelFacts.TypeName(model),
            Parameters = ModelFacts.ParameterCount(model),
            Threads = pool.ThreadCount,
            PromptTokens = p,
            GenerateTokens = n,
            Repetitions = reps,
            PrefillTokensPerSecond = Measured(SampleStatistics.Mean(samples.Prefill), p),
            PrefillTokensPerSecondStd = Measured(SampleStatistics.StandardDeviation(samples.Prefill), p),
            DecodeTokensPerSecond = Measured(tg, n),
            DecodeTokensPerSecondStd = Measured(SampleStatistics.StandardDeviation(samples.Decode), n),
            TimeToFirstTokenMs = SampleStatistics.Mean(samples.FirstToken),
            TimeToFirstTokenMsStd = SampleStatistics.StandardDeviation(samples.FirstToken),
            PeakRssMb = peakRss / (1024.0 * 1024.0),
            ModelBytes = model.File.FileLength,
            KvCacheBytes = session.KvCacheBytes,
            AllocatedBytesPerToken = Measured((double)samples.DecodeAllocatedBytes / ((long)reps * Math.Max(1, n)), n),
            ComputeThreadAllocatedBytesPerToken = Measured((double)samples.DecodePoolAllocatedBytes / ((long)reps * Math.Max(1, n)), n),
            DecodeWeightBytes = weightBytes,
            DecodeBandwidthGBs = Measured(bandwidth, n),
            DecodeBandwidthGBsStd = Measured(weightBytes * SampleStatistics.StandardDeviation(samples.Decode) / 1e9, n),
            MachineBandwidthGBs = machine,
            RooflinePercent = Measured(machine > 0 ? 100 * bandwidth / machine : 0, n),
            LoadAverage = ProcessStats.LoadAverage(),
        };
    }

    /// <summary>One repetition; the warm-up (repetition −1) runs the same code and records nothing.</summary>
    private static void RunOnce(InferenceSession session, int[] prompt, int first, int[] generated, Samples samples, int repetition)
    {
        // pp, then the first decode step on top of the prompt: time to first token.
        session.Reset();
        var start = Stopwatch.GetTimestamp();
        if (prompt.Length > 0)
            session.Prefill(prompt);
        var prefilled = Stopwatch.GetTimestamp();
        session.Decode(first);
        var firstToken = Stopwatch.GetTimestamp();

        // tg from an empty cache, as llama-bench; allocations counted on every thread of the process and,
        // separately, on the compute threads alone.
        session.Reset();
        var poolBefore = samples.PoolCounter.Read();
        var processBefore = GC.GetTotalAllocatedBytes(precise: true);
        var decodeStart = Stopwatch.GetTimestamp();
        foreach (var token in generated)
            session.Decode(token);
        var decodeEnd = Stopwatch.GetTimestamp();
        var processAllocated = GC.GetTotalAllocatedBytes(precise: true) - processBefore;
        var poolAllocated = samples.PoolCounter.Read() - poolBefore;

        if (repetition < 0)
            return;
        if (prompt.Length > 0)
            samples.Prefill[repetition] = prompt.Length / Stopwatch.GetElapsedTime(start, prefilled).TotalSeconds;
        samples.FirstToken[repetition] = Stopwatch.GetElapsedTime(start, firstToken).TotalMilliseconds;
        if (generated.Length > 0)
            samples.Decode[repetition] = generated.Length / Stopwatch.GetElapsedTime(decodeStart, decodeEnd).TotalSeconds;
        samples.DecodeAllocatedBytes += processAllocated;
        samples.DecodePoolAllocatedBytes += poolAllocated;
    }

    private static int[] RandomTokens(Random random, int count, int vocabulary)
    {
        var tokens = new int[count];
        for (var i = 0; i < count; i++)
            tokens[i] = random.Next(vocabulary);
        return tokens;
    }

    /// <summary>Per-repetition measurements.</summary>
    private sealed class Samples(int repetitions, PoolAllocationCounter poolCounter)
    {
        public PoolAllocationCounter PoolCounter => poolCounter;
        public double[] Prefill { get; } = new double[repetitions];
        public double[] Decode { get; } = new double[repetitions];
        public double[] FirstToken { get; } = new double[repetitions];
        public long DecodeAllocatedBytes { get; set; }
        public long DecodePoolAllocatedBytes { get; set; }
    }
}
