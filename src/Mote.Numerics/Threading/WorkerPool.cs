using System.Runtime.ExceptionServices;

namespace Mote.Numerics.Threading;

/// <summary>
/// A persistent pool of compute threads for the per-token hot path. <see cref="Run"/> splits one
/// <see cref="ParallelJob"/> into <see cref="ThreadCount"/> shares that the caller and the workers claim as they
/// arrive, and returns when every share is done. Idle workers spin briefly for the next job — decode issues
/// hundreds of small jobs per token, so waking a sleeping thread each time would dominate — then park on a
/// semaphore so an idle process costs no CPU.
/// <para>
/// Shares are claimed, not assigned, because the machine is shared: a server's HTTP threads, other processes or a
/// parked worker's wake-up latency can keep a worker off its core for longer than a whole job takes. The caller
/// then runs that worker's share itself and waits only for workers that actually started one, instead of spinning
/// until a descheduled thread comes back to find nothing left to do.
/// </para>
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private const int TightSpinIterations = 50_000;
    private const int YieldingSpinIterations = 2_000;

    // The dispatcher's wait for workers still inside a share: spin this long, then yield so that a preempted
    // worker waiting for a core can have this one.
    private const int CallerSpinIterations = 4_000;

    // _state: Open while the current job takes new workers, plus the number of workers inside it.
    private const int Open = 1 << 30;

    private static readonly Lazy<WorkerPool> s_default = new(() => new WorkerPool(CpuTopology.PhysicalCores));

    private readonly int _tightSpins;
    private readonly int _yieldingSpins;
    private readonly Worker[] _workers;
    private readonly Lock _runLock = new();
    private ParallelJob? _job;
    private long _generation;
    private int _state;
    private int _nextShare;
    private int _pending; // RunOnEveryThread: workers that have not run their share yet
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

    /// <summary>
    /// Runs shares 0 … <see cref="ThreadCount"/> − 1 of <paramref name="job"/>, each exactly once, and waits for all
    /// of them. Any pool thread may run any share, and one thread may run several one after another, so a job
    /// keeps per-share state (scratch) by share index and must not assume one share per thread. Calls are
    /// serialized.
    /// </summary>
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
            _nextShare = 0;
            Volatile.Write(ref _state, Open); // publishes _job and _nextShare to workers that join
            Interlocked.Increment(ref _generation);
            foreach (var worker in _workers)
                worker.WakeIfParked();

            try
            {
                RunShares(job);
            }
            finally
            {
                // Every share is claimed: close the job to late workers, then wait for those still inside.
                Interlocked.And(ref _state, ~Open);
                WaitUntilZero(ref _state);
                _job = null;
            }
            _failure?.Throw();
        }
    }

    /// <summary>
    /// Runs <paramref name="job"/> once on every pool thread, share i on thread i (the caller is 0), waiting for
    /// workers that are not running. For jobs about the threads themselves (per-thread counters, a bandwidth
    /// probe where each thread must read its own part); compute uses <see cref="Run"/>.
    /// </summary>
    public void RunOnEveryThread(ParallelJob job)
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
            foreach (var worker in _workers)
                Volatile.Write(ref worker.OwesShare, 1);
            Interlocked.Increment(ref _generation);
            foreach (var worker in _workers)
                worker.WakeIfParked();

            try
            {
                job.Execute(0, ThreadCount);
            }
            finally
            {
                WaitUntilZero(ref _pending);
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

    private void RunShares(ParallelJob job)
    {
        while (true)
        {
            var share = Interlocked.Increment(ref _nextShare) - 1;
            if (share >= ThreadCount)
                return;
            job.Execute(share, ThreadCount);
        }
    }

    private static void WaitUntilZero(ref int counter)
    {
        for (var i = 0; Volatile.Read(ref counter) != 0; i++)
        {
            if (i < CallerSpinIterations)
                Thread.SpinWait(8);
            else
                Thread.Yield();
        }
    }

    private void WorkerLoop(Worker worker)
    {
        // Generation 0 is the one before any Run: reading _generation here instead would race with a Run issued
        // before this thread first gets scheduled, and the worker would skip that job forever.
        long seen = 0;
        while (true)
        {
            seen = WaitForNextGeneration(worker, seen);
            if (_disposed)
                return;
            // The generation read may already be stale: whatever job is current now is the one to help with.
            if (Interlocked.Exchange(ref worker.OwesShare, 0) == 1)
            {
                try
                {
                    _job!.Execute(worker.Index, ThreadCount);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                }
                Interlocked.Decrement(ref _pending);
            }
            else if (TryJoin())
            {
                try
                {
                    RunShares(_job!);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                }
                Interlocked.Decrement(ref _state);
            }
        }
    }

    /// <summary>Enters the current job unless the caller has already closed it (then its shares are all taken).</summary>
    private bool TryJoin()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if ((state & Open) == 0)
                return false;
            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
                return true;
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

        /// <summary>1 while a <see cref="RunOnEveryThread"/> job waits for this thread's share.</summary>
        public int OwesShare;

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
