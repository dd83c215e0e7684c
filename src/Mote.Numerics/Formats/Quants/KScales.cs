namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The 12-byte packing of eight 6-bit scales and eight 6-bit minimums shared by q4_K and q5_K
/// (ggml <c>get_scale_min_k4</c> and the packing loop of <c>quantize_row_q4_K_ref</c>).
/// </summary>
internal static class KScales
{
    /// <summary>Scale and minimum of sub-block <paramref name="j"/> (0–7).</summary>
    public static void GetScaleMin(int j, ReadOnlySpan<byte> q, out byte scale, out byte min)
    {
        if (j < 4)
        {
            scale = (byte)(q[j] & 63);
            min = (byte)(q[j + 4] & 63);
        }
        else
        {
            scale = (byte)((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
            min = (byte)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
        }
    }

    /// <summary>
    /// Stores sub-block <paramref name="j"/>'s scale and minimum (each ≤ 63). Sub-blocks 0–3 must be stored
    /// before 4–7, whose top bits go into bytes the first four wrote.
    /// </summary>
    public static void SetScaleMin(int j, Span<byte> q, byte scale, byte min)
    {
        if (j < 4)
        {
            q[j] = scale;
            q[j + 4] = min;
        }
        else
        {
            q[j + 4] = (byte)((scale & 0xF) | ((min & 0xF) << 4));
            q[j - 4] |= (byte)((scale >> 4) << 6);
            q[j] |= (byte)((min >> 4) << 6);
        }
    }
}
