using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ8_0"/> (ggml <c>dequantize_row_q8_0</c>, <c>quantize_row_q8_0_ref</c>).</summary>
internal readonly struct Q8_0Reference : IBlockFormat<BlockQ8_0>
{
    public static unsafe void Dequantize(ref readonly BlockQ8_0 block, Span<float> y)
    {
        var d = (float)block.D;
        for (var j = 0; j < BlockQ8_0.Elements; j++)
            y[j] = block.Qs[j] * d;
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ8_0 block)
    {
        var amax = AbsMax(x[..BlockQ8_0.Elements]);
        var d = amax / 127;
        var id = d != 0 ? 1.0f / d : 0.0f;
        block.D = QuantMath.ToHalf(d);
        for (var j = 0; j < BlockQ8_0.Elements; j++)
            block.Qs[j] = (sbyte)MathF.Round(x[j] * id, MidpointRounding.AwayFromZero); // C roundf
    }

    /// <summary>ggml's <c>amax = MAX(amax, fabsf(v))</c> loop, comparison order included.</summary>
    internal static float AbsMax(ReadOnlySpan<float> x)
    {
        var amax = 0f;
        foreach (var v in x)
        {
            var a = MathF.Abs(v);
            amax = amax > a ? amax : a;
        }
        return amax;
    }
}
