using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q4_0</c>: 32 weights as 4-bit unsigned quants with one fp16 scale, value = (q - 8) · d.
/// Layout (18 bytes): <c>f16 d | u8 qs[16]</c>; byte j holds element j in its low nibble and element j + 16
/// in its high nibble.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ4_0
{
    /// <summary>Elements per block (ggml <c>QK4_0</c>).</summary>
    public const int Elements = 32;

    /// <summary>Scale.</summary>
    public Half D;

    /// <summary>Packed nibbles.</summary>
    public fixed byte Qs[Elements / 2];
}
