using System.Runtime.InteropServices;
using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ2_K"/> (ggml <c>dequantize_row_q2_K</c>, <c>quantize_row_q2_K_ref</c>).</summary>
internal readonly struct Q2_KReference : IBlockFormat<BlockQ2_K>
{
    private const int GroupSize = 16;
    private const int Groups = BlockQ2_K.Elements / GroupSize;

    public static unsafe void Dequantize(ref readonly BlockQ2_K block, Span<float> y)
    {
        var d = (float)block.D;
        var min = (float)block.DMin;
        var o = 0;
        var group = 0;
        for (var half = 0; half < 2; half++)
        {
            var q = half * 32;
            for (var shift = 0; shift < 8; shift += 2)
            {
                // Each shift covers 32 elements: two groups of 16 with their own scale and minimum.
                for (var part = 0; part < 2; part++)
                {
                    var sc = block.Scales[group++];
                    var dl = d * (sc & 0xF);
                    var ml = min * (sc >> 4);
                    for (var l = 0; l < 16; l++)
                        y[o++] = dl * ((block.Qs[q + 16 * part + l] >> shift) & 3) - ml;
                }
            }
        }
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ2_K block)
    {
        const float q4Scale = 15f;
        Span<byte> levels = stackalloc byte[BlockQ2_K.Elements];
        Span<byte> scratch = stackalloc byte[GroupSize];
        Span<float> weights = stackalloc float[GroupSize];
        Span<float> mins = stackalloc float[Groups];
        Span<float> scales = stackalloc float[Groups];

        var maxScale = 0f; // the minimum is subtracted, so scales are never negative
        var maxMin = 0f;
        for (var j = 0; j < Groups; j++)
        {
            var xg = x.Slice(GroupSize * j, GroupSize);
            for (var l = 0; l < GroupSize; l++)
                weights[l] = MathF.Abs(xg[l]);
            scales[j] = KQuantSearch.MakeQkx2Quants(xg, 3, weights, levels.Slice(GroupSize * j, GroupSize), out mins[j], scratch, -0.5f, 0.1f, 15, true);
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }

        if (maxScale > 0)
        {
            var iscale = q4Scale / maxScale;
            for (var j = 0; j < Groups; j++)
                block.Scales[j] = (byte)QuantMath.NearestInt(iscale * scales[j]);
            block.D = QuantMath.ToHalf(maxScale / q4Scale);
        }
        else
        {
            for (var j = 0; j < Groups; j++)
                block.Scales[j] = 0;
            block.D = QuantMath.ToHalf(0f);
        }
        if (maxMin > 0)
        {
            var iscale = q4Scale / maxMin;
            for (var j = 0; j < Groups; j++)
                block.Scales[j] |= (byte)(QuantMath.NearestInt(iscale * mins[j]) << 4);
            block.DMin = QuantMath.ToHalf(maxMin / q4Scale);
        }
        else
        {
            block.DMin = QuantMath.ToHalf(0f);
        }

        // Requantize against the rounded scales; groups whose scale rounded to zero keep the search's levels.
        for (var j = 0; j < Groups; j++)
        {
            var d = (float)block.D * (block.Scales[j] & 0xF);
            if (d == 0)
                continue;
            var dm = (float)block.DMin * (block.Scales[j] >> 4);
            for (var ii = 0; ii < GroupSize; ii++)
            {
                var l = QuantMath.NearestInt((x[GroupSize * j + ii] + dm) / d);
                levels[GroupSize * j + ii] = (byte)Math.Max(0, Math.Min(3, l));
            }
        }

        PackTwoBits(levels, MemoryMarshal.CreateSpan(ref block.Qs[0], BlockQ2_K.Elements / 4));
    }

    /// <summary>
    /// Packs 256 two-bit levels: in each 128-element half, byte l holds elements l, l+32, l+64, l+96 at
    /// shifts 0, 2, 4, 6. Shared with q3_K.
    /// </summary>
    internal static void PackTwoBits(ReadOnlySpan<byte> levels, Span<byte> qs)
    {
        for (var j = 0; j < BlockQ2_K.Elements; j += 128)
        {
            for (var l = 0; l < 32; l++)
                qs[j / 4 + l] = (byte)(levels[j + l] | (levels[j + l + 32] << 2) | (levels[j + l + 64] << 4) | (levels[j + l + 96] << 6));
        }
    }
}
