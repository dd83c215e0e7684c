namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The loops shared by the K-quant kernels of every instruction set: activations in <see cref="Q8K"/> form.
/// Decode dots each row with the one token; prefill blocks the product as a GEMM (four tokens at a time, or
/// eight for a kernel with <see cref="Dot8"/>; columns in slices of up to 32 KB of the block's activations that
/// stay in L1 while the chunk's rows stream past them from L2, every token of the block per unpacked
/// super-block, partial sums in y). Each instruction set's base class says how activations are quantized.
/// </summary>
internal abstract unsafe class Q8KKernel : MatMulKernel
{
    private const int SliceBytes = 32 << 10;

    public override int ActivationBytes(int cols) => Q8K.Bytes(cols);

    public abstract override void PrepareActivations(float* x, int cols, byte* destination);

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
        var block = TokenBlock;
        var sliceBlocks = SliceBytes / (block * Q8K.SuperBlockBytes);
        for (var t0 = 0; t0 < args.Tokens; t0 += block)
        {
            var n = Math.Min(block, args.Tokens - t0);
            var x = args.Activations + t0 * stride;
            var y = args.Y + (long)t0 * args.Rows;
            for (var b0 = 0; b0 < blocks; b0 += sliceBlocks)
            {
                var b1 = Math.Min(blocks, b0 + sliceBlocks);
                for (var r = rowStart; r < rowEnd; r++)
                {
                    var w = args.Weights + r * args.RowBytes;
                    if (n == 8)
                    {
                        Dot8(w, b0, b1, x, stride, y + r, args.Rows);
                        continue;
                    }
                    var done = 0;
                    for (; done + 4 <= n; done += 4)
                        Dot4(w, b0, b1, x + done * stride, stride, y + (long)done * args.Rows + r, args.Rows);
                    for (; done < n; done++)
                        y[(long)done * args.Rows + r] += Dot1(w, b0, b1, x + done * stride);
                }
            }
        }
    }

    /// <summary>Tokens per block of the product: 4, or 8 for a kernel with <see cref="Dot8"/>.</summary>
    protected virtual int TokenBlock => 4;

    /// <summary>
    /// <see cref="Dot4"/> for eight tokens (results to y + k · yStride for k &lt; 8), each unpacked super-block
    /// serving twice as many tokens; called only when <see cref="TokenBlock"/> is 8.
    /// </summary>
    protected virtual void Dot8(byte* w, int first, int end, byte* x, long stride, float* y, int yStride) =>
        throw new NotSupportedException();

    /// <summary>
    /// Super-blocks [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · four tokens
    /// (activations <paramref name="stride"/> apart), added to y, y + yStride, ….
    /// </summary>
    protected abstract void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride);

    /// <summary>Super-blocks [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · one token.</summary>
    protected abstract float Dot1(byte* w, int first, int end, byte* x);
}
