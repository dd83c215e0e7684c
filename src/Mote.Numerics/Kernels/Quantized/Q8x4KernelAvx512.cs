namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The loops shared by the AVX-512 kernels of the 32-element block types: activations in <see cref="Q8x4"/>
/// form. Decode dots each row with the one token. Prefill blocks the product as a GEMM: 16 tokens at a time,
/// the columns in slices of 1024 so that the tokens' activation slice (20 KB) stays in L1 while every row of
/// the chunk passes over it, four tokens per unpacked weight group; partial sums accumulate in y. A row's
/// last, partial group is copied into a zero-padded buffer so the kernels never read past the row.
/// </summary>
internal abstract unsafe class Q8x4KernelAvx512 : MatMulKernel
{
    private const int TokenBlock = 16;
    private const int SliceGroups = 1024 / Q8x4.GroupElements;

    /// <summary>Bytes of four weight blocks.</summary>
    protected abstract int GroupBytes { get; }

    /// <summary>The factor <see cref="Q8x4"/> stores with each block's quant sum (see the kernel).</summary>
    protected abstract float SumFactor { get; }

    public override int ActivationBytes(int cols) => Q8x4.Bytes(cols);

    public override void PrepareActivations(float* x, int cols, byte* destination) =>
        Q8x4.QuantizeAvx512(x, cols, destination, SumFactor);

    public override void ExpandActivations(byte* prepared, int cols, float* destination) => Q8x4.Dequantize(prepared, cols, destination);

    public override int RowTile => 4;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var groupBytes = GroupBytes;
        var groups = Q8x4.Groups(args.Cols);
        var tailBytes = (int)(args.RowBytes - (long)(groups - 1) * groupBytes);
        var full = tailBytes == groupBytes ? groups : groups - 1;
        var tail = stackalloc byte[256];
        new Span<byte>(tail, 256).Clear();
        var stride = args.ActivationStride;
        if (args.Tokens == 1)
        {
            for (var r = rowStart; r < rowEnd; r++)
            {
                var w = args.Weights + r * args.RowBytes;
                if (full < groups)
                    new ReadOnlySpan<byte>(w + (long)full * groupBytes, tailBytes).CopyTo(new Span<byte>(tail, tailBytes));
                args.Y[r] = Dot1(w, tail, 0, groups, full, args.Activations);
            }
            return;
        }
        for (var t0 = 0; t0 < args.Tokens; t0 += TokenBlock)
        {
            var t1 = Math.Min(args.Tokens, t0 + TokenBlock);
            for (var t = t0; t < t1; t++)
                new Span<float>(args.Y + (long)t * args.Rows + rowStart, rowEnd - rowStart).Clear();
            for (var g0 = 0; g0 < groups; g0 += SliceGroups)
            {
                var g1 = Math.Min(groups, g0 + SliceGroups);
                for (var r = rowStart; r < rowEnd; r++)
                {
                    var w = args.Weights + r * args.RowBytes;
                    if (g1 > full)
                        new ReadOnlySpan<byte>(w + (long)full * groupBytes, tailBytes).CopyTo(new Span<byte>(tail, tailBytes));
                    var t = t0;
                    for (; t + 4 <= t1; t += 4)
                        Dot4(w, tail, g0, g1, full, args.Activations + t * stride, stride, args.Y + (long)t * args.Rows + r, args.Rows);
                    for (; t < t1; t++)
                        args.Y[(long)t * args.Rows + r] += Dot1(w, tail, g0, g1, full, args.Activations + t * stride);
                }
            }
        }
    }

    /// <summary>
    /// Groups [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · four tokens
    /// (activations <paramref name="stride"/> apart), added to y, y + yStride, …. Group <paramref name="full"/>,
    /// if partial, is read from <paramref name="tail"/>.
    /// </summary>
    protected abstract void Dot4(byte* w, byte* tail, int first, int end, int full, byte* x, long stride, float* y, int yStride);

    /// <summary>Groups [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · one token.</summary>
    protected abstract float Dot1(byte* w, byte* tail, int first, int end, int full, byte* x);
}
