using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q4_1</c>: 32 weights as 4-bit quants with an fp16 scale and minimum, value = q · d + m.
/// Layout (20 bytes): <c>f16 d | f16 m | u8 qs[16]</c>; nibble order as in <see cref="BlockQ4_0"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ4_1
{
    /// <summary>Elements per block (ggml <c>QK4_1</c>).</summary>
    public const int Elements = 32;

    /// <summary>Scale.</summary>
    public Half D;

    /// <summary>Minimum (offset added to every element).</summary>
    public Half M;

    /// <summary>Packed nibbles.</summary>
    public fixed byte Qs[Elements / 2];
}
