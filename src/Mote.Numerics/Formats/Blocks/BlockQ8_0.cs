using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q8_0</c>: 32 weights as signed 8-bit quants with one fp16 scale, value = q · d.
/// Layout (34 bytes): <c>f16 d | i8 qs[32]</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ8_0
{
    /// <summary>Elements per block (ggml <c>QK8_0</c>).</summary>
    public const int Elements = 32;

    /// <summary>Scale.</summary>
    public Half D;

    /// <summary>Quants, in element order.</summary>
    public fixed sbyte Qs[Elements];
}
