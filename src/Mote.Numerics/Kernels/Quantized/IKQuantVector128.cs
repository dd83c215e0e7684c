using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// A K-quant super-block as <see cref="KQuantKernelVector128{T}"/> reads it: sixteen groups of 16 unsigned quants,
/// one integer scale per group, and one correction per super-block from the <see cref="Q8K"/> sums of 16
/// activations (the weights' minimums, or their offset from unsigned):
/// <code>
/// W·x = d · dx · Σ_g scale_g · Σ quants(g) · x  +  correction · dx · Σ_g corrections_g · sums_g
/// </code>
/// </summary>
internal unsafe interface IKQuantVector128
{
    /// <summary>Bytes of one super-block.</summary>
    static abstract int BlockBytes { get; }

    /// <summary>
    /// Reads the super-block's scales: <paramref name="scales"/> and <paramref name="corrections"/> receive one value
    /// per group of 16 elements (16 each).
    /// </summary>
    static abstract void Unpack(byte* block, int* scales, int* corrections, out float d, out float correction);

    /// <summary>Elements 16g..16g+15 as unsigned quants (at most 63).</summary>
    static abstract Vector128<byte> Quants(byte* block, int g);
}
