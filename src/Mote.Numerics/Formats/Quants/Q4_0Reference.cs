using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ4_0"/> (ggml <c>dequantize_row_q4_0</c>, <c>quantize_row_q4_0_ref</c>).</summary>
internal readonly struct Q4_0Reference : IBlockFormat<BlockQ4_0>
{
    private const int Half = BlockQ4_0.Elements / 2;

    public static unsafe void Dequantize(ref readonly BlockQ4_0 block, Span<float> y)
    {
        var d = (float)block.D;
        for (var j = 0; j < Half; j++)
        {
            var x0 = (block.Qs[j] & 0x0F) - 8;
            var x1 = (block.Qs[j] >> 4) - 8;
            y[j] = x0 * d;
            y[j + Half] = x1 * d;
        }
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ4_0 block)
    {
        // The signed value of largest magnitude maps to -8, the one level without a positive twin.
        var amax = 0f;
        var max = 0f;
        for (var j = 0; j < BlockQ4_0.Elements; j++)
        {
            if (amax < MathF.Abs(x[j]))
            {
                amax = MathF.Abs(x[j]);
                max = x[j];
            }
        }

        var d = max / -8;
        var id = d != 0 ? 1.0f / d : 0.0f;
        block.D = QuantMath.ToHalf(d);

        for (var j = 0; j < Half; j++)
        {
            // C truncates (int8_t)(v + 8.5f); the cast below does the same.
            var xi0 = Math.Min(15, (int)(sbyte)(x[j] * id + 8.5f));
            var xi1 = Math.Min(15, (int)(sbyte)(x[j + Half] * id + 8.5f));
            block.Qs[j] = (byte)(xi0 | (xi1 << 4));
        }
    }
}
