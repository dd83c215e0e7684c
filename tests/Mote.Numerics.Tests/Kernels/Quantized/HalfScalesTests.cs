using System.Runtime.Intrinsics;
using Mote.Numerics.Kernels.Quantized;
using Mote.Numerics.Tests.Kernels;

namespace Mote.Numerics.Tests.Kernels.Quantized;

/// <summary>The block-scale conversions against .NET's own <see cref="Half"/> → float, for every half (the vector one: every finite half).</summary>
public sealed class HalfScalesTests
{
    [Fact]
    public void ToSingle_EveryHalf_EqualsHalfConversionBitForBit()
    {
        for (var bits = 0; bits <= ushort.MaxValue; bits++)
        {
            var expected = (float)BitConverter.UInt16BitsToHalf((ushort)bits);
            var actual = HalfScales.ToSingle((ushort)bits);
            Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual),
                $"0x{bits:X4}: {actual:R} vs {expected:R}");
        }
    }

    [Avx512Fact]
    public void FromHighHalves_EveryFiniteHalf_EqualsHalfConversion()
    {
        var halves = new short[32];
        for (var start = 0; start <= ushort.MaxValue; start += 16)
        {
            for (var i = 0; i < 16; i++)
            {
                halves[2 * i] = (short)0x1234; // the low half of each lane must not matter
                halves[2 * i + 1] = (short)(start + i);
            }
            var floats = HalfScales.FromHighHalves(Vector512.Create(halves));
            for (var i = 0; i < 16; i++)
            {
                var half = BitConverter.UInt16BitsToHalf((ushort)(start + i));
                if (Half.IsFinite(half))
                    Assert.True((float)half == floats[i], $"0x{start + i:X4}: {floats[i]:R} vs {(float)half:R}");
            }
        }
    }
}
