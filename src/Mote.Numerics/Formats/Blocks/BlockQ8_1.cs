using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q8_1</c>: 32 activations as signed 8-bit quants with an fp16 scale and the fp16 value of
/// d · Σq (which lets dot products with <see cref="BlockQ4_1"/>/<see cref="BlockQ5_1"/> fold in their minimum).
/// Layout (36 bytes): <c>f16 d | f16 s | i8 qs[32]</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ8_1
{
    /// <summary>Elements per block (ggml <c>QK8_1</c>).</summary>
    public const int Elements = 32;

    /// <summary>Scale.</summary>
    public Half D;

    /// <summary>d times the sum of the quants.</summary>
    public Half S;

    /// <summary>Quants, in element order.</summary>
    public fixed sbyte Qs[Elements];
}
