using System.Diagnostics;
using System.Globalization;

namespace Mote.Benchmarks;

/// <summary>
/// <c>--quick TYPES SHAPES TOKENS [LEVELS] [THREADS]</c> (comma-separated lists): a stopwatch loop over one MatMul configuration, printing the
/// median, min and CPU time per call and weight GB/s, for fast iteration on a kernel (BenchmarkDotNet is the reference).
/// </summary>
internal static class QuickRun
{
    public static void Run(string[] args)
    {
        var levels = args.Length > 4 ? args[4].Split(',') : ["Best", "Scalar"];
        var threads = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 2;
        foreach (var type in args[1].Split(','))
        {
            foreach (var shape in args[2].Split(','))
            {
                foreach (var tokens in args[3].Split(','))
                {
                    foreach (var level in levels)
                        Measure(type, shape, int.Parse(tokens, CultureInfo.InvariantCulture), level, threads);
                }
            }
        }
    }

    private static void Measure(string type, string shape, int tokens, string level, int threads)
    {
        var bench = new MatMulBenchmarks { Type = type, Shape = shape, Tokens = tokens, Level = level, Threads = threads };
        bench.Setup();
        try
        {
            // Half a second of calls first: tiered compilation promotes the driver code to optimized code only after
            // 30 calls and a background delay, and the first configuration of a run was otherwise timed partly
            // unoptimized (medians up to 2x the minimum).
            var warm = Stopwatch.StartNew();
            while (warm.ElapsedMilliseconds < 500)
                bench.Multiply();
            var times = new List<double>();
            var process = Process.GetCurrentProcess();
            var cpuStart = process.TotalProcessorTime;
            var total = Stopwatch.StartNew();
            while (total.ElapsedMilliseconds < 1500 || times.Count < 5)
            {
                var watch = Stopwatch.StartNew();
                bench.Multiply();
                times.Add(watch.Elapsed.TotalMicroseconds);
            }
            process.Refresh();
            // CPU time of the whole process per call: with a loaded machine, less sensitive than wall time.
            var cpu = (process.TotalProcessorTime - cpuStart).TotalMicroseconds / times.Count;
            times.Sort();
            var median = times[times.Count / 2];
            var best = times[0];
            var bytes = MatMulBenchmarks.WeightBytes(type, shape);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{type,-5} {shape,-10} n={tokens,-4} t={threads} {level,-7} median {median,10:F1} µs  min {best,10:F1} µs  cpu {cpu,10:F1} µs  {bytes / median / 1000,6:F1} GB/s (min-time {bytes / best / 1000,6:F1})  {tokens * bytes / bench.BytesPerWeight / median / 1e3,8:F1} GMAC/s"));
        }
        finally
        {
            bench.Cleanup();
        }
    }
}
