namespace Mote.Server.LocalModels.Scheduling;

/// <summary>
/// Running totals of one scheduler, written by its thread and read by anyone (metrics, tests): how much work the
/// steps did and how much of it continuous batching and prefix reuse saved.
/// </summary>
internal sealed class SchedulerStats
{
    private long _steps;
    private long _batchedSteps;
    private long _promptTokensEvaluated;
    private long _promptTokensReused;
    private long _tokensGenerated;
    private int _maxSequencesInStep;

    /// <summary>Forward passes run.</summary>
    public long Steps => Volatile.Read(ref _steps);

    /// <summary>Forward passes that carried rows of more than one sequence.</summary>
    public long BatchedSteps => Volatile.Read(ref _batchedSteps);

    /// <summary>Prompt tokens run through the model.</summary>
    public long PromptTokensEvaluated => Volatile.Read(ref _promptTokensEvaluated);

    /// <summary>Prompt tokens whose KV entries were reused from a slot's cached prefix instead.</summary>
    public long PromptTokensReused => Volatile.Read(ref _promptTokensReused);

    public long TokensGenerated => Volatile.Read(ref _tokensGenerated);

    public int MaxSequencesInStep => Volatile.Read(ref _maxSequencesInStep);

    internal void Step(int sequences)
    {
        Interlocked.Increment(ref _steps);
        if (sequences > 1)
            Interlocked.Increment(ref _batchedSteps);
        if (sequences > _maxSequencesInStep)
            Volatile.Write(ref _maxSequencesInStep, sequences);
    }

    internal void Prompt(int evaluated, int reused)
    {
        Interlocked.Add(ref _promptTokensEvaluated, evaluated);
        Interlocked.Add(ref _promptTokensReused, reused);
    }

    internal void Generated() => Interlocked.Increment(ref _tokensGenerated);
}
