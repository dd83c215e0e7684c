using Mote.Evaluation.Benchmarks;
using Mote.Numerics.Threading;

namespace Mote.Evaluation.Tests.Benchmarks;

[Collection(BenchCollection.Name)]
public sealed class MemoryBandwidthProbeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MeasureReadGBs_AnyThreadCount_ReturnsPositiveFiniteBandwidth(int threads)
    {
        using var pool = new WorkerPool(threads);
        var gbs = MemoryBandwidthProbe.MeasureReadGBs(pool, bufferBytes: 16 << 20, passes: 2);
        Assert.True(gbs > 0 && double.IsFinite(gbs), $"{gbs} GB/s");
    }

    [Fact]
    public void MeasureReadGBs_BufferSmallerThanOneLine_Throws()
    {
        using var pool = new WorkerPool(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryBandwidthProbe.MeasureReadGBs(pool, bufferBytes: 255));
    }
}
