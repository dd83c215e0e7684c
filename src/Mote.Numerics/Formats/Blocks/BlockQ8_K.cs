using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Blocks;

/// <summary>
/// ggml <c>block_q8_K</c>: 256 activations as signed 8-bit quants with a float32 scale and the sums of each
/// group of 16 quants (used by K-quant dot products). Only for intermediate results, never stored in files.
/// Layout (292 bytes): <c>f32 d | i8 qs[256] | i16 bsums[16]</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct BlockQ8_K
{
    /// <summary>Elements per block (ggml <c>QK_K</c>).</summary>
    public const int Elements = 256;

    /// <summary>Scale.</summary>
    public float D;

    /// <summary>Quants, in element order.</summary>
    public fixed sbyte Qs[Elements];

    /// <summary>Sum of each group of 16 quants.</summary>
    public fixed short BSums[Elements / 16];
}
