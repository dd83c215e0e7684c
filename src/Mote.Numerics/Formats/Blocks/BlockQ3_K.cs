using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q3_K</c>: a 256-weight super-block of 16 sub-blocks of 16, 3-bit signed quants,
/// value = d · (sc − 32) · (q − 4) with a 6-bit scale per sub-block.
/// Layout (110 bytes): <c>u8 hmask[32] | u8 qs[64] | u8 scales[12] | f16 d</c>. The low two bits are packed as
/// in <see cref="BlockQ2_K"/>; bit b of <c>hmask[l]</c> is the third bit of element 32·b + l. Scales: the low
/// nibbles of sub-blocks 0–7 and 8–15 share bytes 0–7 (low/high nibble); bytes 8–11 hold the top two bits,
/// sub-block j at byte 8 + j % 4, shift 2·(j / 4).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ3_K
{
    /// <summary>Elements per block (ggml <c>QK_K</c>).</summary>
    public const int Elements = 256;

    /// <summary>High (third) bits of the quants.</summary>
    public fixed byte HMask[Elements / 8];

    /// <summary>Low two bits of the quants.</summary>
    public fixed byte Qs[Elements / 4];

    /// <summary>Packed 6-bit sub-block scales.</summary>
    public fixed byte Scales[12];

    /// <summary>Super-block scale.</summary>
    public Half D;
}
