using System.Runtime.ExceptionServices;

namespace Mote.Numerics.Threading;

/// <summary>
/// A persistent pool of compute threads for the per-token hot path. <see cref="Run"/> hands one
/// <see cref="ParallelJob"/> to every thread (the caller is thread 0) and returns when all are done. Idle workers
/// spin briefly for the next job — decode issues hundreds of small jobs per token, so waking a sleeping thread
/// each time would dominate — then park on a semaphore so an idle process costs no CPU.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private const int TightSpinIterations = 50_000;
    private const int YieldingSpinIterations = 2_000;

    private static readonly Lazy<WorkerPool> s_default = new(() => new WorkerPool(CpuTopology.PhysicalCores));

    private readonly int _tightSpins;
    private readonly int _yieldingSpins;
    private readonly Worker[] _workers;
    private readonly Lock _runLock = new();
    private ParallelJob? _job;
    private long _generation;
    private int _pending;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _disposed;

    /// <param name="threadCount">Threads working on each job, including the caller (at least 1).</param>
    public WorkerPool(int threadCount)
        : this(threadCount, TightSpinIterations, YieldingSpinIterations)
    {
    }

    /// <summary>Tests shorten the spins so workers park between almost every job, exposing wake-up races.</summary>
    internal WorkerPool(int threadCount, int tightSpins, int yieldingSpins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        _tightSpins = tightSpins;
        _yieldingSpins = yieldingSpins;
        ThreadCount = threadCount;
        _workers = new Worker[threadCount - 1];
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(this, i + 1);
            _workers[i].Thread.Start();
        }
    }

    /// <summary>A process-wide pool with one thread per physical core.</summary>
    public static WorkerPool Default => s_default.Value;

    public int ThreadCount { get; }

    /// <summary>Runs <paramref name="job"/> on every thread and waits for all of them. Calls are serialized.</summary>
    public void Run(ParallelJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_workers.Length == 0)
        {
            job.Execute(0, 1);
            return;
        }

        lock (_runLock)
        {
            _job = job;
            _failure = null;
            Volatile.Write(ref _pending, _workers.Length);
            Interlocked.Increment(ref _generation);
            foreach (var worker in _workers)
                worker.WakeIfParked();

            try
            {
                job.Execute(0, ThreadCount);
            }
            finally
            {
                // The workers are running their shares right now: spin, yielding only if it takes long.
                for (var i = 0; Volatile.Read(ref _pending) != 0; i++)
                {
                    if (i < TightSpinIterations)
                        Thread.SpinWait(8);
                    else
                        Thread.Yield();
                }
                _job = null;
            }
            _failure?.Throw();
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Interlocked.Increment(ref _generation);
        foreach (var worker in _workers)
        {
            worker.WakeIfParked();
            worker.Thread.Join();
        }
    }

    private void WorkerLoop(Worker worker)
    {
        // Generation 0 is the one before any Run: reading _generation here instead would race with a Run issued
        // before this thread first gets scheduled, and the worker would skip that job forever.
        long seen = 0;
        while (true)
        {
            var generation = WaitForNextGeneration(worker, seen);
            seen = generation;
            if (_disposed)
                return;
            try
            {
                _job!.Execute(worker.Index, ThreadCount);
            }
            catch (Exception e)
            {
                _failure ??= ExceptionDispatchInfo.Capture(e);
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    private long WaitForNextGeneration(Worker worker, long seen)
    {
        while (true)
        {
            // First a tight spin (the next job of a forward pass is microseconds away), then a spin that yields
            // to other runnable threads so an oversubscribed machine still makes progress, then park.
            for (var i = 0; ; i++)
            {
                var generation = Volatile.Read(ref _generation);
                if (generation != seen)
                    return generation;
                if (i >= _tightSpins + _yieldingSpins)
                    break;
                if (i < _tightSpins)
                    Thread.SpinWait(8);
                else
                    Thread.Yield();
            }
            worker.Park(this, seen);
        }
    }

    /// <summary>One background thread and its parking state.</summary>
    private sealed class Worker
    {
        private readonly SemaphoreSlim _wake = new(0);
        private int _parked;

        public Worker(WorkerPool pool, int index)
        {
            Index = index;
            Thread = new Thread(() => pool.WorkerLoop(this))
            {
                IsBackground = true,
                Name = $"mote-compute-{index}",
                Priority = ThreadPriority.AboveNormal,
            };
        }

        public int Index { get; }

        public Thread Thread { get; }

        /// <summary>Sleeps until woken, unless a job newer than <paramref name="seen"/> arrives while announcing the nap.</summary>
        public void Park(WorkerPool pool, long seen)
        {
            // A full fence, not a release write: the store must be visible before the generation is re-read, or
            // the dispatcher can miss the flag while this thread misses the new generation (a lost wake-up).
            Interlocked.Exchange(ref _parked, 1);
            if (Volatile.Read(ref pool._generation) != seen || pool._disposed)
            {
                // Work arrived while parking: undo, unless the dispatcher already claimed the wake-up.
                if (Interlocked.Exchange(ref _parked, 0) == 1)
                    return;
            }
            _wake.Wait();
        }

        public void WakeIfParked()
        {
            if (Interlocked.Exchange(ref _parked, 0) == 1)
                _wake.Release();
        }
    }

}
