using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q5_0</c>: 32 weights as 5-bit quants with one fp16 scale, value = (q - 16) · d.
/// Layout (22 bytes): <c>f16 d | u8 qh[4] | u8 qs[16]</c>. The low four bits are packed as in
/// <see cref="BlockQ4_0"/>; bit j of the little-endian u32 <c>qh</c> is the fifth bit of element j.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ5_0
{
    /// <summary>Elements per block (ggml <c>QK5_0</c>).</summary>
    public const int Elements = 32;

    /// <summary>Scale.</summary>
    public Half D;

    /// <summary>Fifth bits, one per element, as a little-endian u32.</summary>
    public fixed byte Qh[4];

    /// <summary>Low four bits, packed as nibbles.</summary>
    public fixed byte Qs[Elements / 2];
}
