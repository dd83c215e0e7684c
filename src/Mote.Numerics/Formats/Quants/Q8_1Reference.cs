using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// Scalar reference for <see cref="BlockQ8_1"/> (ggml <c>quantize_row_q8_1_ref</c>). ggml has no
/// <c>dequantize_row_q8_1</c>; expanding is q · d as for <see cref="BlockQ8_0"/>.
/// </summary>
internal readonly struct Q8_1Reference : IBlockFormat<BlockQ8_1>
{
    private const int Half = BlockQ8_1.Elements / 2;

    public static unsafe void Dequantize(ref readonly BlockQ8_1 block, Span<float> y)
    {
        var d = (float)block.D;
        for (var j = 0; j < BlockQ8_1.Elements; j++)
            y[j] = block.Qs[j] * d;
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ8_1 block)
    {
        var amax = Q8_0Reference.AbsMax(x[..BlockQ8_1.Elements]);
        var d = amax / 127;
        var id = d != 0 ? 1.0f / d : 0.0f;
        block.D = QuantMath.ToHalf(d);

        var sum = 0;
        for (var j = 0; j < Half; j++)
        {
            block.Qs[j] = (sbyte)MathF.Round(x[j] * id, MidpointRounding.AwayFromZero);
            block.Qs[j + Half] = (sbyte)MathF.Round(x[j + Half] * id, MidpointRounding.AwayFromZero);
            sum += block.Qs[j] + block.Qs[j + Half];
        }
        block.S = QuantMath.ToHalf(sum * d);
    }
}
