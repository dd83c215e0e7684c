namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The loops shared by the AVX-512 K-quant kernels: activations in <see cref="Q8K"/> form. Decode dots each
/// row with the one token; prefill blocks the product as a GEMM (four tokens at a time, columns in slices of
/// up to 32 KB of four tokens' activations that stay in L1 while the chunk's rows stream past them from L2,
/// four tokens per unpacked super-block, partial sums in y).
/// </summary>
internal abstract unsafe class Q8KKernelAvx512 : MatMulKernel
{
    private const int TokenBlock = 4;
    private const int SliceBlocks = (32 << 10) / (TokenBlock * Q8K.SuperBlockBytes);

    public override int ActivationBytes(int cols) => Q8K.Bytes(cols);

    public override void PrepareActivations(float* x, int cols, byte* destination) => Q8K.QuantizeAvx512(x, cols, destination);

    public override void ExpandActivations(byte* prepared, int cols, float* destination) => Q8K.Dequantize(prepared, cols, destination);

    public override int RowTile => 4;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var blocks = args.Cols / Q8K.Elements;
        var stride = args.ActivationStride;
        if (args.Tokens == 1)
        {
            for (var r = rowStart; r < rowEnd; r++)
                args.Y[r] = Dot1(args.Weights + r * args.RowBytes, 0, blocks, args.Activations);
            return;
        }
        for (var t = 0; t < args.Tokens; t++)
            new Span<float>(args.Y + (long)t * args.Rows + rowStart, rowEnd - rowStart).Clear();
        for (var t0 = 0; t0 < args.Tokens; t0 += TokenBlock)
        {
            var x = args.Activations + t0 * stride;
            var y = args.Y + (long)t0 * args.Rows;
            var four = t0 + TokenBlock <= args.Tokens;
            for (var b0 = 0; b0 < blocks; b0 += SliceBlocks)
            {
                var b1 = Math.Min(blocks, b0 + SliceBlocks);
                for (var r = rowStart; r < rowEnd; r++)
                {
                    var w = args.Weights + r * args.RowBytes;
                    if (four)
                    {
                        Dot4(w, b0, b1, x, stride, y + r, args.Rows);
                        continue;
                    }
                    for (var t = t0; t < args.Tokens; t++)
                        args.Y[(long)t * args.Rows + r] += Dot1(w, b0, b1, args.Activations + t * stride);
                }
            }
        }
    }

    /// <summary>
    /// Super-blocks [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · four tokens
    /// (activations <paramref name="stride"/> apart), added to y, y + yStride, ….
    /// </summary>
    protected abstract void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride);

    /// <summary>Super-blocks [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · one token.</summary>
    protected abstract float Dot1(byte* w, int first, int end, byte* x);
}
