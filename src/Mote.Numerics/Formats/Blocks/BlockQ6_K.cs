using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q6_K</c>: a 256-weight super-block of 16 sub-blocks of 16, 6-bit signed quants,
/// value = d · sc · (q − 32) with a signed 8-bit scale per sub-block.
/// Layout (210 bytes): <c>u8 ql[128] | u8 qh[64] | i8 scales[16] | f16 d</c>. Per 128-element half (64 bytes
/// of <c>ql</c>, 32 of <c>qh</c>): element l + 32·k takes its low nibble from ql[l + 32·(k &amp; 1)] (low nibble
/// for k &lt; 2, high nibble otherwise) and its top two bits from qh[l] at shift 2·k.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ6_K
{
    /// <summary>Elements per block (ggml <c>QK_K</c>).</summary>
    public const int Elements = 256;

    /// <summary>Low four bits of the quants.</summary>
    public fixed byte Ql[Elements / 2];

    /// <summary>High two bits of the quants.</summary>
    public fixed byte Qh[Elements / 4];

    /// <summary>Signed per-sub-block scales.</summary>
    public fixed sbyte Scales[Elements / 16];

    /// <summary>Super-block scale.</summary>
    public Half D;
}
