using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ8_K"/> (ggml <c>dequantize_row_q8_K</c>, <c>quantize_row_q8_K_ref</c>).</summary>
internal readonly struct Q8_KReference : IBlockFormat<BlockQ8_K>
{
    public static unsafe void Dequantize(ref readonly BlockQ8_K block, Span<float> y)
    {
        for (var j = 0; j < BlockQ8_K.Elements; j++)
            y[j] = block.D * block.Qs[j];
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ8_K block)
    {
        var max = 0f;
        var amax = 0f;
        for (var j = 0; j < BlockQ8_K.Elements; j++)
        {
            var ax = MathF.Abs(x[j]);
            if (ax > amax)
            {
                amax = ax;
                max = x[j];
            }
        }
        if (amax == 0)
        {
            // ggml leaves bsums unwritten here; zero is their true value.
            block = default;
            return;
        }

        // -127 rather than -128 keeps every quant within ±127 (ggml notes this eases its IQ2 kernels).
        var iscale = -127f / max;
        for (var j = 0; j < BlockQ8_K.Elements; j++)
            block.Qs[j] = (sbyte)Math.Min(127, QuantMath.NearestInt(iscale * x[j]));
        for (var j = 0; j < BlockQ8_K.Elements / 16; j++)
        {
            var sum = 0;
            for (var ii = 0; ii < 16; ii++)
                sum += block.Qs[j * 16 + ii];
            block.BSums[j] = (short)sum;
        }
        block.D = 1 / iscale;
    }
}
