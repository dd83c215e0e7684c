using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q4_K</c>: a 256-weight super-block of 8 sub-blocks of 32, 4-bit quants,
/// value = d · sc · q − dmin · m with a 6-bit scale and 6-bit minimum per sub-block.
/// Layout (144 bytes): <c>f16 d | f16 dmin | u8 scales[12] | u8 qs[128]</c>. Scales (ggml
/// <c>get_scale_min_k4</c>): for j &lt; 4, sc = scales[j] &amp; 63 and m = scales[j+4] &amp; 63; for j ≥ 4 the
/// low nibbles sit in scales[j+4] (sc low, m high) and the top two bits in the top bits of scales[j−4] (sc)
/// and scales[j] (m). Each 64 elements use 32 bytes of <c>qs</c>: low nibbles first, then high nibbles.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ4_K
{
    /// <summary>Elements per block (ggml <c>QK_K</c>).</summary>
    public const int Elements = 256;

    /// <summary>Super-block scale of the sub-block scales.</summary>
    public Half D;

    /// <summary>Super-block scale of the sub-block minimums.</summary>
    public Half DMin;

    /// <summary>Packed 6-bit sub-block scales and minimums.</summary>
    public fixed byte Scales[12];

    /// <summary>Packed nibbles.</summary>
    public fixed byte Qs[Elements / 2];
}
