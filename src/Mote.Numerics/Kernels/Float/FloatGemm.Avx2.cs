using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// <item>Each 6-row tile widens <see cref="SliceColumns"/> columns of its rows into scratch once and runs every token
/// block over them, accumulating in a per-thread staging area (6 rows × the padded tokens), transposed into y at the
/// end: each weight is widened once per call, whatever the number of tokens.</item>
/// </list>
/// </summary>
internal static unsafe class FloatGemmAvx2<TRows>
    where TRows : struct, IGemmRows
{
    public const int Lanes = 8;
    public const int RowTile = 6;
    private const int SliceColumns = 256;

    /// <summary>Bytes of packed activations for <paramref name="tokens"/> tokens.</summary>
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
        var stage = scratch + RowTile * SliceColumns;
        for (var r = rowStart; r < rowEnd; r += RowTile)
        {
            var valid = Math.Min(RowTile, rowEnd - r);
            var first = args.Weights + r * args.RowBytes;
            for (var c0 = 0; c0 < cols; c0 += SliceColumns)
            {
                var width = Math.Min(SliceColumns, cols - c0);
                Widen(first, c0, args.RowBytes, valid, width, wide);
                var t0 = 0;
                for (; t0 + 2 * Lanes <= padded; t0 += 2 * Lanes)
                {
                    Tile6x16(wide, packed + (long)t0 * cols + (long)c0 * Lanes, packed + (long)(t0 + Lanes) * cols + (long)c0 * Lanes, width,
                        stage + t0 * RowTile, stage + (t0 + Lanes) * RowTile, c0 == 0);
                }
                if (t0 < padded)
                    Tile6x8(wide, packed + (long)t0 * cols + (long)c0 * Lanes, width, stage + t0 * RowTile, c0 == 0);
            }
            // stage holds, per token block, row i's 8 tokens at i · 8.
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
        for (var k = 0; k < width; k++)
        {
            var v0 = Vector256.Load(x0 + k * Lanes);
            var v1 = Vector256.Load(x1 + k * Lanes);
            var w = wide + k;
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
