using System.Runtime.InteropServices;
using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ5_K"/> (ggml <c>dequantize_row_q5_K</c>, <c>quantize_row_q5_K_ref</c>).</summary>
internal readonly struct Q5_KReference : IBlockFormat<BlockQ5_K>
{
    public static unsafe void Dequantize(ref readonly BlockQ5_K block, Span<float> y)
    {
        var d = (float)block.D;
        var min = (float)block.DMin;
        var scales = MemoryMarshal.CreateReadOnlySpan(in block.Scales[0], 12);
        var o = 0;
        for (int j = 0, q = 0, group = 0; j < BlockQ5_K.Elements; j += 64, q += 32, group += 2)
        {
            // ggml tests qh against masks u1 = 1 << group, u2 = 2 << group; shifting the bit down instead
            // gives the same 0 or 16 without a data-dependent branch.
            KScales.GetScaleMin(group, scales, out var sc, out var m);
            var d1 = d * sc;
            var m1 = min * m;
            KScales.GetScaleMin(group + 1, scales, out sc, out m);
            var d2 = d * sc;
            var m2 = min * m;
            for (var l = 0; l < 32; l++)
                y[o++] = d1 * ((block.Qs[q + l] & 0xF) + (((block.Qh[l] >> group) & 1) << 4)) - m1;
            for (var l = 0; l < 32; l++)
                y[o++] = d2 * ((block.Qs[q + l] >> 4) + (((block.Qh[l] >> (group + 1)) & 1) << 4)) - m2;
        }
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ5_K block)
    {
        Span<byte> levels = stackalloc byte[BlockQ5_K.Elements];
        var scales = MemoryMarshal.CreateSpan(ref block.Scales[0], 12);
        Q4_KReference.FitScalesAndLevels(x, nmax: 31, rmin: -0.5f, rdelta: 0.1f, steps: 15, levels, scales, out block.D, out block.DMin);

        var qh = MemoryMarshal.CreateSpan(ref block.Qh[0], BlockQ5_K.Elements / 8);
        var ql = MemoryMarshal.CreateSpan(ref block.Qs[0], BlockQ5_K.Elements / 2);
        qh.Clear();
        byte m1 = 1, m2 = 2;
        for (int n = 0, q = 0; n < BlockQ5_K.Elements; n += 64, q += 32)
        {
            for (var j = 0; j < 32; j++)
            {
                int l1 = levels[n + j];
                if (l1 > 15)
                {
                    l1 -= 16;
                    qh[j] |= m1;
                }
                int l2 = levels[n + j + 32];
                if (l2 > 15)
                {
                    l2 -= 16;
                    qh[j] |= m2;
                }
                ql[q + j] = (byte)(l1 | (l2 << 4));
            }
            m1 <<= 2;
            m2 <<= 2;
        }
    }
}
