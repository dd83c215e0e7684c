namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The loops shared by the one-block-per-vector kernels (AVX2, portable) over <see cref="Q8Blocks"/>
/// activations: every row with every token, one dot at a time.
/// </summary>
internal abstract unsafe class Q8BlocksKernel : MatMulKernel
{
    /// <summary>The factor <see cref="Q8Blocks"/> stores with each block's quant sum.</summary>
    protected abstract float SumFactor { get; }

    public override int ActivationBytes(int cols) => Q8Blocks.Bytes(cols);

    public override void PrepareActivations(float* x, int cols, byte* destination) =>
        Q8Blocks.Quantize(x, cols, destination, SumFactor);

    public override void ExpandActivations(byte* prepared, int cols, float* destination) =>
        Q8Blocks.Dequantize(prepared, cols, destination);

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var blocks = args.Cols / Q8Blocks.Elements;
        for (var t = 0; t < args.Tokens; t++)
        {
            var x = args.Activations + t * args.ActivationStride;
            var y = args.Y + (long)t * args.Rows;
            for (var r = rowStart; r < rowEnd; r++)
                y[r] = Dot(args.Weights + r * args.RowBytes, blocks, x);
        }
    }

    /// <summary>One weight row · one token.</summary>
    protected abstract float Dot(byte* w, int blocks, byte* x);
}
