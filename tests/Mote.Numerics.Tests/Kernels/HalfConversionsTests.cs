using Mote.Numerics.Kernels;

namespace Mote.Numerics.Tests.Kernels;

public sealed class HalfConversionsTests
{
    /// <summary>
    /// For every non-NaN float, ggml's fp16 rounding is IEEE round-to-nearest-even, which .NET's
    /// <c>(Half)</c> conversion implements independently. Sweep random bit patterns plus edge values.
    /// </summary>
    [Fact]
    public void SingleToHalfBits_NonNaN_MatchesIeeeRoundToNearestEven()
    {
        var random = new Random(42);
        var values = new List<float>
        {
            0f, -0f, 1f, -1f, 65504f, 65519.99f, 65520f, float.MaxValue, float.Epsilon, 5.96e-8f, 2.98e-8f, 2.9802322e-8f,
            6.1035156e-5f, 6.103515e-5f, float.PositiveInfinity, float.NegativeInfinity, 1.0009766f, 1.00048828125f,
        };
        for (var i = 0; i < 200_000; i++)
            values.Add(BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue)));

        foreach (var value in values.Where(v => !float.IsNaN(v)))
        {
            var expected = BitConverter.HalfToUInt16Bits((Half)value);
            Assert.True(expected == HalfConversions.SingleToHalfBits(value), $"{value:R} (0x{BitConverter.SingleToUInt32Bits(value):X8})");
        }
    }

    [Theory]
    [InlineData(0x7FC00000u, (ushort)0x7E00)]
    [InlineData(0x7F800001u, (ushort)0x7E00)]
    [InlineData(0xFFC12345u, (ushort)0xFE00)]
    public void SingleToHalfBits_NaN_BecomesGgmlQuietNaN(uint floatBits, ushort expected) =>
        Assert.Equal(expected, HalfConversions.SingleToHalfBits(BitConverter.UInt32BitsToSingle(floatBits)));

    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)] // 1
    [InlineData(0x3F808000u, (ushort)0x3F80)] // tie, even stays
    [InlineData(0x3F818000u, (ushort)0x3F82)] // tie, odd rounds up
    [InlineData(0x3F808001u, (ushort)0x3F81)] // above the tie
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float max overflows to infinity
    [InlineData(0x00000001u, (ushort)0x0000)] // subnormals round, not flush (ggml no longer flushes)
    [InlineData(0x00008000u, (ushort)0x0000)]
    [InlineData(0x00018000u, (ushort)0x0002)]
    [InlineData(0x7F800001u, (ushort)0x7FC0)] // signalling NaN forced quiet
    [InlineData(0x7F810000u, (ushort)0x7FC1)] // NaN keeps its top bits
    [InlineData(0xFFFFFFFFu, (ushort)0xFFFF)]
    public void SingleToBFloat16Bits_MatchesGgml(uint floatBits, ushort expected) =>
        Assert.Equal(expected, HalfConversions.SingleToBFloat16Bits(BitConverter.UInt32BitsToSingle(floatBits)));

    [Fact]
    public void BFloat16ToSingle_EveryLength_WidensExactly()
    {
        var random = new Random(3);
        for (var n = 0; n <= 70; n++)
        {
            var source = new ushort[n];
            for (var i = 0; i < n; i++)
                source[i] = (ushort)random.Next(0, 65536);
            var destination = new float[n];
            HalfConversions.BFloat16ToSingle(source, destination);
            for (var i = 0; i < n; i++)
                Assert.Equal((uint)source[i] << 16, BitConverter.SingleToUInt32Bits(destination[i]));
        }
    }
}
