using System.Runtime.InteropServices;
using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Scalar reference for <see cref="BlockQ3_K"/> (ggml <c>dequantize_row_q3_K</c>, <c>quantize_row_q3_K_ref</c>).</summary>
internal readonly struct Q3_KReference : IBlockFormat<BlockQ3_K>
{
    private const int GroupSize = 16;
    private const int Groups = BlockQ3_K.Elements / GroupSize;

    public static unsafe void Dequantize(ref readonly BlockQ3_K block, Span<float> y)
    {
        var dAll = (float)block.D;
        var o = 0;
        var group = 0;
        var bit = 0; // ggml's mask m = 1 << bit
        for (var half = 0; half < 2; half++)
        {
            var q = half * 32;
            for (var shift = 0; shift < 8; shift += 2, bit++)
            {
                for (var part = 0; part < 2; part++)
                {
                    var dl = dAll * (Scale(in block, group++) - 32);
                    for (var l = 0; l < 16; l++)
                    {
                        var i = 16 * part + l;
                        var low = (block.Qs[q + i] >> shift) & 3;
                        // Subtract 4 when the high bit is clear: the same value as ggml's branch, without one.
                        y[o++] = dl * (low - 4 + (((block.HMask[i] >> bit) & 1) << 2));
                    }
                }
            }
        }
    }

    public static unsafe void Quantize(ReadOnlySpan<float> x, ref BlockQ3_K block)
    {
        Span<sbyte> levels = stackalloc sbyte[BlockQ3_K.Elements];
        Span<float> scales = stackalloc float[Groups];

        var maxScale = 0f;
        var amax = 0f;
        for (var j = 0; j < Groups; j++)
        {
            scales[j] = KQuantSearch.MakeQ3Quants(x.Slice(GroupSize * j, GroupSize), 4, levels.Slice(GroupSize * j, GroupSize), refine: true);
            var scale = MathF.Abs(scales[j]);
            if (scale > amax)
            {
                amax = scale;
                maxScale = scales[j];
            }
        }

        var packed = MemoryMarshal.CreateSpan(ref block.Scales[0], 12);
        packed.Clear();
        if (maxScale != 0)
        {
            var iscale = -32f / maxScale;
            for (var j = 0; j < Groups; j++)
            {
                // ggml stores nearest_int into an int8_t before clamping, so wrap first as C does.
                var l = (sbyte)QuantMath.NearestInt(iscale * scales[j]);
                l = (sbyte)(Math.Max(-32, Math.Min(31, (int)l)) + 32);
                if (j < 8)
                    packed[j] = (byte)(l & 0xF);
                else
                    packed[j - 8] |= (byte)((l & 0xF) << 4);
                l >>= 4;
                packed[j % 4 + 8] |= (byte)(l << (2 * (j / 4)));
            }
            block.D = QuantMath.ToHalf(1 / iscale);
        }
        else
        {
            block.D = QuantMath.ToHalf(0f);
        }

        // Requantize against the rounded scales; groups whose scale is zero keep the search's levels.
        for (var j = 0; j < Groups; j++)
        {
            var d = (float)block.D * (Scale(in block, j) - 32);
            if (d == 0)
                continue;
            for (var ii = 0; ii < GroupSize; ii++)
            {
                var l = QuantMath.NearestInt(x[GroupSize * j + ii] / d);
                levels[GroupSize * j + ii] = (sbyte)(Math.Max(-4, Math.Min(3, l)) + 4);
            }
        }

        // The third bit of the first 32 levels goes to bit 0 of hmask[0..31], the next 32 to bit 1, ...
        var hmask = MemoryMarshal.CreateSpan(ref block.HMask[0], BlockQ3_K.Elements / 8);
        hmask.Clear();
        var m = 0;
        byte hm = 1;
        for (var j = 0; j < BlockQ3_K.Elements; j++)
        {
            if (levels[j] > 3)
            {
                hmask[m] |= hm;
                levels[j] -= 4;
            }
            if (++m == BlockQ3_K.Elements / 8)
            {
                m = 0;
                hm <<= 1;
            }
        }
        Q2_KReference.PackTwoBits(MemoryMarshal.AsBytes(levels), MemoryMarshal.CreateSpan(ref block.Qs[0], BlockQ3_K.Elements / 4));
    }

    /// <summary>The 6-bit scale of group <paramref name="j"/> (0–63, stored with a +32 bias).</summary>
    private static unsafe int Scale(ref readonly BlockQ3_K block, int j)
    {
        var low = j < 8 ? block.Scales[j] & 0xF : block.Scales[j - 8] >> 4;
        var high = (block.Scales[8 + j % 4] >> (2 * (j / 4))) & 3;
        return low | (high << 4);
    }
}
