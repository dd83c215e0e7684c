using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q5_K</c>: a 256-weight super-block of 8 sub-blocks of 32, 5-bit quants,
/// value = d · sc · q − dmin · m. Layout (176 bytes): <c>f16 d | f16 dmin | u8 scales[12] | u8 qh[32] |
/// u8 qs[128]</c>. Scales and low nibbles are packed as in <see cref="BlockQ4_K"/>; bit 2·c (low nibbles) and
/// 2·c + 1 (high nibbles) of <c>qh[l]</c> give the fifth bit for byte l of 64-element chunk c.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ5_K
{
    /// <summary>Elements per block (ggml <c>QK_K</c>).</summary>
    public const int Elements = 256;

    /// <summary>Super-block scale of the sub-block scales.</summary>
    public Half D;

    /// <summary>Super-block scale of the sub-block minimums.</summary>
    public Half DMin;

    /// <summary>Packed 6-bit sub-block scales and minimums.</summary>
    public fixed byte Scales[12];

    /// <summary>Fifth bits of the quants.</summary>
    public fixed byte Qh[Elements / 8];

    /// <summary>Low four bits of the quants, packed as nibbles.</summary>
    public fixed byte Qs[Elements / 2];
}
