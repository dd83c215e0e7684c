using System.Runtime.InteropServices;
using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ4_K"/> (ggml <c>dequantize_row_q4_K</c>, <c>quantize_row_q4_K_ref</c>).</summary>
internal readonly struct Q4_KReference : IBlockFormat<BlockQ4_K>
{
    private const int GroupSize = 32;
    private const int Groups = BlockQ4_K.Elements / GroupSize;

    public static unsafe void Dequantize(ref readonly BlockQ4_K block, Span<float> y)
    {
        var d = (float)block.D;
        var min = (float)block.DMin;
        var scales = MemoryMarshal.CreateReadOnlySpan(in block.Scales[0], 12);
        var o = 0;
        for (int j = 0, q = 0, group = 0; j < BlockQ4_K.Elements; j += 64, q += 32, group += 2)
        {
            KScales.GetScaleMin(group, scales, out var sc, out var m);
            var d1 = d * sc;
            var m1 = min * m;
            KScales.GetScaleMin(group + 1, scales, out sc, out m);
            var d2 = d * sc;
            var m2 = min * m;
            for (var l = 0; l < 32; l++)
                y[o++] = d1 * (block.Qs[q + l] & 0xF) - m1;
            for (var l = 0; l < 32; l++)
                y[o++] = d2 * (block.Qs[q + l] >> 4) - m2;
        }
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ4_K block)
    {
        Span<byte> levels = stackalloc byte[BlockQ4_K.Elements];
        var scales = MemoryMarshal.CreateSpan(ref block.Scales[0], 12);
        FitScalesAndLevels(x, nmax: 15, rmin: -1f, rdelta: 0.1f, steps: 20, levels, scales, out block.D, out block.DMin);

        var qs = MemoryMarshal.CreateSpan(ref block.Qs[0], BlockQ4_K.Elements / 2);
        for (int j = 0, q = 0; j < BlockQ4_K.Elements; j += 64, q += 32)
        {
            for (var l = 0; l < 32; l++)
                qs[q + l] = (byte)(levels[j + l] | (levels[j + l + 32] << 4));
        }
    }

    /// <summary>
    /// The part of <c>quantize_row_q4_K_ref</c> that q5_K shares (with its own constants): fit each
    /// 32-element group's scale and minimum, quantize those to 6 bits against the block's largest, then
    /// requantize every element to 0…<paramref name="nmax"/> against the rounded values.
    /// </summary>
    internal static void FitScalesAndLevels(ReadOnlySpan<float> x, int nmax, float rmin, float rdelta, int steps,
        Span<byte> levels, Span<byte> packedScales, out Half d, out Half dMin)
    {
        Span<byte> scratch = stackalloc byte[GroupSize];
        Span<float> weights = stackalloc float[GroupSize];
        Span<float> mins = stackalloc float[Groups];
        Span<float> scales = stackalloc float[Groups];

        var maxScale = 0f; // the minimum is subtracted, so scales are never negative
        var maxMin = 0f;
        for (var j = 0; j < Groups; j++)
        {
            var xg = x.Slice(GroupSize * j, GroupSize);
            var sumX2 = 0f;
            for (var l = 0; l < GroupSize; l++)
                sumX2 += xg[l] * xg[l];
            var avX = MathF.Sqrt(sumX2 / 32);
            for (var l = 0; l < GroupSize; l++)
                weights[l] = avX + MathF.Abs(xg[l]);
            scales[j] = KQuantSearch.MakeQkx2Quants(xg, nmax, weights, levels.Slice(GroupSize * j, GroupSize), out mins[j], scratch, rmin, rdelta, steps, false);
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }

        var inverseScale = maxScale > 0 ? 63f / maxScale : 0f;
        var inverseMin = maxMin > 0 ? 63f / maxMin : 0f;
        for (var j = 0; j < Groups; j++)
        {
            // ggml stores nearest_int into a uint8_t before taking MIN(63, ·), so wrap first as C does.
            var ls = Math.Min((byte)63, (byte)QuantMath.NearestInt(inverseScale * scales[j]));
            var lm = Math.Min((byte)63, (byte)QuantMath.NearestInt(inverseMin * mins[j]));
            KScales.SetScaleMin(j, packedScales, ls, lm);
        }
        d = QuantMath.ToHalf(maxScale / 63f);
        dMin = QuantMath.ToHalf(maxMin / 63f);

        // Requantize against the rounded scales; groups whose scale rounded to zero keep the search's levels.
        var dBlock = (float)d;
        var mBlock = (float)dMin;
        for (var j = 0; j < Groups; j++)
        {
            KScales.GetScaleMin(j, packedScales, out var sc, out var m);
            var dj = dBlock * sc;
            if (dj == 0)
                continue;
            var dm = mBlock * m;
            for (var ii = 0; ii < GroupSize; ii++)
            {
                var l = QuantMath.NearestInt((x[GroupSize * j + ii] + dm) / dj);
                levels[GroupSize * j + ii] = (byte)Math.Max(0, Math.Min(nmax, l));
            }
        }
    }
}
