using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ5_0"/> (ggml <c>dequantize_row_q5_0</c>, <c>quantize_row_q5_0_ref</c>).</summary>
internal readonly struct Q5_0Reference : IBlockFormat<BlockQ5_0>
{
    private const int Half = BlockQ5_0.Elements / 2;

    public static unsafe void Dequantize(ref readonly BlockQ5_0 block, Span<float> y)
    {
        var d = (float)block.D;
        var qh = ReadHighBits(in block);
        for (var j = 0; j < Half; j++)
        {
            var xh0 = ((qh >> j) << 4) & 0x10;
            var xh1 = (qh >> (j + 12)) & 0x10;
            var x0 = (int)((block.Qs[j] & 0x0Fu) | xh0) - 16;
            var x1 = (int)((uint)(block.Qs[j] >> 4) | xh1) - 16;
            y[j] = x0 * d;
            y[j + Half] = x1 * d;
        }
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ5_0 block)
    {
        var amax = 0f;
        var max = 0f;
        for (var j = 0; j < BlockQ5_0.Elements; j++)
        {
            if (amax < MathF.Abs(x[j]))
            {
                amax = MathF.Abs(x[j]);
                max = x[j];
            }
        }

        var d = max / -16;
        var id = d != 0 ? 1.0f / d : 0.0f;
        block.D = QuantMath.ToHalf(d);

        var qh = 0u;
        for (var j = 0; j < Half; j++)
        {
            var xi0 = (uint)Math.Min(31, (int)(sbyte)(x[j] * id + 16.5f));
            var xi1 = (uint)Math.Min(31, (int)(sbyte)(x[j + Half] * id + 16.5f));
            block.Qs[j] = (byte)((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
            qh |= ((xi0 & 0x10u) >> 4) << j;
            qh |= ((xi1 & 0x10u) >> 4) << (j + Half);
        }
        WriteHighBits(ref block, qh);
    }

    private static unsafe uint ReadHighBits(ref readonly BlockQ5_0 block) =>
        (uint)(block.Qh[0] | (block.Qh[1] << 8) | (block.Qh[2] << 16) | (block.Qh[3] << 24));

    private static unsafe void WriteHighBits(ref BlockQ5_0 block, uint qh)
    {
        for (var i = 0; i < 4; i++)
            block.Qh[i] = (byte)(qh >> (8 * i));
    }
}
