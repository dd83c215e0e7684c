using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Float;

/// <summary>
/// Prefill with float weights as an outer-product GEMM in 256-bit vectors (the AVX2 counterpart of
/// <see cref="FloatGemmAvx512{TRow}"/>), for float weights (<typeparamref name="TRows"/> widens a slice of a row): tokens run along the lanes, each FMA multiplies one weight, broadcast, by
/// the same column of eight tokens, and a 6-row × 16-token tile keeps 12 accumulators (of 16 registers) that need
/// no horizontal sums. Per column: two activation loads, six broadcasts, 12 FMAs, so the FMA units, not loads or
/// shuffles, set the pace.
/// <list type="bullet">
/// <item>The activations are packed once per call, by token (<see cref="Pack"/>): block b holds tokens 8b..8b+7
/// column-major (<c>cols × 8</c> floats), the lanes past the last token zero.</item>
/// <item>Rows go in groups of <see cref="GroupTiles"/> tiles, slice by slice (<see cref="SliceColumns"/> columns): each
/// tile widens its slice into scratch once and runs every token block over it, accumulating in its per-thread
/// staging area (6 rows × the padded tokens), so each weight is widened once per call whatever the number of tokens,
/// and one slice of the activations serves the whole group from L2. The staging areas are transposed into y at the
/// end of the group.</item>
/// </list>
/// </summary>
internal static unsafe class FloatGemmAvx2<TRows>
    where TRows : struct, IGemmRows
{
    public const int Lanes = 8;
    public const int RowTile = 6;
    private const int SliceColumns = 256;

    // Row tiles run slice by slice as a group, so that one slice of the packed activations (128 KB at 128 tokens)
    // stays in L2 for all of them: tile by tile, a 1536-column matrix streamed all 786 KB of it from L3 per tile.
    private const int GroupTiles = 8;
    private const int GroupRows = GroupTiles * RowTile;

    /// <summary>Bytes of packed activations for <paramref name="tokens"/> tokens.</summary>
    public static long PackedBytes(int cols, int tokens) => PackedTokens.Bytes(cols, tokens, Lanes);

    /// <summary>Per-thread scratch: one tile's widened slice, then a group's staging areas (rows × padded tokens).</summary>
    public static int ScratchFloats(int tokens) => RowTile * SliceColumns + GroupRows * Padded(tokens);

    private static int Padded(int tokens) => PackedTokens.Padded(tokens, Lanes);

    /// <summary>
    /// Writes token <paramref name="t"/> of <paramref name="tokens"/> (<paramref name="x"/>, <paramref name="cols"/>
    /// floats) into its lane of the packed activations; the last token also zeroes the lanes after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* x, int cols, int t, int tokens, float* packed) => PackedTokens.Pack(x, cols, t, tokens, Lanes, packed);

    /// <summary>Where token <paramref name="t"/>'s first value is in the packed activations (its next ones <see cref="Lanes"/> apart).</summary>
    public static float* Lane(int cols, int t, float* packed) => PackedTokens.Lane(packed, cols, t, Lanes);

    /// <summary>Rows <c>[rowStart, rowEnd)</c> of y for every token, from activations packed by <see cref="Pack"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var cols = args.Cols;
        var tokens = args.Tokens;
        var padded = Padded(tokens);
        var packed = (float*)args.Activations;
        var wide = scratch;
        for (var g = rowStart; g < rowEnd; g += GroupRows)
        {
            var groupEnd = Math.Min(rowEnd, g + GroupRows);
            for (var c0 = 0; c0 < cols; c0 += SliceColumns)
            {
                var width = Math.Min(SliceColumns, cols - c0);
                var x = packed + (long)c0 * Lanes;
                for (var r = g; r < groupEnd; r += RowTile)
                {
                    var first = args.Weights + r * args.RowBytes;
                    Widen(first, c0, args.RowBytes, Math.Min(RowTile, groupEnd - r), width, wide);
                    // The next widening reads its rows only after every token block has passed over this slice:
                    // fetching them now into L2 hides the memory latency that otherwise stalls it (six short row
                    // pieces are too little for the hardware prefetcher to pick up).
                    PrefetchNext(args, rowEnd, g, groupEnd, r, c0);
                    var stage = Stage(scratch, r - g, padded);
                    var t0 = 0;
                    for (; t0 + 2 * Lanes <= padded; t0 += 2 * Lanes)
                    {
                        Tile6x16(wide, x + (long)t0 * cols, x + (long)(t0 + Lanes) * cols, width,
                            stage + t0 * RowTile, stage + (t0 + Lanes) * RowTile, c0 == 0);
                    }
                    if (t0 < padded)
                        Tile6x8(wide, x + (long)t0 * cols, width, stage + t0 * RowTile, c0 == 0);
                }
            }
            for (var r = g; r < groupEnd; r += RowTile)
                Transpose(Stage(scratch, r - g, padded), tokens, Math.Min(RowTile, groupEnd - r), args.Y + r, args.Rows);
        }
    }

    /// <summary>The staging area of the tile <paramref name="offset"/> rows into its group.</summary>
    private static float* Stage(float* scratch, int offset, int padded) => scratch + RowTile * SliceColumns + (long)offset * padded;

    /// <summary>
    /// Prefetches what the widening after the tile at row <paramref name="r"/>, columns <paramref name="c0"/> will
    /// read: the group's next tile, else the group's first tile at the next slice, else the next group's first tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchNext(in MatMulArgs args, int rowEnd, int g, int groupEnd, int r, int c0)
    {
        int next, nextEnd, nextColumn;
        if (r + RowTile < groupEnd)
            (next, nextEnd, nextColumn) = (r + RowTile, groupEnd, c0);
        else if (c0 + SliceColumns < args.Cols)
            (next, nextEnd, nextColumn) = (g, groupEnd, c0 + SliceColumns);
        else if (groupEnd < rowEnd)
            (next, nextEnd, nextColumn) = (groupEnd, Math.Min(rowEnd, groupEnd + GroupRows), 0);
        else
            return;
        var bytes = Math.Min(SliceColumns, args.Cols - nextColumn) * TRows.ElementBytes;
        var rows = Math.Min(RowTile, nextEnd - next);
        for (var i = 0; i < rows; i++)
        {
            var start = args.Weights + (next + i) * args.RowBytes + (long)nextColumn * TRows.ElementBytes;
            for (var o = 0; o < bytes; o += 64)
                Sse.Prefetch1(start + o);
            Sse.Prefetch1(start + bytes - 1);
        }
    }

    /// <summary>
    /// Writes a tile's sums from the staging area (per block of 8 tokens, row i's 8 token sums at <c>8 i</c>) to y
    /// (token t's row i at <c>y[t · rows + i]</c>): a full tile's block of 8 tokens is transposed in registers and
    /// stored as 4 + 2 contiguous floats per token; a short tile and the tokens of a partial last block one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(float* stage, int tokens, int valid, float* y, int rows)
    {
        var t = 0;
        if (valid == RowTile)
        {
            for (; t + Lanes <= tokens; t += Lanes)
            {
                var block = stage + t * RowTile;
                var r0 = Vector256.Load(block);
                var r1 = Vector256.Load(block + 8);
                var r2 = Vector256.Load(block + 16);
                var r3 = Vector256.Load(block + 24);
                var r4 = Vector256.Load(block + 32);
                var r5 = Vector256.Load(block + 40);
                // Per 128-bit half (tokens 0-3, 4-7): low01 = (r0[0], r1[0], r0[1], r1[1]), high01 = tokens 2 and 3.
                var low01 = Avx.UnpackLow(r0, r1);
                var high01 = Avx.UnpackHigh(r0, r1);
                var low23 = Avx.UnpackLow(r2, r3);
                var high23 = Avx.UnpackHigh(r2, r3);
                var low45 = Avx.UnpackLow(r4, r5);
                var high45 = Avx.UnpackHigh(r4, r5);
                // Rows 0-3 of tokens (0, 4), (1, 5), (2, 6), (3, 7).
                var q0 = Avx.Shuffle(low01, low23, 0x44);
                var q1 = Avx.Shuffle(low01, low23, 0xEE);
                var q2 = Avx.Shuffle(high01, high23, 0x44);
                var q3 = Avx.Shuffle(high01, high23, 0xEE);
                var o = y + (long)t * rows;
                StoreToken(o, q0.GetLower(), low45.GetLower(), high: false);
                StoreToken(o + rows, q1.GetLower(), low45.GetLower(), high: true);
                StoreToken(o + 2L * rows, q2.GetLower(), high45.GetLower(), high: false);
                StoreToken(o + 3L * rows, q3.GetLower(), high45.GetLower(), high: true);
                StoreToken(o + 4L * rows, q0.GetUpper(), low45.GetUpper(), high: false);
                StoreToken(o + 5L * rows, q1.GetUpper(), low45.GetUpper(), high: true);
                StoreToken(o + 6L * rows, q2.GetUpper(), high45.GetUpper(), high: false);
                StoreToken(o + 7L * rows, q3.GetUpper(), high45.GetUpper(), high: true);
            }
        }
        for (; t < tokens; t++)
        {
            var lanes = stage + t / Lanes * Lanes * RowTile + t % Lanes;
            var o = y + (long)t * rows;
            for (var i = 0; i < valid; i++)
                o[i] = lanes[i * Lanes];
        }
    }

    /// <summary>One token's six rows: four from <paramref name="quad"/>, two from the low or high pair of <paramref name="pairs"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreToken(float* y, Vector128<float> quad, Vector128<float> pairs, bool high)
    {
        quad.Store(y);
        if (high)
            Sse.StoreHigh(y + 4, pairs);
        else
            Sse.StoreLow(y + 4, pairs);
    }

    /// <summary>
    /// Widens columns [<paramref name="c0"/>, <paramref name="c0"/> + <paramref name="width"/>) of
    /// <paramref name="valid"/> rows into <paramref name="wide"/> (rows <see cref="SliceColumns"/> apart); the rows
    /// of a short tile are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Widen(byte* first, int c0, long rowBytes, int valid, int width, float* wide)
    {
        for (var i = 0; i < RowTile; i++)
        {
            var destination = wide + i * SliceColumns;
            if (i < valid)
                TRows.Widen(first + i * rowBytes, c0, width, destination);
            else
                new Span<float>(destination, width).Clear();
        }
    }

    /// <summary>
    /// 6 rows (<paramref name="wide"/>, <see cref="SliceColumns"/> apart) × two blocks of 8 packed tokens over
    /// <paramref name="width"/> columns, added to (or, for the first slice, stored in) the blocks' staging areas:
    /// row i's 8 token sums at <c>acc + 8 i</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x16(float* wide, float* x0, float* x1, int width, float* acc0, float* acc1, bool first)
    {
        Vector256<float> a00 = default, a10 = default, a20 = default, a30 = default, a40 = default, a50 = default;
        Vector256<float> a01 = default, a11 = default, a21 = default, a31 = default, a41 = default, a51 = default;
        // Pointers advance by a constant each column, so the loop body is loads with fixed displacements and FMAs.
        var end = wide + width;
        for (var w = wide; w < end; w++, x0 += Lanes, x1 += Lanes)
        {
            var v0 = Vector256.Load(x0);
            var v1 = Vector256.Load(x1);
            var b = Vector256.Create(w[0]);
            a00 = Vector256.FusedMultiplyAdd(b, v0, a00);
            a01 = Vector256.FusedMultiplyAdd(b, v1, a01);
            b = Vector256.Create(w[SliceColumns]);
            a10 = Vector256.FusedMultiplyAdd(b, v0, a10);
            a11 = Vector256.FusedMultiplyAdd(b, v1, a11);
            b = Vector256.Create(w[2 * SliceColumns]);
            a20 = Vector256.FusedMultiplyAdd(b, v0, a20);
            a21 = Vector256.FusedMultiplyAdd(b, v1, a21);
            b = Vector256.Create(w[3 * SliceColumns]);
            a30 = Vector256.FusedMultiplyAdd(b, v0, a30);
            a31 = Vector256.FusedMultiplyAdd(b, v1, a31);
            b = Vector256.Create(w[4 * SliceColumns]);
            a40 = Vector256.FusedMultiplyAdd(b, v0, a40);
            a41 = Vector256.FusedMultiplyAdd(b, v1, a41);
            b = Vector256.Create(w[5 * SliceColumns]);
            a50 = Vector256.FusedMultiplyAdd(b, v0, a50);
            a51 = Vector256.FusedMultiplyAdd(b, v1, a51);
        }
        Store(acc0, first, a00, a10, a20, a30, a40, a50);
        Store(acc1, first, a01, a11, a21, a31, a41, a51);
    }

    /// <summary><see cref="Tile6x16"/> for a single block of 8 tokens (the last one of an odd count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x8(float* wide, float* x0, int width, float* acc0, bool first)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        for (var k = 0; k < width; k++)
        {
            var v0 = Vector256.Load(x0 + k * Lanes);
            var w = wide + k;
            a0 = Vector256.FusedMultiplyAdd(Vector256.Create(w[0]), v0, a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Create(w[SliceColumns]), v0, a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.Create(w[2 * SliceColumns]), v0, a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.Create(w[3 * SliceColumns]), v0, a3);
            a4 = Vector256.FusedMultiplyAdd(Vector256.Create(w[4 * SliceColumns]), v0, a4);
            a5 = Vector256.FusedMultiplyAdd(Vector256.Create(w[5 * SliceColumns]), v0, a5);
        }
        Store(acc0, first, a0, a1, a2, a3, a4, a5);
    }

    /// <summary>Stores (first slice) or adds six rows' token sums to a block's staging area.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* acc, bool first, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2,
        Vector256<float> a3, Vector256<float> a4, Vector256<float> a5)
    {
        if (!first)
        {
            a0 += Vector256.Load(acc);
            a1 += Vector256.Load(acc + 8);
            a2 += Vector256.Load(acc + 16);
            a3 += Vector256.Load(acc + 24);
            a4 += Vector256.Load(acc + 32);
            a5 += Vector256.Load(acc + 40);
        }
        a0.Store(acc);
        a1.Store(acc + 8);
        a2.Store(acc + 16);
        a3.Store(acc + 24);
        a4.Store(acc + 32);
        a5.Store(acc + 40);
    }
}
