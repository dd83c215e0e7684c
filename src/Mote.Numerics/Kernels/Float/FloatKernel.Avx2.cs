using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Float;

/// <summary>
/// Float-weight products with 256-bit FMA (AVX2). Prefills of <see cref="GemmTokens"/> tokens or more take
/// <see cref="FloatGemmAvx2{TRows}"/> (activations packed by token, weights broadcast); smaller ones tiles of
/// 4 rows × 4 tokens so each widened weight vector serves four tokens and each activation vector four rows;
/// decode 4 rows × 1 token.
/// </summary>
internal sealed unsafe class FloatKernelAvx2<TRow> : MatMulKernel
    where TRow : struct, IFloatRow
{
    private const int TokenBlock = 16;
    private const int SliceColumns = 512;
    private const int Width = 8;

    /// <summary>Prefills of this many tokens or more take <see cref="FloatGemmAvx2{TRows}"/> (its tiles are 16 tokens).</summary>
    internal const int GemmTokens = 16;

    public override int ActivationBytes(int cols) => 0;

    // Only a GEMM call prepares (packs) activations; the others read x as it is.
    public override int ActivationBytes(int cols, int tokens) => tokens >= GemmTokens ? cols * sizeof(float) : 0;

    public override long ActivationBufferBytes(int cols, int tokens) =>
        tokens >= GemmTokens ? FloatGemmAvx2<FloatRows<TRow>>.PackedBytes(cols, tokens) : 0;

    public override void Prepare(in MatMulArgs args, int t) =>
        FloatGemmAvx2<FloatRows<TRow>>.Pack(args.X + (long)t * args.Cols, args.Cols, t, args.Tokens, (float*)args.Activations);

    // A multiple of both the dot-product tiles' 4 rows and the GEMM's 6.
    public override int RowTile => 12;

    // The GEMM widens each weight once per call and keeps only a slice of its row group in cache, so a chunk need
    // not fit in L2; capped at 256 KB, a 2048-column f16 matrix was cut into 64-row chunks, each streaming all the
    // packed activations from L3 (2048 x 2048 x 128 on two threads: 66 GMAC/s, uncapped 80).
    public override long MaxChunkBytes(int tokens) => tokens >= GemmTokens ? long.MaxValue : base.MaxChunkBytes(tokens);

    // Prefill widens each 4-row slice of f16/bf16 weights once into scratch for all its tokens.
    public override int ScratchFloats(int cols) => typeof(TRow) == typeof(F32Row) ? 0 : 4 * SliceColumns;

    public override int ScratchFloats(int cols, int tokens) =>
        tokens >= GemmTokens ? Math.Max(ScratchFloats(cols), FloatGemmAvx2<FloatRows<TRow>>.ScratchFloats(tokens)) : ScratchFloats(cols);

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        if (args.Tokens >= GemmTokens)
        {
            FloatGemmAvx2<FloatRows<TRow>>.Compute(args, rowStart, rowEnd, scratch);
            return;
        }
        var rowBytes = args.RowBytes;
        var size = TRow.ElementBytes;
        if (args.Tokens == 1)
        {
            for (var r = rowStart; r < rowEnd; r += 4)
            {
                var valid = Rows(args.Weights + r * rowBytes, rowBytes, rowEnd - r, out var w0, out var w1, out var w2, out var w3);
                Tile4x1(w0, w1, w2, w3, args.X, args.Cols, args.Y + r, valid, accumulate: false);
            }
            return;
        }
        // Prefill as a blocked GEMM: 16 tokens × 512 columns of activations (32 KB) stay in L1 while every row
        // tile of the chunk passes over them; partial sums accumulate in y.
        for (var t0 = 0; t0 < args.Tokens; t0 += TokenBlock)
        {
            var t1 = Math.Min(args.Tokens, t0 + TokenBlock);
            for (var t = t0; t < t1; t++)
                new Span<float>(args.Y + (long)t * args.Rows + rowStart, rowEnd - rowStart).Clear();
            for (var c0 = 0; c0 < args.Cols; c0 += SliceColumns)
            {
                var width = Math.Min(SliceColumns, args.Cols - c0);
                for (var r = rowStart; r < rowEnd; r += 4)
                {
                    var valid = Rows(args.Weights + r * rowBytes + (long)c0 * size, rowBytes, rowEnd - r, out var w0, out var w1, out var w2, out var w3);
                    var t = t0;
                    if (typeof(TRow) != typeof(F32Row) && t1 - t0 >= 8)
                    {
                        Widen(w0, w1, w2, w3, width, scratch);
                        var f = (byte*)scratch;
                        for (; t + 4 <= t1; t += 4)
                        {
                            FloatKernelAvx2<F32Row>.Tile4x4(f, f + SliceColumns * 4, f + SliceColumns * 8, f + SliceColumns * 12,
                                args.X + (long)t * args.Cols + c0, args.Cols, width, args.Y + (long)t * args.Rows + r, args.Rows, valid);
                        }
                    }
                    for (; t + 4 <= t1; t += 4)
                        Tile4x4(w0, w1, w2, w3, args.X + (long)t * args.Cols + c0, args.Cols, width, args.Y + (long)t * args.Rows + r, args.Rows, valid);
                    for (; t < t1; t++)
                        Tile4x1(w0, w1, w2, w3, args.X + (long)t * args.Cols + c0, width, args.Y + (long)t * args.Rows + r, valid, accumulate: true);
                }
            }
        }
    }

    /// <summary>Widens <paramref name="width"/> elements of four rows into <paramref name="scratch"/> (rows SliceColumns apart).</summary>
    private static void Widen(byte* w0, byte* w1, byte* w2, byte* w3, int width, float* scratch)
    {
        var size = TRow.ElementBytes;
        var c = 0;
        for (; c + Width <= width; c += Width)
        {
            var o = (nint)c * size;
            TRow.Load256(w0 + o).Store(scratch + c);
            TRow.Load256(w1 + o).Store(scratch + SliceColumns + c);
            TRow.Load256(w2 + o).Store(scratch + 2 * SliceColumns + c);
            TRow.Load256(w3 + o).Store(scratch + 3 * SliceColumns + c);
        }
        for (; c < width; c++)
        {
            var o = (nint)c * size;
            scratch[c] = TRow.Load1(w0 + o);
            scratch[SliceColumns + c] = TRow.Load1(w1 + o);
            scratch[2 * SliceColumns + c] = TRow.Load1(w2 + o);
            scratch[3 * SliceColumns + c] = TRow.Load1(w3 + o);
        }
    }

    /// <summary>Up to four row pointers; a short last tile repeats its last row (only real rows are written).</summary>
    internal static int Rows(byte* first, long rowBytes, int left, out byte* w0, out byte* w1, out byte* w2, out byte* w3)
    {
        var valid = Math.Min(4, left);
        w0 = first;
        w1 = valid > 1 ? w0 + rowBytes : w0;
        w2 = valid > 2 ? w1 + rowBytes : w1;
        w3 = valid > 3 ? w2 + rowBytes : w2;
        return valid;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Tile4x1(byte* w0, byte* w1, byte* w2, byte* w3, float* x, int cols, float* y, int valid, bool accumulate)
    {
        var size = TRow.ElementBytes;
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        // Half-width rows (bf16, f16) prefetch the next tile's rows, as far along (see F16KernelAvx2.Tile4x1): four
        // short row streams defeat the hardware prefetcher. bf16 1536×576 decode 151–158 → 129–133 µs single thread;
        // f32 was no faster (its 32 bytes per row and step are half a line: twice the prefetches).
        var ahead = 4 * (nint)(w1 - w0);
        var c = 0;
        for (; c + Width <= cols; c += Width)
        {
            var xv = Vector256.Load(x + c);
            var o = (nint)c * size;
            if (TRow.ElementBytes < sizeof(float))
            {
                Sse.Prefetch0(w0 + o + ahead);
                Sse.Prefetch0(w1 + o + ahead);
                Sse.Prefetch0(w2 + o + ahead);
                Sse.Prefetch0(w3 + o + ahead);
            }
            a0 = Vector256.FusedMultiplyAdd(TRow.Load256(w0 + o), xv, a0);
            a1 = Vector256.FusedMultiplyAdd(TRow.Load256(w1 + o), xv, a1);
            a2 = Vector256.FusedMultiplyAdd(TRow.Load256(w2 + o), xv, a2);
            a3 = Vector256.FusedMultiplyAdd(TRow.Load256(w3 + o), xv, a3);
        }
        float s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
        for (; c < cols; c++)
        {
            var o = (nint)c * size;
            s0 += TRow.Load1(w0 + o) * x[c];
            s1 += TRow.Load1(w1 + o) * x[c];
            s2 += TRow.Load1(w2 + o) * x[c];
            s3 += TRow.Load1(w3 + o) * x[c];
        }
        if (accumulate)
            Add(y, valid, s0, s1, s2, s3);
        else
            Store(y, valid, s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4(byte* w0, byte* w1, byte* w2, byte* w3, float* x, int xStride, int cols, float* y, int rows, int valid)
    {
        var size = TRow.ElementBytes;
        float* x0 = x, x1 = x + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector256<float> a30 = default, a31 = default, a32 = default, a33 = default;
        var c = 0;
        for (; c + Width <= cols; c += Width)
        {
            var o = (nint)c * size;
            var v0 = Vector256.Load(x0 + c);
            var v1 = Vector256.Load(x1 + c);
            var v2 = Vector256.Load(x2 + c);
            var v3 = Vector256.Load(x3 + c);
            var w = TRow.Load256(w0 + o);
            a00 = Vector256.FusedMultiplyAdd(w, v0, a00);
            a01 = Vector256.FusedMultiplyAdd(w, v1, a01);
            a02 = Vector256.FusedMultiplyAdd(w, v2, a02);
            a03 = Vector256.FusedMultiplyAdd(w, v3, a03);
            w = TRow.Load256(w1 + o);
            a10 = Vector256.FusedMultiplyAdd(w, v0, a10);
            a11 = Vector256.FusedMultiplyAdd(w, v1, a11);
            a12 = Vector256.FusedMultiplyAdd(w, v2, a12);
            a13 = Vector256.FusedMultiplyAdd(w, v3, a13);
            w = TRow.Load256(w2 + o);
            a20 = Vector256.FusedMultiplyAdd(w, v0, a20);
            a21 = Vector256.FusedMultiplyAdd(w, v1, a21);
            a22 = Vector256.FusedMultiplyAdd(w, v2, a22);
            a23 = Vector256.FusedMultiplyAdd(w, v3, a23);
            w = TRow.Load256(w3 + o);
            a30 = Vector256.FusedMultiplyAdd(w, v0, a30);
            a31 = Vector256.FusedMultiplyAdd(w, v1, a31);
            a32 = Vector256.FusedMultiplyAdd(w, v2, a32);
            a33 = Vector256.FusedMultiplyAdd(w, v3, a33);
        }
        // Reduce every accumulator before any call: vector registers do not survive calls, and the JIT would
        // otherwise keep the accumulators in memory throughout the loop.
        float s00 = Vector256.Sum(a00), s10 = Vector256.Sum(a10), s20 = Vector256.Sum(a20), s30 = Vector256.Sum(a30);
        float s01 = Vector256.Sum(a01), s11 = Vector256.Sum(a11), s21 = Vector256.Sum(a21), s31 = Vector256.Sum(a31);
        float s02 = Vector256.Sum(a02), s12 = Vector256.Sum(a12), s22 = Vector256.Sum(a22), s32 = Vector256.Sum(a32);
        float s03 = Vector256.Sum(a03), s13 = Vector256.Sum(a13), s23 = Vector256.Sum(a23), s33 = Vector256.Sum(a33);
        Store(y, valid, s00, s10, s20, s30, x0 + c, w0, w1, w2, w3, c, cols);
        Store(y + rows, valid, s01, s11, s21, s31, x1 + c, w0, w1, w2, w3, c, cols);
        Store(y + 2 * rows, valid, s02, s12, s22, s32, x2 + c, w0, w1, w2, w3, c, cols);
        Store(y + 3 * rows, valid, s03, s13, s23, s33, x3 + c, w0, w1, w2, w3, c, cols);
    }

    /// <summary>Adds the columns past the last full vector, then adds the sums to the valid rows.</summary>
    private static void Store(float* y, int valid, float s0, float s1, float s2, float s3,
        float* xTail, byte* w0, byte* w1, byte* w2, byte* w3, int c, int cols)
    {
        var size = TRow.ElementBytes;
        for (var i = 0; c < cols; c++, i++)
        {
            var o = (nint)c * size;
            s0 += TRow.Load1(w0 + o) * xTail[i];
            s1 += TRow.Load1(w1 + o) * xTail[i];
            s2 += TRow.Load1(w2 + o) * xTail[i];
            s3 += TRow.Load1(w3 + o) * xTail[i];
        }
        Add(y, valid, s0, s1, s2, s3);
    }

    private static void Add(float* y, int valid, float s0, float s1, float s2, float s3)
    {
        y[0] += s0;
        if (valid > 1)
            y[1] += s1;
        if (valid > 2)
            y[2] += s2;
        if (valid > 3)
            y[3] += s3;
    }

    internal static void Store(float* y, int valid, float s0, float s1, float s2, float s3)
    {
        y[0] = s0;
        if (valid > 1)
            y[1] = s1;
        if (valid > 2)
            y[2] = s2;
        if (valid > 3)
            y[3] = s3;
    }
}
