using Mote.Evaluation.Benchmarks;
using Mote.Numerics.Threading;

namespace Mote.Evaluation.Tests.Benchmarks;

[Collection(BenchCollection.Name)]
public sealed class PoolAllocationCounterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Read_CountsWhatEveryPoolThreadAllocates(int threads)
    {
        using var pool = new WorkerPool(threads);
        var counter = new PoolAllocationCounter(pool);
        var job = new AllocatingJob();
        counter.Read(); // first run of each path
        pool.Run(job);

        var before = counter.Read();
        pool.Run(job);
        var allocated = counter.Read() - before;

        // Each thread allocates one 10,000-byte array (plus its header).
        Assert.InRange(allocated, threads * 10_000L, threads * 10_100L);
    }

    [Fact]
    public void Read_NothingAllocated_ReadsZero()
    {
        using var pool = new WorkerPool(2);
        var counter = new PoolAllocationCounter(pool);
        counter.Read();
        var before = counter.Read();
        Assert.Equal(0, counter.Read() - before);
    }

    private sealed class AllocatingJob : ParallelJob
    {
        public override void Execute(int worker, int workerCount) => GC.KeepAlive(new byte[10_000]);
    }
}
