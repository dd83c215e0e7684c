using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_K and q6_K with AVX2 over weights laid out in panels of eight rows at load (<typeparamref name="T"/> reads
/// one panel block), as <see cref="PanelKernelAvx2{T}"/> does for the 32-element types: decode multiplies eight
/// rows per vector with no horizontal sums, and calls of several tokens take them four at a time, each quant vector
/// built once for the four. The per-row kernel of <see cref="KQuantKernelAvx2{T}"/> spends about 70 operations per
/// row and q4_K super-block, its horizontal sums included; the q4_K panel about 40.
/// </summary>
internal sealed unsafe class KQuantPanelKernelAvx2<T> : MatMulKernel where T : struct, IKQuantPanelAvx2
{
    private const int PanelRows = WeightPanels.Rows;

    public override int ActivationBytes(int cols) => Q8K.Bytes(cols);

    public override void PrepareActivations(float* x, int cols, byte* destination)
    {
        Q8K.QuantizeAvx2(x, cols, destination);
        for (var b = 0; b < cols / Q8K.Elements; b++)
            T.PermuteActivations(destination + b * Q8K.SuperBlockBytes);
    }

    public override void ExpandActivations(byte* prepared, int cols, float* destination)
    {
        for (var b = 0; b < cols / Q8K.Elements; b++)
            T.DequantizeActivations(prepared + b * Q8K.SuperBlockBytes, destination + b * Q8K.Elements);
    }

    public override int RowTile => PanelRows;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var blocks = args.Cols / Q8K.Elements;
        var stride = args.ActivationStride;
        for (var r0 = rowStart; r0 < rowEnd; r0 += PanelRows)
        {
            var panel = args.Weights + r0 * args.RowBytes;
            if (args.Tokens == 1)
            {
                T.Multiply1(panel, blocks, args.Activations).Store(args.Y + r0);
                continue;
            }
            for (var t = 0; t < args.Tokens; t += 4)
                Multiply4(panel, blocks, args.Activations + t * stride, stride, args.Y + (long)t * args.Rows + r0, args.Rows, Math.Min(4, args.Tokens - t));
        }
    }

    /// <summary>
    /// Up to four tokens (<paramref name="stride"/> apart) through the panel; y rows <paramref name="yStride"/> apart.
    /// A count below four repeats the last token in the spare lanes and stores only <paramref name="tokens"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply4(byte* panel, int blocks, byte* x0, long stride, float* y, int yStride, int tokens)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* x1 = x0 + Math.Min(1, tokens - 1) * stride, x2 = x0 + Math.Min(2, tokens - 1) * stride, x3 = x0 + Math.Min(3, tokens - 1) * stride;
        for (var b = 0; b < blocks; b++, panel += T.BlockBytes)
            T.Multiply4(panel, (long)b * Q8K.SuperBlockBytes, x0, x1, x2, x3, ref a0, ref a1, ref a2, ref a3);
        InterleavedPanels.Store(y, yStride, tokens, PanelRows, add: false, a0, a1, a2, a3);
    }
}
