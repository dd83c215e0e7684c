using System.Numerics.Tensors;
using Mote.Numerics.Formats;

namespace Mote.Numerics.Kernels;

/// <summary>
/// The fallback for a type without a dedicated kernel at some level: expands a few weight rows to floats in
/// per-thread scratch (once for all tokens) and takes vectorized float dot products with each token.
/// </summary>
internal sealed unsafe class DequantizingKernel(TensorType type) : MatMulKernel
{
    private const int Rows = 4;

    public TensorType Type { get; } = type;

    public override int ActivationBytes(int cols) => 0;

    public override int ScratchFloats(int cols) => Rows * cols;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var cols = args.Cols;
        var rowBytes = (int)args.RowBytes;
        for (var r0 = rowStart; r0 < rowEnd; r0 += Rows)
        {
            var count = Math.Min(Rows, rowEnd - r0);
            for (var i = 0; i < count; i++)
                Type.Dequantize(new ReadOnlySpan<byte>(args.Weights + (long)(r0 + i) * rowBytes, rowBytes), new Span<float>(scratch + (long)i * cols, cols));
            for (var t = 0; t < args.Tokens; t++)
            {
                var x = new ReadOnlySpan<float>(args.X + (long)t * cols, cols);
                var y = args.Y + (long)t * args.Rows + r0;
                for (var i = 0; i < count; i++)
                    y[i] = TensorPrimitives.Dot(new ReadOnlySpan<float>(scratch + (long)i * cols, cols), x);
            }
        }
    }
}
