using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q5_1</c>: 32 weights as 5-bit quants with an fp16 scale and minimum, value = q · d + m.
/// Layout (24 bytes): <c>f16 d | f16 m | u8 qh[4] | u8 qs[16]</c>; bits packed as in <see cref="BlockQ5_0"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ5_1
{
    /// <summary>Elements per block (ggml <c>QK5_1</c>).</summary>
    public const int Elements = 32;

    /// <summary>Scale.</summary>
    public Half D;

    /// <summary>Minimum (offset added to every element).</summary>
    public Half M;

    /// <summary>Fifth bits, one per element, as a little-endian u32.</summary>
    public fixed byte Qh[4];

    /// <summary>Low four bits, packed as nibbles.</summary>
    public fixed byte Qs[Elements / 2];
}
