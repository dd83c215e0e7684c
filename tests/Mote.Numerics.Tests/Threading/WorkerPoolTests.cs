using Mote.Numerics.Threading;

namespace Mote.Numerics.Tests.Threading;

public sealed class WorkerPoolTests
{
    private sealed class CountingJob : ParallelJob
    {
        public int[] Hits = new int[8];
        public long Sum;

        public override void Execute(int worker, int workerCount)
        {
            Interlocked.Increment(ref Hits[worker]);
            Interlocked.Add(ref Sum, workerCount);
        }
    }

    private sealed class FailingJob : ParallelJob
    {
        public override void Execute(int worker, int workerCount)
        {
            if (worker == workerCount - 1)
                throw new InvalidOperationException("boom from " + worker);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Run_ManyJobs_EveryThreadRunsEachJobOnce(int threads)
    {
        using var pool = new WorkerPool(threads);
        var job = new CountingJob();
        var runs = threads > Environment.ProcessorCount ? 100 : 2000; // oversubscribed: correctness only
        for (var i = 0; i < runs; i++)
            pool.Run(job);
        for (var w = 0; w < threads; w++)
            Assert.Equal(runs, job.Hits[w]);
        Assert.Equal((long)runs * threads * threads, job.Sum);
    }

    [Fact]
    public void Run_AfterWorkersParked_StillCompletes()
    {
        using var pool = new WorkerPool(2);
        var job = new CountingJob();
        pool.Run(job);
        Thread.Sleep(300); // long enough for the worker to stop spinning and park
        pool.Run(job);
        Assert.Equal(2, job.Hits[1]);
    }

    [Fact]
    public void Run_WorkerThrows_ExceptionReachesCaller_PoolStaysUsable()
    {
        using var pool = new WorkerPool(2);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(new FailingJob()));
        Assert.Contains("boom from 1", error.Message);
        var job = new CountingJob();
        pool.Run(job);
        Assert.Equal(1, job.Hits[1]);
    }

    [Fact]
    public void Run_DoesNotAllocatePerCall()
    {
        using var pool = new WorkerPool(2);
        var job = new CountingJob();
        for (var i = 0; i < 100; i++)
            pool.Run(job);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            pool.Run(job);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
