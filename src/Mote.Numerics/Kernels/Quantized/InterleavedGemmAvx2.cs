using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Prefill for the 32-element block types (q4_0, q4_1, q5_0, q5_1, q8_0) with AVX2, as integer dots over
/// <see cref="Q8Blocks"/> activations. Eight weight rows at a time are interleaved into a small panel (per block,
/// vector g holds elements 4g..4g+3 of each of the eight rows; then the eight scales and corrections), as ggml's
/// q4_0 8×8 repack does at load time, here per call into L1-sized scratch. One <c>vpmaddubsw</c> then multiplies
/// four elements of eight rows by the same four activation bytes (broadcast), a block's eight products add up in 16
/// bits, and one widening, one convert and one FMA per block and token serve all eight rows, whose results land in
/// one vector: no horizontal sums. The per-row kernel spends that float work on every row, block and token, and the
/// float GEMM multiplies eight values per instruction where <c>vpmaddubsw</c> multiplies thirty-two.
/// <para>
/// q8_0's signed bytes take the same path split in two: w + 128 = 16 · high + low, both nibbles unsigned, so
/// W·x = 16 · Σ high · x + Σ low · x − 128 · Σ x, the last term through the activation sums as q4_0's offset. Two
/// <c>vpmaddubsw</c> per four elements of eight rows, against the per-row kernel's sign, <c>vpmaddubsw</c> and
/// <c>vpmaddwd</c> per four elements of one row (those integer multiplies share one pipe on Zen 3).
/// </para>
/// </summary>
internal static unsafe class InterleavedGemmAvx2<T> where T : struct, IBlockAvx2
{
    private const int PanelRows = InterleavedPanels.Rows;
    private const int Groups = Q8Blocks.Elements / 4;

    // Signed bytes are split into high and low nibbles of w + 128.
    private static bool Split { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => T.SignedQuants; }

    // Per block: eight vectors of quants (split: eight of high nibbles, eight of low ones), then eight scales and
    // eight corrections.
    private static int QuantBytes { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Split ? 2 * Groups * 32 : Groups * 32; }

    internal static int PanelBlockBytes { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => QuantBytes + 2 * PanelRows * sizeof(float); }

    // Blocks per panel: 10 KiB of panel (18 KiB split) and four tokens' 5 KiB of activations stay in L1 while the
    // tokens stream past.
    internal const int SliceBlocks = 32;

    /// <summary>
    /// Whether <typeparamref name="T"/> fits: signed bytes (split), or unsigned quants small enough that four or
    /// eight <c>vpmaddubsw</c> results (each up to 2 · QuantMax · 128) add up in 16 bits.
    /// </summary>
    public static bool Supports => T.SignedQuants || T.QuantMax <= 31;

    /// <summary>
    /// The factor of the activation sums this GEMM's <see cref="Q8Blocks"/> activations must carry: the type's own,
    /// or −128 for split signed bytes (their offset, applied with the block's scale as the correction).
    /// </summary>
    public static float ActivationSumFactor => Split ? -128f : T.SumFactor;

    // Groups whose 16-bit sums add up before widening: 4 for 5-bit quants, 8 for 4-bit ones and split bytes' nibbles.
    private static int GroupsPerWiden { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => !Split && T.QuantMax > 15 ? 4 : 8; }

    private static bool Corrects { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Split || T.HasCorrection; }

    public static int ScratchFloats => SliceBlocks * PanelBlockBytes / sizeof(float);

