using System.Runtime.InteropServices;
using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ6_K"/> (ggml <c>dequantize_row_q6_K</c>, <c>quantize_row_q6_K_ref</c>).</summary>
internal readonly struct Q6_KReference : IBlockFormat<BlockQ6_K>
{
    private const int GroupSize = 16;
    private const int Groups = BlockQ6_K.Elements / GroupSize;

    public static unsafe void Dequantize(ref readonly BlockQ6_K block, Span<float> y)
    {
        var d = (float)block.D;
        for (int n = 0, ql = 0, qh = 0, sc = 0; n < BlockQ6_K.Elements; n += 128, ql += 64, qh += 32, sc += 8)
        {
            for (var l = 0; l < 32; l++)
            {
                var group = sc + l / 16;
                var h = block.Qh[qh + l];
                var q1 = ((block.Ql[ql + l] & 0xF) | (((h >> 0) & 3) << 4)) - 32;
                var q2 = ((block.Ql[ql + l + 32] & 0xF) | (((h >> 2) & 3) << 4)) - 32;
                var q3 = ((block.Ql[ql + l] >> 4) | (((h >> 4) & 3) << 4)) - 32;
                var q4 = ((block.Ql[ql + l + 32] >> 4) | (((h >> 6) & 3) << 4)) - 32;
                y[n + l] = d * block.Scales[group] * q1;
                y[n + l + 32] = d * block.Scales[group + 2] * q2;
                y[n + l + 64] = d * block.Scales[group + 4] * q3;
                y[n + l + 96] = d * block.Scales[group + 6] * q4;
            }
        }
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ6_K block)
    {
        Span<sbyte> levels = stackalloc sbyte[BlockQ6_K.Elements];
        Span<float> scales = stackalloc float[Groups];

        var maxScale = 0f;
        var maxAbsScale = 0f;
        for (var ib = 0; ib < Groups; ib++)
        {
            var scale = KQuantSearch.MakeQxQuants(x.Slice(GroupSize * ib, GroupSize), 32, levels.Slice(GroupSize * ib, GroupSize), 1, default);
            scales[ib] = scale;
            var absScale = MathF.Abs(scale);
            if (absScale > maxAbsScale)
            {
                maxAbsScale = absScale;
                maxScale = scale;
            }
        }

        if (maxAbsScale < QuantMath.GroupMaxEpsilon)
        {
            block = default;
            block.D = QuantMath.ToHalf(0f);
            return;
        }

        var iscale = -128f / maxScale;
        block.D = QuantMath.ToHalf(1 / iscale);
        for (var ib = 0; ib < Groups; ib++)
            block.Scales[ib] = (sbyte)Math.Min(127, QuantMath.NearestInt(iscale * scales[ib]));

        // Requantize against the rounded scales; groups whose scale is zero keep the search's levels.
        for (var j = 0; j < Groups; j++)
        {
            var d = (float)block.D * block.Scales[j];
            if (d == 0)
                continue;
            for (var ii = 0; ii < GroupSize; ii++)
            {
                var l = QuantMath.NearestInt(x[GroupSize * j + ii] / d);
                levels[GroupSize * j + ii] = (sbyte)(Math.Max(-32, Math.Min(31, l)) + 32);
            }
        }

        var ql = MemoryMarshal.CreateSpan(ref block.Ql[0], BlockQ6_K.Elements / 2);
        var qh = MemoryMarshal.CreateSpan(ref block.Qh[0], BlockQ6_K.Elements / 4);
        var levelBytes = MemoryMarshal.AsBytes(levels);
        for (int j = 0, o = 0, h = 0; j < BlockQ6_K.Elements; j += 128, o += 64, h += 32)
        {
            for (var l = 0; l < 32; l++)
            {
                var q1 = levelBytes[j + l] & 0xF;
                var q2 = levelBytes[j + l + 32] & 0xF;
                var q3 = levelBytes[j + l + 64] & 0xF;
                var q4 = levelBytes[j + l + 96] & 0xF;
                ql[o + l] = (byte)(q1 | (q3 << 4));
                ql[o + l + 32] = (byte)(q2 | (q4 << 4));
                qh[h + l] = (byte)((levelBytes[j + l] >> 4) | ((levelBytes[j + l + 32] >> 4) << 2) | ((levelBytes[j + l + 64] >> 4) << 4) | ((levelBytes[j + l + 96] >> 4) << 6));
            }
        }
    }
}
