using System.Diagnostics;
using System.Runtime.InteropServices;
using Mote.Numerics.Threading;

namespace Mote.Evaluation.Benchmarks;

/// <summary>
/// A STREAM-like read-bandwidth probe: every thread of a pool sums its share of a buffer far larger than the
/// last-level cache with wide vector loads; the best of several passes is the machine's read bandwidth for that
/// many threads — the roofline that weight-bound decode is compared against.
/// </summary>
public static unsafe class MemoryBandwidthProbe
{
    /// <summary>1 GiB: well beyond any CPU's last-level cache.</summary>
    public const long DefaultBufferBytes = 1L << 30;

    public const int DefaultPasses = 5;

    /// <summary>Measures read bandwidth with <paramref name="pool"/>'s threads, in GB/s (10⁹ bytes per second).</summary>
    /// <param name="bufferBytes">Bytes read per pass (rounded down to whole 256-byte lines; at least 256).</param>
    public static double MeasureReadGBs(WorkerPool pool, long bufferBytes = DefaultBufferBytes, int passes = DefaultPasses)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, ReadSumJob.LineBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        var length = bufferBytes / ReadSumJob.LineBytes * ReadSumJob.LineBytes;
        var buffer = (byte*)NativeMemory.AlignedAlloc((nuint)length, 64);
        try
        {
            var job = new ReadSumJob(buffer, length, pool.ThreadCount);
            // Write every page first: untouched anonymous pages all map the kernel's one zero page, which would
            // be read from cache.
            job.Fill = true;
            pool.RunOnEveryThread(job);
            job.Fill = false;

            var best = 0.0;
            for (var pass = 0; pass < passes; pass++)
            {
                var start = Stopwatch.GetTimestamp();
                pool.RunOnEveryThread(job);
                var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                best = Math.Max(best, length / seconds / 1e9);
            }
            return best;
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }
}
