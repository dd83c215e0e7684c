using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ5_1"/> (ggml <c>dequantize_row_q5_1</c>, <c>quantize_row_q5_1_ref</c>).</summary>
internal readonly struct Q5_1Reference : IBlockFormat<BlockQ5_1>
{
    private const int Half = BlockQ5_1.Elements / 2;

    public static unsafe void Dequantize(ref readonly BlockQ5_1 block, Span<float> y)
    {
        var d = (float)block.D;
        var m = (float)block.M;
        var qh = ReadHighBits(in block);
        for (var j = 0; j < Half; j++)
        {
            var xh0 = ((qh >> j) << 4) & 0x10;
            var xh1 = (qh >> (j + 12)) & 0x10;
            var x0 = (int)((block.Qs[j] & 0x0Fu) | xh0);
            var x1 = (int)((uint)(block.Qs[j] >> 4) | xh1);
            y[j] = x0 * d + m;
            y[j + Half] = x1 * d + m;
        }
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ5_1 block)
    {
        var min = float.MaxValue;
        var max = float.MinValue;
        for (var j = 0; j < BlockQ5_1.Elements; j++)
        {
            if (x[j] < min) min = x[j];
            if (x[j] > max) max = x[j];
        }

        var d = (max - min) / 31;
        var id = d != 0 ? 1.0f / d : 0.0f;
        block.D = QuantMath.ToHalf(d);
        block.M = QuantMath.ToHalf(min);

        var qh = 0u;
        for (var j = 0; j < Half; j++)
        {
            // Unlike q5_0, ggml does not clamp here: the range fits 0..31 by construction.
            var xi0 = (uint)(byte)((x[j] - min) * id + 0.5f);
            var xi1 = (uint)(byte)((x[j + Half] - min) * id + 0.5f);
            block.Qs[j] = (byte)((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
            qh |= ((xi0 & 0x10u) >> 4) << j;
            qh |= ((xi1 & 0x10u) >> 4) << (j + Half);
        }
        WriteHighBits(ref block, qh);
    }

    private static unsafe uint ReadHighBits(ref readonly BlockQ5_1 block) =>
        (uint)(block.Qh[0] | (block.Qh[1] << 8) | (block.Qh[2] << 16) | (block.Qh[3] << 24));

    private static unsafe void WriteHighBits(ref BlockQ5_1 block, uint qh)
    {
        for (var i = 0; i < 4; i++)
            block.Qh[i] = (byte)(qh >> (8 * i));
    }
}
