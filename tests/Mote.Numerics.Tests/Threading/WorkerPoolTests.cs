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

    /// <summary>Records, per share, how often it ran and on which thread it last ran.</summary>
    private sealed class ThreadRecordingJob(int shares) : ParallelJob
    {
        public readonly int[] Hits = new int[shares];
        public readonly int[] Threads = new int[shares];

        public override void Execute(int worker, int workerCount)
        {
            Interlocked.Increment(ref Hits[worker]);
            Threads[worker] = Environment.CurrentManagedThreadId;
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
    public void Run_RightAfterConstruction_EveryWorkerRunsTheJob()
    {
        // A worker thread that starts after the first Run must still take that job.
        var completed = RunsWithin(TimeSpan.FromSeconds(60), () =>
        {
            for (var i = 0; i < 200; i++)
            {
                using var pool = new WorkerPool(3);
                var job = new CountingJob();
                pool.Run(job);
                Assert.Equal([1, 1, 1], job.Hits[..3]);
            }
        });
        Assert.True(completed, "a Run issued right after construction never finished (lost job)");
    }

    [Fact]
    public void Run_WhileWorkersPark_NeverLosesAWakeUp()
    {
        // No spinning: workers park after every job, so each Run races with a worker announcing its nap.
        var completed = RunsWithin(TimeSpan.FromSeconds(60), () =>
        {
            using var pool = new WorkerPool(2, tightSpins: 0, yieldingSpins: 0);
            var job = new CountingJob();
            for (var i = 0; i < 400_000; i++)
                pool.Run(job);
            Assert.Equal(400_000, job.Hits[1]);
        });
        Assert.True(completed, "a Run never finished: a parked worker missed its wake-up");
    }

    private static bool RunsWithin(TimeSpan limit, Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { action(); }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true };
        thread.Start();
        var finished = thread.Join(limit);
        if (failure is not null)
            throw new Xunit.Sdk.XunitException("the pool run failed: " + failure);
        return finished;
    }

    [Fact]
    public void Run_WorkerNotRunning_CallerTakesItsShareInsteadOfWaiting()
    {
        // Workers park after every job, so each Run finds its worker asleep: the caller must not wait out the
        // wake-up but run the worker's share itself (the worker, once up, finds the job closed).
        using var pool = new WorkerPool(2, tightSpins: 0, yieldingSpins: 0);
        var job = new ThreadRecordingJob(2);
        var caller = Environment.CurrentManagedThreadId;
        var callerRanShareOne = 0;
        const int runs = 2_000;
        for (var i = 0; i < runs; i++)
        {
            pool.Run(job);
            if (job.Threads[1] == caller)
                callerRanShareOne++;
        }
        Assert.Equal([runs, runs], job.Hits);
        Assert.True(callerRanShareOne > 0, "the caller always waited for the parked worker to run share 1");
    }

    [Fact]
    public void RunOnEveryThread_EachShareRunsOnItsOwnThread_EvenWhenWorkersPark()
    {
        using var pool = new WorkerPool(3, tightSpins: 0, yieldingSpins: 0);
        var everyThread = new ThreadRecordingJob(3);
        var shares = new CountingJob();
        const int runs = 3_000;
        var completed = RunsWithin(TimeSpan.FromSeconds(60), () =>
        {
            var caller = Environment.CurrentManagedThreadId;
            for (var i = 0; i < runs; i++)
            {
                // Interleaved with share-claiming runs, whose late workers must not re-run an every-thread job.
                pool.Run(shares);
                pool.RunOnEveryThread(everyThread);
                Assert.Equal(caller, everyThread.Threads[0]);
                Assert.Equal(3, everyThread.Threads.Distinct().Count());
            }
        });
        Assert.True(completed, "a run never finished");
        Assert.Equal([runs, runs, runs], everyThread.Hits);
        Assert.Equal([runs, runs, runs], shares.Hits[..3]);
    }

    [Fact]
    public void RunOnEveryThread_WorkerThrows_ExceptionReachesCaller()
    {
        using var pool = new WorkerPool(2);
        var error = Assert.Throws<InvalidOperationException>(() => pool.RunOnEveryThread(new FailingJob()));
        Assert.Contains("boom from 1", error.Message);
        var job = new ThreadRecordingJob(2);
        pool.RunOnEveryThread(job);
        Assert.NotEqual(job.Threads[0], job.Threads[1]);
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
