using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q2_K</c>: a 256-weight super-block of 16 sub-blocks of 16, 2-bit quants,
/// value = d · sc · q − dmin · m with a 4-bit scale and 4-bit minimum per sub-block.
/// Layout (84 bytes): <c>u8 scales[16] (low nibble scale, high nibble min) | u8 qs[64] | f16 d | f16 dmin</c>.
/// Each 128-element half uses 32 bytes of <c>qs</c>: byte l holds elements l, l+32, l+64, l+96 at bit shifts
/// 0, 2, 4, 6.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ2_K
{
    /// <summary>Elements per block (ggml <c>QK_K</c>).</summary>
    public const int Elements = 256;

    /// <summary>Per-sub-block scale (low nibble) and minimum (high nibble).</summary>
    public fixed byte Scales[Elements / 16];

    /// <summary>Packed 2-bit quants.</summary>
    public fixed byte Qs[Elements / 4];

    /// <summary>Super-block scale of the sub-block scales.</summary>
    public Half D;

    /// <summary>Super-block scale of the sub-block minimums.</summary>
    public Half DMin;
}
