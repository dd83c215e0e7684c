using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mote.Numerics.Formats.Quants;
using Mote.Numerics.Kernels.Quantized;

namespace Mote.Numerics.Tests.Kernels.Quantized;

/// <summary>The unpacked q4_K / q5_K scales and minimums against ggml's <c>get_scale_min_k4</c> (<see cref="KScales"/>).</summary>
public sealed unsafe class PackedKScalesTests
{
    [Fact]
    public void ScalesAndMins_RandomAndEdgeBytes_MatchGetScaleMin()
    {
        var random = new Random(12);
        var block = new byte[144];
        for (var trial = 0; trial < 20_000; trial++)
        {
            // Random bytes, then all ones and all zeros: every bit of every packed byte reaches some output.
            if (trial == 0)
                Array.Fill(block, (byte)0xFF);
            else if (trial == 1)
                Array.Clear(block);
            else
                random.NextBytes(block);
            var expected = new byte[16];
            for (var j = 0; j < 8; j++)
                KScales.GetScaleMin(j, block.AsSpan(4, 12), out expected[j], out expected[8 + j]);
            fixed (byte* p = block)
            {
                Assert.Equal(expected, ToArray(PackedKScales.ScalesAndMinsScalar(p)));
                if (Ssse3.IsSupported)
                    Assert.Equal(expected, ToArray(PackedKScales.ScalesAndMinsSsse3(p)));
            }
        }
    }

    private static byte[] ToArray(Vector128<byte> v)
    {
        var bytes = new byte[16];
        v.StoreUnsafe(ref bytes[0]);
        return bytes;
    }
}
