using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// A K-quant's panel layout as <see cref="KQuantPanelKernelAvx2{T}"/> reads it: one panel block holds a super-block
/// of eight rows (see <see cref="Q4_KPanels"/>, <see cref="Q6_KPanels"/>), multiplied by <see cref="Q8K"/>
/// activations whose quants the type permutes to match its vectors. Implementations are structs whose members
/// inline into the kernel.
/// </summary>
internal unsafe interface IKQuantPanelAvx2
{
    /// <summary>Bytes of one panel block (eight rows' super-blocks).</summary>
    static abstract int BlockBytes { get; }

    /// <summary>Reorders a super-block of activations quantized in element order (see the layouts).</summary>
    static abstract void PermuteActivations(byte* superBlock);

    /// <summary>The permuted super-block back as floats in element order (tests).</summary>
    static abstract void DequantizeActivations(byte* superBlock, float* destination);

    /// <summary>
    /// The eight rows of a panel (<paramref name="blocks"/> panel blocks from <paramref name="panel"/>) · one token's
    /// super-blocks: decode. A whole row here rather than a block, so that the block's work inlines into its loop.
    /// </summary>
    static abstract Vector256<float> Multiply1(byte* panel, int blocks, byte* x);

    /// <summary>The same for four tokens, each at <paramref name="o"/> in its activations.</summary>
    static abstract void Multiply4(byte* panel, long o, byte* x0, byte* x1, byte* x2, byte* x3,
        ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> a3);
}
