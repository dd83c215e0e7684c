namespace Mote.Evaluation.Benchmarks;

/// <summary>Mean and sample standard deviation of repeated measurements (as llama-bench reports them).</summary>
internal static class SampleStatistics
{
    public static double Mean(ReadOnlySpan<double> samples)
    {
        if (samples.IsEmpty)
            return 0;
        var sum = 0.0;
        foreach (var s in samples)
            sum += s;
        return sum / samples.Length;
    }

    /// <summary>Standard deviation with Bessel's correction; 0 for fewer than two samples.</summary>
    public static double StandardDeviation(ReadOnlySpan<double> samples)
    {
        if (samples.Length < 2)
            return 0;
        var mean = Mean(samples);
        var squares = 0.0;
        foreach (var s in samples)
            squares += (s - mean) * (s - mean);
        return Math.Sqrt(squares / (samples.Length - 1));
    }
}
