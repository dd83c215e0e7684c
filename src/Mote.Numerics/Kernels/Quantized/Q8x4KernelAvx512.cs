namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The loops shared by the AVX-512 kernels of the 32-element block types: activations in <see cref="Q8x4"/>
/// form. Decode dots each row with the one token. Prefill blocks the product as a GEMM: four tokens at a time,
/// whose activations (a slice of up to 32 KB, the whole row up to 6,528 columns) stay in L1 while every row of
/// the chunk streams past them from L2, each unpacked weight group serving the four tokens. Long slices keep
/// the horizontal sums that end each dot rare; partial sums of several slices accumulate in y. A row's last,
/// partial group is copied into a zero-padded buffer so the kernels never read past the row.
/// </summary>
internal abstract unsafe class Q8x4KernelAvx512 : MatMulKernel
{
    private const int TokenBlock = 4;
    private const int SliceGroups = (32 << 10) / (TokenBlock * Q8x4.GroupBytes);

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
        for (var t = 0; t < args.Tokens; t++)
            new Span<float>(args.Y + (long)t * args.Rows + rowStart, rowEnd - rowStart).Clear();
        for (var t0 = 0; t0 < args.Tokens; t0 += TokenBlock)
        {
            var x = args.Activations + t0 * stride;
            var y = args.Y + (long)t0 * args.Rows;
            var four = t0 + TokenBlock <= args.Tokens;
            for (var g0 = 0; g0 < groups; g0 += SliceGroups)
            {
                var g1 = Math.Min(groups, g0 + SliceGroups);
                for (var r = rowStart; r < rowEnd; r++)
                {
                    var w = args.Weights + r * args.RowBytes;
                    if (g1 > full)
                        new ReadOnlySpan<byte>(w + (long)full * groupBytes, tailBytes).CopyTo(new Span<byte>(tail, tailBytes));
                    if (four)
                    {
                        Dot4(w, tail, g0, g1, full, x, stride, y + r, args.Rows);
                        continue;
                    }
                    for (var t = t0; t < args.Tokens; t++)
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
