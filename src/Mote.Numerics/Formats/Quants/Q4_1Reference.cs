using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ4_1"/> (ggml <c>dequantize_row_q4_1</c>, <c>quantize_row_q4_1_ref</c>).</summary>
internal readonly struct Q4_1Reference : IBlockFormat<BlockQ4_1>
{
    private const int Half = BlockQ4_1.Elements / 2;

    public static unsafe void Dequantize(ref readonly BlockQ4_1 block, Span<float> y)
    {
        var d = (float)block.D;
        var m = (float)block.M;
        for (var j = 0; j < Half; j++)
        {
            var x0 = block.Qs[j] & 0x0F;
            var x1 = block.Qs[j] >> 4;
            y[j] = x0 * d + m;
            y[j + Half] = x1 * d + m;
        }
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ4_1 block)
    {
        var min = float.MaxValue;
        var max = float.MinValue;
        for (var j = 0; j < BlockQ4_1.Elements; j++)
        {
            if (x[j] < min) min = x[j];
            if (x[j] > max) max = x[j];
        }

        var d = (max - min) / 15;
        var id = d != 0 ? 1.0f / d : 0.0f;
        block.D = QuantMath.ToHalf(d);
        block.M = QuantMath.ToHalf(min);

        for (var j = 0; j < Half; j++)
        {
            var xi0 = Math.Min(15, (int)(sbyte)((x[j] - min) * id + 0.5f));
            var xi1 = Math.Min(15, (int)(sbyte)((x[j + Half] - min) * id + 0.5f));
            block.Qs[j] = (byte)(xi0 | (xi1 << 4));
        }
    }
}
