using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// A K-quant super-block as <see cref="KQuantKernelAvx2{T}"/> reads it: eight vectors of 32 unsigned quants
/// (elements 32k..32k+31), each dotted with the activations by <c>vpmaddubsw</c> and weighted per 16-bit pair by
/// a vector of sub-block scales (<c>vpmaddwd</c>), plus one correction per super-block taken from the
/// <see cref="Q8K"/> sums of 16 activations (the weights' minimums, or their offset from unsigned):
/// <code>
/// W·x = d · dx · Σ_k Σ_lanes scale(k) · quants(k) · x  +  correction · dx · Σ_i corrections_i · sums_i
/// </code>
/// Implementations are structs whose members inline: the kernel calls them with constant k, so shifts and
/// shuffle masks fold to immediates.
/// </summary>
internal unsafe interface IKQuantAvx2
{
    /// <summary>Bytes of one super-block.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>The largest quant <see cref="Quants"/> gives (3, 7, 15, 31 or 63).</summary>
    static abstract int QuantMax { get; }

    /// <summary>
    /// Reads the super-block's scales once for its eight vectors: <paramref name="low"/> and <paramref name="high"/>
    /// are what <see cref="Scale"/> shuffles, <paramref name="corrections"/> multiply the 16 activation sums.
    /// </summary>
    static abstract void Unpack(byte* block, out Vector256<short> low, out Vector256<short> high,
        out Vector256<short> corrections, out float d, out float correction);

    /// <summary>Elements 32k..32k+31 as unsigned quants (at most 63, so byte products never saturate).</summary>
    static abstract Vector256<byte> Quants(byte* block, int k);

    /// <summary>The scale of each 16-bit pair of vector k's products.</summary>
    static abstract Vector256<short> Scale(Vector256<short> low, Vector256<short> high, int k);
}
