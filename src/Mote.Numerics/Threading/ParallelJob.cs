namespace Mote.Numerics.Threading;

/// <summary>
/// A unit of parallel work run by <see cref="WorkerPool"/>. Callers keep one instance per operation and set its
/// fields before each run, so dispatching allocates nothing (no closures, no tasks).
/// </summary>
public abstract class ParallelJob
{
    /// <summary>Runs this thread's share. <paramref name="worker"/> is 0 for the calling thread.</summary>
    public abstract void Execute(int worker, int workerCount);
}
