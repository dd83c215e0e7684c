using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// A 32-element block type as <see cref="BlockKernelVector128{T}"/> reads it: its quants as two vectors of 16
/// unsigned values, a scale, and a correction times the activation block's stored sum (as <see cref="IBlockAvx2"/>).
/// </summary>
internal unsafe interface IBlockVector128
{
    /// <summary>Bytes of one block.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>The factor of the activation sums.</summary>
    static abstract float SumFactor { get; }

    /// <summary>Elements 0..15 and 16..31, unsigned (at most 31).</summary>
    static abstract void Quants(byte* block, out Vector128<byte> low, out Vector128<byte> high);

    /// <summary>The block's scale d.</summary>
    static abstract float Scale(byte* block);

    /// <summary>What multiplies the activation sum: the minimum, or the block's scale <paramref name="d"/> for an offset.</summary>
    static abstract float Correction(byte* block, float d);
}
