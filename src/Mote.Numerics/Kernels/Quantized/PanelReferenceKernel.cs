using System.Numerics.Tensors;
using Mote.Numerics.Formats;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Any level's fallback for <see cref="WeightLayout.Panels8"/> weights: each row taken back out of its panel in
/// GGUF form, expanded to floats by the type's reference dequantizer and dotted with every token's float
/// activations. Slow; for CPUs without AVX2 and for tests.
/// </summary>
internal sealed unsafe class PanelReferenceKernel(TensorType type) : MatMulKernel
{
    public override int ActivationBytes(int cols) => 0;

    // One row's floats, then its GGUF bytes.
    public override int ScratchFloats(int cols) => cols + (int)(type.RowBytes(cols) + 3) / 4;

    public override int RowTile => WeightPanels.Rows;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var cols = args.Cols;
        var values = new Span<float>(scratch, cols);
        var row = new Span<byte>(scratch + cols, (int)type.RowBytes(cols));
        for (var r = rowStart; r < rowEnd; r++)
        {
            WeightPanels.ExtractRow(type, args.Weights, cols, r, row);
            type.Dequantize(row, values);
            for (var t = 0; t < args.Tokens; t++)
                args.Y[(long)t * args.Rows + r] = TensorPrimitives.Dot(values, new ReadOnlySpan<float>(args.X + (long)t * cols, cols));
        }
    }
}
