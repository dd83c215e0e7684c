using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// A 32-element block type as <see cref="BlockKernelAvx2{T}"/> reads it: its 32 quants in one vector, a scale,
/// and a correction taken from the activation block's stored sum c = <see cref="SumFactor"/> · dx · Σq (the
/// weights' minimum, or their offset from unsigned quants folded into the factor):
/// <code>
/// W·x = d · dx · Σ pairs(quants, x)  +  correction · c
/// </code>
/// Implementations are structs whose members inline into the kernel.
/// </summary>
internal unsafe interface IBlockAvx2
{
    /// <summary>Bytes of one block.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>The factor of the activation sums (0 when <see cref="HasCorrection"/> is false).</summary>
    static abstract float SumFactor { get; }

    /// <summary>Whether the sums are used at all.</summary>
    static abstract bool HasCorrection { get; }

    /// <summary>Whether <see cref="Quants"/> are signed bytes (q8_0) rather than unsigned.</summary>
    static abstract bool SignedQuants { get; }

    /// <summary>
    /// The largest magnitude of a quant as <see cref="Quants"/> gives it (15 for 4-bit, 31 for 5-bit, 128 for q8_0's
    /// signed bytes): bounds how many <c>vpmaddubsw</c> results add up in 16 bits without overflow.
    /// </summary>
    static abstract int QuantMax { get; }

    /// <summary>The block's quants in element order.</summary>
    static abstract Vector256<byte> Quants(byte* block);

    /// <summary>Sums of adjacent products of quants and activations, 16 bits each (no saturation).</summary>
    static abstract Vector256<short> Pairs(Vector256<byte> quants, Vector256<sbyte> x);

    /// <summary>The block's scale d.</summary>
    static abstract float Scale(byte* block);

    /// <summary>What multiplies the activation sum: the minimum, or the block's scale <paramref name="d"/> for an offset.</summary>
    static abstract float Correction(byte* block, float d);
}
