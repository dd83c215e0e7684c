namespace Mote.Numerics.Threading;

/// <summary>
/// A unit of parallel work run by <see cref="WorkerPool"/>. Callers keep one instance per operation and set its
/// fields before each run, so dispatching allocates nothing (no closures, no tasks).
/// </summary>
public abstract class ParallelJob
{
    /// <summary>
    /// Runs share <paramref name="worker"/> of <paramref name="workerCount"/>. Under <see cref="WorkerPool.Run"/>
    /// a share is whichever one the running thread claimed (one thread may run several in turn); under
    /// <see cref="WorkerPool.RunOnEveryThread"/> it is the thread's own index, 0 being the caller.
    /// </summary>
    public abstract void Execute(int worker, int workerCount);
}
