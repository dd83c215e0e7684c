using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Mote.Benchmarks;

/// <summary>
/// Short in-process runs (no per-benchmark project build: the machine is small and shared) with a GB/s column
/// for weight-read bandwidth.
/// </summary>
public sealed class KernelConfig : ManualConfig
{
    public KernelConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(7));
        AddColumn(new WeightBandwidthColumn());
        AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub);
        AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance);
        ArtifactsPath = Path.Combine(Path.GetTempPath(), "mote-benchmarks");
        Options |= ConfigOptions.DisableOptimizationsValidator;
    }
}
