using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Float;

/// <summary>
/// Prefill with float weights as an outer-product GEMM: tokens run along the vector lanes, so each FMA
/// multiplies one weight, broadcast, by the same column of 16 tokens, and an 8-row × 32-token tile keeps 16
/// accumulators that need no horizontal sums. Per column it loads two activation vectors and broadcasts eight
/// weights for 16 FMAs (the dot-product tiles load a weight and an activation vector per four FMAs and end every
/// slice with horizontal sums). A 16 × 16 tile (one activation load, 16 broadcasts) ran ~15% slower on Zen 5.
/// <list type="bullet">
/// <item>The activations are packed once per call, by token (<see cref="Pack"/>): block b holds tokens
/// 16b..16b+15 column-major (<c>cols × 16</c> floats), the lanes past the last token zero.</item>
/// <item>Each 8-row tile widens <see cref="SliceColumns"/> columns of its rows into scratch once and runs every
/// token block over them, accumulating in a per-thread staging area (16 rows × the padded tokens), which is
/// transposed into y at the end. So each weight is widened once per call, whatever the number of tokens.</item>
/// </list>
/// </summary>
internal static unsafe class FloatGemmAvx512<TRow>
    where TRow : struct, IFloatRow
{
    public const int Lanes = 16;
    public const int RowTile = 8;
    private const int SliceColumns = 256;

    /// <summary>Bytes of packed activations for <paramref name="tokens"/> tokens (a multiple of 64).</summary>
    public static long PackedBytes(int cols, int tokens) => PackedTokens.Bytes(cols, tokens, Lanes);

    /// <summary>Per-thread scratch: one tile's widened slice, then its staging area (rows × padded tokens).</summary>
    public static int ScratchFloats(int tokens) => RowTile * SliceColumns + RowTile * Padded(tokens);

    private static int Padded(int tokens) => PackedTokens.Padded(tokens, Lanes);

    /// <summary>
    /// Writes token <paramref name="t"/> of <paramref name="tokens"/> (<paramref name="x"/>, <paramref name="cols"/>
    /// floats) into its lane of the packed activations; the last token also zeroes the lanes after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* x, int cols, int t, int tokens, float* packed) => PackedTokens.Pack(x, cols, t, tokens, Lanes, packed);

    /// <summary>The packed activations back in token order (for tests).</summary>
    public static void Unpack(float* packed, int cols, int t, float* x) => PackedTokens.Unpack(packed, cols, t, Lanes, x);

    /// <summary>Rows <c>[rowStart, rowEnd)</c> of y for every token, from activations packed by <see cref="Pack"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var cols = args.Cols;
        var tokens = args.Tokens;
        var padded = Padded(tokens);
        var packed = (float*)args.Activations;
        var wide = scratch;
        var stage = scratch + RowTile * SliceColumns;
        for (var r = rowStart; r < rowEnd; r += RowTile)
        {
            var valid = Math.Min(RowTile, rowEnd - r);
            var first = args.Weights + r * args.RowBytes;
            for (var c0 = 0; c0 < cols; c0 += SliceColumns)
            {
                var width = Math.Min(SliceColumns, cols - c0);
                Widen(first + (long)c0 * TRow.ElementBytes, args.RowBytes, valid, width, wide);
                var t0 = 0;
                for (; t0 + 2 * Lanes <= padded; t0 += 2 * Lanes)
                {
                    Tile8x32(wide, packed + (long)t0 * cols + (long)c0 * Lanes, packed + (long)(t0 + Lanes) * cols + (long)c0 * Lanes, width,
                        stage + t0 * RowTile, stage + (t0 + Lanes) * RowTile, c0 == 0);
                }
                if (t0 < padded)
                    Tile8x16(wide, packed + (long)t0 * cols + (long)c0 * Lanes, width, stage + t0 * RowTile, c0 == 0);
            }
            // stage holds, per token block, row i's 16 tokens at i · 16.
            for (var t = 0; t < tokens; t++)
            {
                var lanes = stage + t / Lanes * Lanes * RowTile + t % Lanes;
                var y = args.Y + (long)t * args.Rows + r;
                for (var i = 0; i < valid; i++)
                    y[i] = lanes[i * Lanes];
            }
        }
    }

    /// <summary>
    /// Widens <paramref name="width"/> columns of <paramref name="valid"/> rows into <paramref name="wide"/>
    /// (rows <see cref="SliceColumns"/> apart); the rows of a short tile are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Widen(byte* first, long rowBytes, int valid, int width, float* wide)
    {
        var size = TRow.ElementBytes;
        for (var i = 0; i < RowTile; i++)
        {
            var destination = wide + i * SliceColumns;
            if (i >= valid)
            {
                new Span<float>(destination, width).Clear();
                continue;
            }
            var row = first + i * rowBytes;
            var c = 0;
            for (; c + 64 <= width; c += 64)
            {
                var o = (nint)c * size;
                TRow.Load512(row + o).Store(destination + c);
                TRow.Load512(row + o + 16 * size).Store(destination + c + 16);
                TRow.Load512(row + o + 32 * size).Store(destination + c + 32);
                TRow.Load512(row + o + 48 * size).Store(destination + c + 48);
            }
            for (; c + 16 <= width; c += 16)
                TRow.Load512(row + (nint)c * size).Store(destination + c);
            for (; c < width; c++)
                destination[c] = TRow.Load1(row + (nint)c * size);
        }
    }

    /// <summary>
    /// 8 rows (<paramref name="wide"/>, <see cref="SliceColumns"/> apart) × two blocks of 16 packed tokens over
    /// <paramref name="width"/> columns, added to (or, for the first slice, stored in) the blocks' staging areas:
    /// row i's 16 token sums at <c>acc + 16 i</c>. Per column: two activation loads, eight broadcasts, 16 FMAs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x32(float* wide, float* x0, float* x1, int width, float* acc0, float* acc1, bool first)
    {
        Vector512<float> a00 = default, a10 = default, a20 = default, a30 = default, a40 = default, a50 = default, a60 = default, a70 = default;
        Vector512<float> a01 = default, a11 = default, a21 = default, a31 = default, a41 = default, a51 = default, a61 = default, a71 = default;
        for (var k = 0; k < width; k++)
        {
            var v0 = Vector512.Load(x0 + k * Lanes);
            var v1 = Vector512.Load(x1 + k * Lanes);
            var w = wide + k;
            var b0 = Vector512.Create(w[0]);
            a00 = Vector512.FusedMultiplyAdd(b0, v0, a00);
            a01 = Vector512.FusedMultiplyAdd(b0, v1, a01);
            var b1 = Vector512.Create(w[SliceColumns]);
            a10 = Vector512.FusedMultiplyAdd(b1, v0, a10);
            a11 = Vector512.FusedMultiplyAdd(b1, v1, a11);
            var b2 = Vector512.Create(w[2 * SliceColumns]);
            a20 = Vector512.FusedMultiplyAdd(b2, v0, a20);
            a21 = Vector512.FusedMultiplyAdd(b2, v1, a21);
            var b3 = Vector512.Create(w[3 * SliceColumns]);
            a30 = Vector512.FusedMultiplyAdd(b3, v0, a30);
            a31 = Vector512.FusedMultiplyAdd(b3, v1, a31);
            var b4 = Vector512.Create(w[4 * SliceColumns]);
            a40 = Vector512.FusedMultiplyAdd(b4, v0, a40);
            a41 = Vector512.FusedMultiplyAdd(b4, v1, a41);
            var b5 = Vector512.Create(w[5 * SliceColumns]);
            a50 = Vector512.FusedMultiplyAdd(b5, v0, a50);
            a51 = Vector512.FusedMultiplyAdd(b5, v1, a51);
            var b6 = Vector512.Create(w[6 * SliceColumns]);
            a60 = Vector512.FusedMultiplyAdd(b6, v0, a60);
            a61 = Vector512.FusedMultiplyAdd(b6, v1, a61);
            var b7 = Vector512.Create(w[7 * SliceColumns]);
            a70 = Vector512.FusedMultiplyAdd(b7, v0, a70);
            a71 = Vector512.FusedMultiplyAdd(b7, v1, a71);
        }
        if (!first)
        {
            a00 += Vector512.Load(acc0);
            a10 += Vector512.Load(acc0 + 16);
            a20 += Vector512.Load(acc0 + 32);
            a30 += Vector512.Load(acc0 + 48);
            a40 += Vector512.Load(acc0 + 64);
            a50 += Vector512.Load(acc0 + 80);
            a60 += Vector512.Load(acc0 + 96);
            a70 += Vector512.Load(acc0 + 112);
            a01 += Vector512.Load(acc1);
            a11 += Vector512.Load(acc1 + 16);
            a21 += Vector512.Load(acc1 + 32);
            a31 += Vector512.Load(acc1 + 48);
            a41 += Vector512.Load(acc1 + 64);
            a51 += Vector512.Load(acc1 + 80);
            a61 += Vector512.Load(acc1 + 96);
            a71 += Vector512.Load(acc1 + 112);
        }
        a00.Store(acc0);
        a10.Store(acc0 + 16);
        a20.Store(acc0 + 32);
        a30.Store(acc0 + 48);
        a40.Store(acc0 + 64);
        a50.Store(acc0 + 80);
        a60.Store(acc0 + 96);
        a70.Store(acc0 + 112);
        a01.Store(acc1);
        a11.Store(acc1 + 16);
        a21.Store(acc1 + 32);
        a31.Store(acc1 + 48);
        a41.Store(acc1 + 64);
        a51.Store(acc1 + 80);
        a61.Store(acc1 + 96);
        a71.Store(acc1 + 112);
    }

    /// <summary><see cref="Tile8x32"/> for a single block of 16 tokens (the last one of an odd count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x16(float* wide, float* x0, int width, float* acc0, bool first)
    {
        Vector512<float> a00 = default, a10 = default, a20 = default, a30 = default, a40 = default, a50 = default, a60 = default, a70 = default;
        for (var k = 0; k < width; k++)
        {
            var v0 = Vector512.Load(x0 + k * Lanes);
            var w = wide + k;
            a00 = Vector512.FusedMultiplyAdd(Vector512.Create(w[0]), v0, a00);
            a10 = Vector512.FusedMultiplyAdd(Vector512.Create(w[SliceColumns]), v0, a10);
            a20 = Vector512.FusedMultiplyAdd(Vector512.Create(w[2 * SliceColumns]), v0, a20);
            a30 = Vector512.FusedMultiplyAdd(Vector512.Create(w[3 * SliceColumns]), v0, a30);
            a40 = Vector512.FusedMultiplyAdd(Vector512.Create(w[4 * SliceColumns]), v0, a40);
            a50 = Vector512.FusedMultiplyAdd(Vector512.Create(w[5 * SliceColumns]), v0, a50);
            a60 = Vector512.FusedMultiplyAdd(Vector512.Create(w[6 * SliceColumns]), v0, a60);
            a70 = Vector512.FusedMultiplyAdd(Vector512.Create(w[7 * SliceColumns]), v0, a70);
        }
        if (!first)
        {
            a00 += Vector512.Load(acc0);
            a10 += Vector512.Load(acc0 + 16);
            a20 += Vector512.Load(acc0 + 32);
            a30 += Vector512.Load(acc0 + 48);
            a40 += Vector512.Load(acc0 + 64);
            a50 += Vector512.Load(acc0 + 80);
            a60 += Vector512.Load(acc0 + 96);
            a70 += Vector512.Load(acc0 + 112);
        }
        a00.Store(acc0);
        a10.Store(acc0 + 16);
        a20.Store(acc0 + 32);
        a30.Store(acc0 + 48);
        a40.Store(acc0 + 64);
        a50.Store(acc0 + 80);
        a60.Store(acc0 + 96);
        a70.Store(acc0 + 112);
    }
}
