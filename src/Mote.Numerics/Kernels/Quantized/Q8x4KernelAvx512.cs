using System.Runtime.CompilerServices;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// The loops shared by the AVX-512 kernels of the 32-element block types: activations in <see cref="Q8x4"/>
/// form. Decode dots each row with the one token. Prefill blocks the product as a GEMM: four (or eight) tokens
/// at a time, whose activations (a slice of up to 32 KB: with four tokens the whole row up to 6,528 columns) stay
/// in L1 while every row of the chunk streams past them from L2, each unpacked weight group serving all the
/// block's tokens. Long slices keep the horizontal sums that end each dot rare; partial sums of several slices
/// accumulate in y. A kernel may pair rows (<see cref="Dot4x2"/>, <see cref="Dot8x2"/>) so each token's
/// activations, loaded once, serve two rows. A row's last, partial group is read in place: the bytes after it
/// (the next rows) meet zero activation blocks, and scales widen to finite values, so they add exactly 0. Only
/// the matrix's last rows, followed by too few bytes, have their partial group copied into a zero-padded buffer.
/// </summary>
internal abstract unsafe class Q8x4KernelAvx512 : MatMulKernel
{
    private const int SliceBytes = 32 << 10;

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
        // Reading a partial last group in place runs up to a group's size past the row, into the next rows: only
        // the last rows of the matrix (followed by too little) have theirs copied into a zero-padded buffer.
        var copyFrom = tailBytes == groupBytes ? args.Rows : args.Rows - (groupBytes - tailBytes + (int)args.RowBytes - 1) / (int)args.RowBytes;
        var tail = stackalloc byte[256];
        new Span<byte>(tail, 256).Clear();
        var copied = -1;
        var stride = args.ActivationStride;
        if (args.Tokens == 1)
        {
            for (var r = rowStart; r < rowEnd; r++)
            {
                var full = r < copyFrom ? groups : CopyTail(args, r, tail, ref copied);
                args.Y[r] = Dot1(args.Weights + r * args.RowBytes, tail, 0, groups, full, args.Activations);
            }
            return;
        }
        for (var t = 0; t < args.Tokens; t++)
            new Span<float>(args.Y + (long)t * args.Rows + rowStart, rowEnd - rowStart).Clear();
        var pairs = PairsRows;
        var block = TokenBlock;
        var sliceGroups = SliceBytes / (block * Q8x4.GroupBytes);
        for (var t0 = 0; t0 < args.Tokens; t0 += block)
        {
            var n = Math.Min(block, args.Tokens - t0);
            for (var g0 = 0; g0 < groups; g0 += sliceGroups)
            {
                var g1 = Math.Min(groups, g0 + sliceGroups);
                for (var r = rowStart; r < rowEnd; r++)
                {
                    var w = args.Weights + r * args.RowBytes;
                    var full = r < copyFrom ? groups : CopyTail(args, r, tail, ref copied);
                    var pair = pairs && r + 1 < rowEnd && r + 1 < copyFrom;
                    var x = args.Activations + t0 * stride;
                    var y = args.Y + (long)t0 * args.Rows + r;
                    if (n == 8 && pair)
                    {
                        Dot8x2(w, args.RowBytes, g0, g1, x, stride, y, args.Rows);
                        r++;
                        continue;
                    }
                    var done = 0;
                    for (; done + 4 <= n; done += 4)
                    {
                        if (pair)
                            Dot4x2(w, args.RowBytes, g0, g1, x + done * stride, stride, y + (long)done * args.Rows, args.Rows);
                        else
                            Dot4(w, tail, g0, g1, full, x + done * stride, stride, y + (long)done * args.Rows, args.Rows);
                    }
                    for (; done < n; done++)
                    {
                        y[(long)done * args.Rows] += Dot1(w, tail, g0, g1, full, x + done * stride);
                        if (pair)
                            y[(long)done * args.Rows + 1] += Dot1(w + args.RowBytes, tail, g0, g1, groups, x + done * stride);
                    }
                    if (pair)
                        r++;
                }
            }
        }
    }

    /// <summary>
    /// Copies the partial last group of row <paramref name="r"/> to <paramref name="tail"/> (unless it holds it
    /// already) and returns the number of groups read in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int CopyTail(in MatMulArgs args, int r, byte* tail, ref int copied)
    {
        var groups = Q8x4.Groups(args.Cols);
        if (copied != r)
        {
            var offset = (long)(groups - 1) * GroupBytes;
            new ReadOnlySpan<byte>(args.Weights + r * args.RowBytes + offset, (int)(args.RowBytes - offset)).CopyTo(new Span<byte>(tail, 256));
            copied = r;
        }
        return groups - 1;
    }

    /// <summary>Tokens per block of the product: 4, or 8 for a kernel with <see cref="Dot8x2"/>.</summary>
    protected virtual int TokenBlock => 4;

    /// <summary>
    /// <see cref="Dot4x2"/> for eight tokens (results for tokens 4..7 at y + (4 + k) · yStride), each unpacked
    /// weight group serving twice as many tokens; called only when <see cref="TokenBlock"/> is 8.
    /// </summary>
    protected virtual void Dot8x2(byte* w, long rowBytes, int first, int end, byte* x, long stride, float* y, int yStride) =>
        throw new NotSupportedException();

    /// <summary>Whether the kernel implements <see cref="Dot4x2"/>.</summary>
    protected virtual bool PairsRows => false;

    /// <summary>
    /// <see cref="Dot4"/> for rows <paramref name="w"/> and <paramref name="w"/> + <paramref name="rowBytes"/> at once
    /// (results to y + k · yStride and y + 1 + k · yStride), both read in place.
    /// </summary>
    protected virtual void Dot4x2(byte* w, long rowBytes, int first, int end, byte* x, long stride, float* y, int yStride) =>
        throw new NotSupportedException();

    /// <summary>
    /// Groups [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · four tokens
    /// (activations <paramref name="stride"/> apart), added to y, y + yStride, …. Groups from
    /// <paramref name="full"/> on (at most the last one) are read from <paramref name="tail"/>.
    /// </summary>
    protected abstract void Dot4(byte* w, byte* tail, int first, int end, int full, byte* x, long stride, float* y, int yStride);

    /// <summary>Groups [<paramref name="first"/>, <paramref name="end"/>) of row <paramref name="w"/> · one token.</summary>
    protected abstract float Dot1(byte* w, byte* tail, int first, int end, int full, byte* x);
}
