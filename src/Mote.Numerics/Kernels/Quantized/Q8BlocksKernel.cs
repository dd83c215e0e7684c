namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The loops shared by the one-block-per-vector kernels (AVX2, portable) over <see cref="Q8Blocks"/>
/// activations. Decode dots each row with the one token. Prefill takes four tokens at a time, in column slices
/// of the four tokens' activations small enough to stay in L1 while the chunk's rows stream past them: a kernel
/// with its own <see cref="Dot4"/> unpacks each weight block once for the four (by default, four dots).
/// </summary>
internal abstract unsafe class Q8BlocksKernel : MatMulKernel
{
    private const int SliceBytes = 16 << 10;

    /// <summary>The factor <see cref="Q8Blocks"/> stores with each block's quant sum.</summary>
    protected abstract float SumFactor { get; }

    public override int ActivationBytes(int cols) => Q8Blocks.Bytes(cols);

    public override void PrepareActivations(float* x, int cols, byte* destination) =>
        Q8Blocks.Quantize(x, cols, destination, SumFactor);

    public override void ExpandActivations(byte* prepared, int cols, float* destination) =>
        Q8Blocks.Dequantize(prepared, cols, destination);

    public override int RowTile => 4;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var blocks = args.Cols / Q8Blocks.Elements;
        var stride = args.ActivationStride;
        if (args.Tokens == 1)
        {
            for (var r = rowStart; r < rowEnd; r++)
                args.Y[r] = Dot(args.Weights + r * args.RowBytes, 0, blocks, args.Activations);
            return;
        }
        for (var t = 0; t < args.Tokens; t++)
            new Span<float>(args.Y + (long)t * args.Rows + rowStart, rowEnd - rowStart).Clear();
        var sliceBlocks = SliceBytes / (4 * Q8Blocks.BlockBytes);
        for (var t0 = 0; t0 < args.Tokens; t0 += 4)
        {
            var n = Math.Min(4, args.Tokens - t0);
            var x = args.Activations + t0 * stride;
            var y = args.Y + (long)t0 * args.Rows;
            for (var b0 = 0; b0 < blocks; b0 += sliceBlocks)
            {
                var b1 = Math.Min(blocks, b0 + sliceBlocks);
                for (var r = rowStart; r < rowEnd; r++)
                {
                    var w = args.Weights + r * args.RowBytes;
                    if (n == 4)
                    {
                        Dot4(w, b0, b1, x, stride, y + r, args.Rows);
                        continue;
                    }
                    for (var t = 0; t < n; t++)
                        y[(long)t * args.Rows + r] += Dot(w, b0, b1, x + t * stride);
                }
            }
        }
    }

    /// <summary>Blocks [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · one token.</summary>
    protected abstract float Dot(byte* w, int first, int end, byte* x);

    /// <summary>
    /// Blocks [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · four tokens
    /// (activations <paramref name="stride"/> apart), added to y, y + yStride, ….
    /// </summary>
    protected virtual void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        for (var t = 0; t < 4; t++)
            y[(long)t * yStride] += Dot(w, first, end, x + t * stride);
    }
}
