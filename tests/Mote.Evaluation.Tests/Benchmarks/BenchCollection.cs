namespace Mote.Evaluation.Tests.Benchmarks;

/// <summary>
/// Bench runs count managed allocations on every thread of the process, so they must not run while other tests
/// allocate; this collection runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchCollection
{
    public const string Name = "bench (runs alone)";
}
