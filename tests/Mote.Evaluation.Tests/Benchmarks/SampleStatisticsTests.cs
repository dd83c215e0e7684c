using Mote.Evaluation.Benchmarks;

namespace Mote.Evaluation.Tests.Benchmarks;

public sealed class SampleStatisticsTests
{
    [Fact]
    public void StandardDeviation_UsesBesselsCorrection_AsLlamaBench()
    {
        // Sample variance of 2, 4, 4, 4, 5, 5, 7, 9: Σ(x − 5)² = 32, / (8 − 1).
        double[] samples = [2, 4, 4, 4, 5, 5, 7, 9];
        Assert.Equal(5, SampleStatistics.Mean(samples));
        Assert.Equal(Math.Sqrt(32.0 / 7), SampleStatistics.StandardDeviation(samples), 12);
    }

    [Fact]
    public void StandardDeviation_OneSample_IsZero()
    {
        Assert.Equal(0, SampleStatistics.StandardDeviation([42.0]));
        Assert.Equal(42, SampleStatistics.Mean([42.0]));
    }
}
