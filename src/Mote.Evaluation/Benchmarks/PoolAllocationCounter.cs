using Mote.Numerics.Threading;

namespace Mote.Evaluation.Benchmarks;

/// <summary>
/// Managed bytes allocated so far by the threads of one worker pool (the calling thread is worker 0): each thread
/// reads its own counter. Unlike the process-wide total, this leaves out threads that do not compute tokens
/// (a test host's reporters, timers), so it says exactly what the forward pass allocates.
/// </summary>
internal sealed class PoolAllocationCounter(WorkerPool pool) : ParallelJob
{
    // One slot per worker, 64 bytes apart so workers never write the same cache line.
    private readonly long[] _bytes = new long[pool.ThreadCount * 8];

    /// <summary>Sum of every pool thread's allocated bytes; allocates nothing itself.</summary>
    public long Read()
    {
        pool.RunOnEveryThread(this);
        long total = 0;
        for (var i = 0; i < _bytes.Length; i += 8)
            total += _bytes[i];
        return total;
    }

    public override void Execute(int worker, int workerCount) => _bytes[worker * 8] = GC.GetAllocatedBytesForCurrentThread();
}
