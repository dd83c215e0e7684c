using System.CommandLine;
using Mote.Numerics.Threading;

namespace Mote.Cli.Commands;

/// <summary>
/// The <c>--threads</c> option every command that runs the engine shares: how many compute threads (the caller
/// included) work on each matrix product. Absent, the process-wide pool with one thread per physical core is used.
/// </summary>
internal static class ThreadsOption
{
    public static Option<int> Create()
    {
        var option = new Option<int>("--threads", "-t")
        {
            Description = $"Compute threads (default: physical cores, {CpuTopology.PhysicalCores} here)",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
                result.AddError("--threads must be at least 1 (or left out for one per physical core).");
        });
        return option;
    }

    /// <summary>A pool of <paramref name="threads"/> threads, or null (the default pool) when 0.</summary>
    public static WorkerPool? CreatePool(int threads) => threads > 0 ? new WorkerPool(threads) : null;
}
