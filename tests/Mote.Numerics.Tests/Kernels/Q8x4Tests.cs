using Mote.Numerics.Kernels;
using Mote.Numerics.Kernels.Quantized;
using Mote.Numerics.Tests.Formats;

namespace Mote.Numerics.Tests.Kernels;

public sealed unsafe class Q8x4Tests
{
    [Avx512Fact]
    public void QuantizeAvx512_SweepOfBlockCounts_RoundTripsWithinHalfAStep()
    {
        var random = new Random(11);
        for (var blocks = 1; blocks <= 13; blocks++)
        {
            var cols = blocks * 32;
            var x = DotTests.RandomFloats(cols, random);
            var packed = new byte[Q8x4.Bytes(cols)];
            var back = new float[cols];
            fixed (float* xp = x, bp = back)
            fixed (byte* p = packed)
            {
                Q8x4.QuantizeAvx512(xp, cols, p, -8f);
                Q8x4.Dequantize(p, cols, bp);
                for (var b = 0; b < blocks; b++)
                {
                    var amax = 0f;
                    var sum = 0.0;
                    for (var i = 0; i < 32; i++)
                        amax = Math.Max(amax, Math.Abs(x[b * 32 + i]));
                    var d = amax / 127;
                    for (var i = 0; i < 32; i++)
                    {
                        var j = b * 32 + i;
                        Assert.True(Math.Abs(back[j] - x[j]) <= d / 2 * 1.0001, $"{blocks} blocks, element {j}: {back[j]} vs {x[j]} (d {d})");
                        sum += back[j];
                    }
                    Assert.Equal(-8 * sum, Q8x4.SumTerm(p, b), 3);
                }
            }
        }
    }
}