    /// <summary>Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) for every token; scratch holds one panel.</summary>
    public static void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var blocks = args.Cols / Q8Blocks.Elements;
        var stride = args.ActivationStride;
        var panel = (byte*)scratch;
        for (var r0 = rowStart; r0 < rowEnd; r0 += PanelRows)
        {
            var rows = Math.Min(PanelRows, rowEnd - r0);
            for (var b0 = 0; b0 < blocks; b0 += SliceBlocks)
            {
                var count = Math.Min(SliceBlocks, blocks - b0);
                Pack(args.Weights + r0 * args.RowBytes, args.RowBytes, rows, b0, count, panel);
                Multiply(panel, count, args.Activations + (long)b0 * Q8Blocks.BlockBytes, stride, args.Y + r0, args.Rows, args.Tokens, rows, add: b0 > 0);
            }
        }
    }

    /// <summary>
    /// One packed panel slice of <paramref name="blocks"/> blocks · every token (activation blocks at
    /// <paramref name="x"/>, <paramref name="stride"/> apart; results at <paramref name="y"/>, token t's at
    /// <c>y + t · yStride</c>), four tokens at a time.
    /// </summary>
    internal static void Multiply(byte* panel, int blocks, byte* x, long stride, float* y, int yStride, int tokens, int rows, bool add)
    {
        var t = 0;
        for (; t + 4 <= tokens; t += 4)
            Multiply4(panel, blocks, x + t * stride, stride, y + (long)t * yStride, yStride, rows, add);
        for (; t < tokens; t++)
            Multiply1(panel, blocks, x + t * stride, y + (long)t * yStride, rows, add);
    }

    /// <summary>
    /// Interleaves blocks [<paramref name="first"/>, first + count) of <paramref name="rows"/> (≤ 8) rows into the
    /// panel; missing rows are zero (their results are not stored).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack(byte* weights, long rowBytes, int rows, int first, int count, byte* panel)
    {
        var scales = stackalloc float[2 * PanelRows];
        for (var b = 0; b < count; b++, panel += PanelBlockBytes)
        {
            var offset = (long)(first + b) * T.BlockBytes;
            Vector256<uint> q0 = default, q1 = default, q2 = default, q3 = default, q4 = default, q5 = default, q6 = default, q7 = default;
            for (var r = 0; r < PanelRows; r++)
            {
                if (r >= rows)
                {
                    scales[r] = 0;
                    scales[PanelRows + r] = 0;
                    continue;
                }
                var block = weights + r * rowBytes + offset;
                var d = T.Scale(block);
                scales[r] = d;
                scales[PanelRows + r] = Split ? d : T.HasCorrection ? T.Correction(block, d) : 0f;
            }
            if (rows > 0) q0 = T.Quants(weights + offset).AsUInt32();
            if (rows > 1) q1 = T.Quants(weights + rowBytes + offset).AsUInt32();
            if (rows > 2) q2 = T.Quants(weights + 2 * rowBytes + offset).AsUInt32();
            if (rows > 3) q3 = T.Quants(weights + 3 * rowBytes + offset).AsUInt32();
            if (rows > 4) q4 = T.Quants(weights + 4 * rowBytes + offset).AsUInt32();
            if (rows > 5) q5 = T.Quants(weights + 5 * rowBytes + offset).AsUInt32();
            if (rows > 6) q6 = T.Quants(weights + 6 * rowBytes + offset).AsUInt32();
            if (rows > 7) q7 = T.Quants(weights + 7 * rowBytes + offset).AsUInt32();

            // Vector g: group g (elements 4g..4g+3) of rows 0..7.
            InterleavedPanels.Transpose(ref q0, ref q1, ref q2, ref q3, ref q4, ref q5, ref q6, ref q7);
            StoreGroup(q0, panel, 0);
            StoreGroup(q1, panel, 1);
            StoreGroup(q2, panel, 2);
            StoreGroup(q3, panel, 3);
            StoreGroup(q4, panel, 4);
            StoreGroup(q5, panel, 5);
            StoreGroup(q6, panel, 6);
            StoreGroup(q7, panel, 7);
            Vector256.Load(scales).Store((float*)(panel + QuantBytes));
            Vector256.Load(scales + PanelRows).Store((float*)(panel + QuantBytes + 32));
        }
    }

    /// <summary>Stores group g's quants; split signed bytes as the high nibbles of w + 128, then the low ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreGroup(Vector256<uint> quants, byte* panel, int g)
    {
        if (!Split)
        {
            quants.Store((uint*)(panel + 32 * g));
            return;
        }
        var offset = quants.AsByte() ^ Vector256.Create((byte)0x80);
        (Avx2.ShiftRightLogical(offset.AsUInt16(), 4).AsByte() & Vector256.Create((byte)0x0F)).Store(panel + 32 * g);
        (offset & Vector256.Create((byte)0x0F)).Store(panel + Groups * 32 + 32 * g);
    }

    /// <summary>
    /// The panel's eight rows · four tokens' activation blocks (<paramref name="stride"/> apart), group by group:
    /// each group's vector (two for split bytes) is loaded once and consumed by the four tokens at once. (Token by
    /// token, the JIT kept a block's group loads in registers across the four tokens: split bytes' sixteen spilled,
    /// 3× slower.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply4(byte* panel, int blocks, byte* x0, long stride, float* y, int yStride, int rows, bool add)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* x1 = x0 + stride, x2 = x0 + 2 * stride, x3 = x0 + 3 * stride;
        for (var b = 0; b < blocks; b++, panel += PanelBlockBytes)
        {
            var o = (long)b * Q8Blocks.BlockBytes;
            Vector256<int> i0 = default, i1 = default, i2 = default, i3 = default;
            for (var g0 = 0; g0 < Groups; g0 += GroupsPerWiden)
            {
                Vector256<short> h0 = default, h1 = default, h2 = default, h3 = default;
                Vector256<short> l0 = default, l1 = default, l2 = default, l3 = default;
                for (var g = g0; g < g0 + GroupsPerWiden; g++)
                {
                    var high = Vector256.Load(panel + 32 * g);
                    var low = Split ? Vector256.Load(panel + Groups * 32 + 32 * g) : default;
                    var q = o + 8 + 4 * g;
                    var x = InterleavedPanels.Broadcast(x0 + q);
                    h0 += Avx2.MultiplyAddAdjacent(high, x);
                    if (Split) l0 += Avx2.MultiplyAddAdjacent(low, x);
                    x = InterleavedPanels.Broadcast(x1 + q);
                    h1 += Avx2.MultiplyAddAdjacent(high, x);
                    if (Split) l1 += Avx2.MultiplyAddAdjacent(low, x);
                    x = InterleavedPanels.Broadcast(x2 + q);
                    h2 += Avx2.MultiplyAddAdjacent(high, x);
                    if (Split) l2 += Avx2.MultiplyAddAdjacent(low, x);
                    x = InterleavedPanels.Broadcast(x3 + q);
                    h3 += Avx2.MultiplyAddAdjacent(high, x);
                    if (Split) l3 += Avx2.MultiplyAddAdjacent(low, x);
                }
                i0 += Split ? InterleavedPanels.Join(h0, l0) : InterleavedPanels.Widen(h0);
                i1 += Split ? InterleavedPanels.Join(h1, l1) : InterleavedPanels.Widen(h1);
                i2 += Split ? InterleavedPanels.Join(h2, l2) : InterleavedPanels.Widen(h2);
                i3 += Split ? InterleavedPanels.Join(h3, l3) : InterleavedPanels.Widen(h3);
            }
            var d = Vector256.Load((float*)(panel + QuantBytes));
            var c = Vector256.Load((float*)(panel + QuantBytes + 32));
            a0 = Accumulate(i0, d, c, x0 + o, a0);
            a1 = Accumulate(i1, d, c, x1 + o, a1);
            a2 = Accumulate(i2, d, c, x2 + o, a2);
            a3 = Accumulate(i3, d, c, x3 + o, a3);
        }
        InterleavedPanels.Store(y, a0, rows, add);
        InterleavedPanels.Store(y + yStride, a1, rows, add);
        InterleavedPanels.Store(y + 2 * yStride, a2, rows, add);
        InterleavedPanels.Store(y + 3 * (long)yStride, a3, rows, add);
    }

    /// <summary>The panel's eight rows · one token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply1(byte* panel, int blocks, byte* x, float* y, int rows, bool add)
    {
        Vector256<float> a = default;
        for (var b = 0; b < blocks; b++, panel += PanelBlockBytes, x += Q8Blocks.BlockBytes)
        {
            var d = Vector256.Load((float*)(panel + QuantBytes));
            var c = Vector256.Load((float*)(panel + QuantBytes + 32));
            a = Accumulate(BlockSums(panel, x + 8), d, c, x, a);
        }
        InterleavedPanels.Store(y, a, rows, add);
    }

    /// <summary>
    /// One panel block · one token's 32 activation quants, per row: 16-bit partial sums widened once per block for
    /// 4-bit quants (8 · 2 · 15 · 128 = 30,720 fits), once per half for 5-bit ones (4 · 2 · 31 · 128 = 31,744);
    /// split signed bytes as 16 · high + low, each nibble's eight groups added in 16 bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> BlockSums(byte* panel, byte* quants)
    {
        if (Split)
        {
            return InterleavedPanels.Join(FourGroups(panel, quants) + FourGroups(panel + 128, quants + 16),
                FourGroups(panel + Groups * 32, quants) + FourGroups(panel + Groups * 32 + 128, quants + 16));
        }
        return T.QuantMax <= 15
            ? InterleavedPanels.Widen(FourGroups(panel, quants) + FourGroups(panel + 128, quants + 16))
            : InterleavedPanels.Widen(FourGroups(panel, quants)) + InterleavedPanels.Widen(FourGroups(panel + 128, quants + 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> FourGroups(byte* panel, byte* quants) =>
        Avx2.MultiplyAddAdjacent(Vector256.Load(panel), InterleavedPanels.Broadcast(quants))
        + Avx2.MultiplyAddAdjacent(Vector256.Load(panel + 32), InterleavedPanels.Broadcast(quants + 4))
        + Avx2.MultiplyAddAdjacent(Vector256.Load(panel + 64), InterleavedPanels.Broadcast(quants + 8))
        + Avx2.MultiplyAddAdjacent(Vector256.Load(panel + 96), InterleavedPanels.Broadcast(quants + 12));

    /// <summary>acc + d · dx · sums + correction · c, for the activation block at <paramref name="x"/> (dx, c, quants).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Accumulate(Vector256<int> sums, Vector256<float> d, Vector256<float> correction, byte* x, Vector256<float> acc)
    {
        acc = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sums), d * Vector256.Create(*(float*)x), acc);
        return Corrects ? Vector256.FusedMultiplyAdd(correction, Vector256.Create(*(float*)(x + 4)), acc) : acc;
    }
}
