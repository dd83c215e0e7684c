using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_0, q4_1, q5_0, q5_1 and q8_0 with AVX2 over weights already laid out in <see cref="WeightPanels"/> (eight rows
/// interleaved at load, as ggml's CPU repack does): the integer GEMM of <see cref="InterleavedGemmAvx2{T}"/> without
/// its per-call packing, which at eight tokens (eight streams of a server's decode step) cost two thirds as much as
/// the multiplies; and decode as the same GEMM of one token, eight rows per vector with no horizontal sums.
/// <para>
/// A panel vector's 32 bytes hold two vectors of 4-bit values: q4_0/q4_1's low nibbles are elements 4g..4g+3 of the
/// eight rows and the high nibbles elements 16 + 4g.. (q5_0/q5_1 add each element's fifth bit from the panel's
/// regrouped bit vector: one byte shuffle, then a mask and compare per half); q8_0's bytes (w + 128) split into
/// high and low nibbles of the same elements, W·x = 16 · Σ high · x + Σ low · x − 128 · Σ x, the last term through
/// the activation sums. A block's products add up in 16 bits and widen once (8 · 2 · 15 · 127 = 30,480), 5-bit
/// quants' low and high halves separately (4 · 2 · 31 · 127 = 31,496).
/// </para>
/// </summary>
internal sealed unsafe class PanelKernelAvx2<T> : MatMulKernel where T : struct, IBlockAvx2
{
    private const int PanelRows = WeightPanels.Rows;

    // How far ahead decode prefetches its panel (best of 512–4096 bytes on Zen 3; see PrefetchAhead).
    private const int PrefetchBytes = 2048;

    // q8_0: eight vectors of split bytes per block; q4_0/q4_1: four vectors of two nibbles.
    private static bool Split { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => T.SignedQuants; }

    // q5_0/q5_1: a vector of fifth bits follows the nibbles.
    private static bool FifthBits { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => !Split && T.QuantMax > 15; }

    // Where the scales start in a panel block.
    private static int QuantBytes { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Split ? 256 : FifthBits ? 160 : 128; }

    // q4_1/q5_1 store the eight rows' minimums after their scales; the others' correction is the scale (an offset).
    private static bool HasMinimum { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => !Split && T.BlockBytes == (FifthBits ? 24 : 20); }

    private static float SumFactor => Split ? -128f : T.SumFactor;

    public override int ActivationBytes(int cols) => Q8Blocks.Bytes(cols);

    public override void PrepareActivations(float* x, int cols, byte* destination) =>
        Q8Blocks.QuantizeAvx2(x, cols, destination, SumFactor);

    public override void ExpandActivations(byte* prepared, int cols, float* destination) =>
        Q8Blocks.Dequantize(prepared, cols, destination);

    public override int RowTile => PanelRows;

    /// <summary>
    /// Calls of this many tokens or more expand a 5-bit slice once into <see cref="InterleavedGemmAvx2{T}"/>'s
    /// full-byte panel and multiply that: extracting the fifth bits costs ~10 operations per vector, worth paying per
    /// group of four tokens only for a few tokens (single thread, q5_0 2048 × 2048, GMAC/s from the 5-bit panel at 4,
    /// 8 and 128 tokens: 47, 46.5, 47; expanded: 41, 50.6, 68.5).
    /// </summary>
    internal const int ExpandTokens = 8;

    private static bool Expands(int tokens) => FifthBits && tokens >= ExpandTokens;

    public override int ScratchFloats(int cols, int tokens) => Expands(tokens) ? InterleavedGemmAvx2<T>.ScratchFloats : 0;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var blocks = args.Cols / Q8Blocks.Elements;
        var stride = args.ActivationStride;
        var panelBlockBytes = PanelRows * T.BlockBytes;
        var expands = Expands(args.Tokens);
        var slice = args.Tokens < 4 ? blocks : InterleavedGemmAvx2<T>.SliceBlocks;
        for (var r0 = rowStart; r0 < rowEnd; r0 += PanelRows)
        {
            var panel = args.Weights + r0 * args.RowBytes;
            for (var b0 = 0; b0 < blocks; b0 += slice)
            {
                var count = Math.Min(slice, blocks - b0);
                var p = panel + (long)b0 * panelBlockBytes;
                var x = args.Activations + (long)b0 * Q8Blocks.BlockBytes;
                var y = args.Y + r0;
                var add = b0 > 0;
                if (expands)
                {
                    // Many tokens against 5-bit panels: the slice expanded to full bytes once, then the interleaved GEMM.
                    var expanded = (byte*)scratch;
                    Expand(p, count, expanded);
                    InterleavedGemmAvx2<T>.Multiply(expanded, count, x, stride, y, args.Rows, args.Tokens, PanelRows, add);
                    continue;
                }
                var t = 0;
                for (; t + 4 <= args.Tokens; t += 4)
                    Multiply4(p, count, x + t * stride, stride, y + (long)t * args.Rows, args.Rows, add);
                for (; t < args.Tokens; t++)
                    Multiply1(p, count, x + t * stride, y + (long)t * args.Rows, add);
            }
        }
    }

    /// <summary>
    /// <paramref name="blocks"/> 5-bit panel blocks as <see cref="InterleavedGemmAvx2{T}"/>'s panel: per block the
    /// eight four-element groups of the eight rows as whole bytes, then the scales and corrections as floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Expand(byte* panel, int blocks, byte* expanded)
    {
        for (var b = 0; b < blocks; b++, panel += PanelRows * T.BlockBytes, expanded += InterleavedGemmAvx2<T>.PanelBlockBytes)
        {
            for (var g = 0; g < 4; g++)
            {
                var (h, l) = Quants(panel, g);
                l.Store(expanded + 32 * g);
                h.Store(expanded + 32 * (g + 4));
            }
            var d = WeightPanels.Halves((ushort*)(panel + QuantBytes));
            d.Store((float*)(expanded + 256));
            (HasMinimum ? WeightPanels.Halves((ushort*)(panel + QuantBytes + 16)) : d).Store((float*)(expanded + 256 + 32));
        }
    }

    /// <summary>
    /// Asks for the panel block <see cref="PrefetchBytes"/> ahead of <paramref name="panel"/>. Decode reads each
    /// panel once (q8_0 2048 × 8192, single thread: 1270 → 955 µs with it; q4_0 760 → 540).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchAhead(byte* panel) => Prefetch.Lines(panel + PrefetchBytes, PanelRows * T.BlockBytes);

    /// <summary>The panel's eight rows · one token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply1(byte* panel, int blocks, byte* x, float* y, bool add)
    {
        Vector256<float> a = default;
        for (var b = 0; b < blocks; b++, panel += PanelRows * T.BlockBytes, x += Q8Blocks.BlockBytes)
        {
            PrefetchAhead(panel);
            var q = x + 8;
            Vector256<int> sums;
            if (Split)
            {
                Vector256<short> high = default, low = default;
                for (var g = 0; g < 8; g++)
                {
                    var (h, l) = Nibbles(panel + 32 * g);
                    var xg = InterleavedPanels.Broadcast(q + 4 * g);
                    high += Avx2.MultiplyAddAdjacent(h, xg);
                    low += Avx2.MultiplyAddAdjacent(l, xg);
                }
                sums = InterleavedPanels.Join(high, low);
            }
            else
            {
                Vector256<short> low = default, high = default;
                for (var g = 0; g < 4; g++)
                {
                    var (h, l) = Quants(panel, g);
                    low += Avx2.MultiplyAddAdjacent(l, InterleavedPanels.Broadcast(q + 4 * g));
                    high += Avx2.MultiplyAddAdjacent(h, InterleavedPanels.Broadcast(q + 16 + 4 * g));
                }
                sums = Sum(low, high);
            }
            a = Accumulate(sums, panel, x, a);
        }
        Store(y, a, add);
    }

    /// <summary>
    /// The panel's eight rows · four tokens' activation blocks (<paramref name="stride"/> apart): each panel vector
    /// is loaded and split once for the four tokens.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply4(byte* panel, int blocks, byte* x0, long stride, float* y, int yStride, bool add)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* x1 = x0 + stride, x2 = x0 + 2 * stride, x3 = x0 + 3 * stride;
        for (var b = 0; b < blocks; b++, panel += PanelRows * T.BlockBytes)
        {
            PrefetchAhead(panel);
            var o = (long)b * Q8Blocks.BlockBytes;
            Vector256<int> i0, i1, i2, i3;
            if (Split)
            {
                Vector256<short> h0 = default, h1 = default, h2 = default, h3 = default;
                Vector256<short> l0 = default, l1 = default, l2 = default, l3 = default;
                for (var g = 0; g < 8; g++)
                {
                    var (h, l) = Nibbles(panel + 32 * g);
                    var q = o + 8 + 4 * g;
                    var x = InterleavedPanels.Broadcast(x0 + q);
                    h0 += Avx2.MultiplyAddAdjacent(h, x);
                    l0 += Avx2.MultiplyAddAdjacent(l, x);
                    x = InterleavedPanels.Broadcast(x1 + q);
                    h1 += Avx2.MultiplyAddAdjacent(h, x);
                    l1 += Avx2.MultiplyAddAdjacent(l, x);
                    x = InterleavedPanels.Broadcast(x2 + q);
                    h2 += Avx2.MultiplyAddAdjacent(h, x);
                    l2 += Avx2.MultiplyAddAdjacent(l, x);
                    x = InterleavedPanels.Broadcast(x3 + q);
                    h3 += Avx2.MultiplyAddAdjacent(h, x);
                    l3 += Avx2.MultiplyAddAdjacent(l, x);
                }
                i0 = InterleavedPanels.Join(h0, l0);
                i1 = InterleavedPanels.Join(h1, l1);
                i2 = InterleavedPanels.Join(h2, l2);
                i3 = InterleavedPanels.Join(h3, l3);
            }
            else
            {
                // Elements 4g.. (low nibbles) and 16 + 4g.. (high) in separate sums: 5-bit quants widen each.
                Vector256<short> l0 = default, l1 = default, l2 = default, l3 = default;
                Vector256<short> h0 = default, h1 = default, h2 = default, h3 = default;
                for (var g = 0; g < 4; g++)
                {
                    var (h, l) = Quants(panel, g);
                    var ql = o + 8 + 4 * g;
                    var qh = ql + 16;
                    l0 += Avx2.MultiplyAddAdjacent(l, InterleavedPanels.Broadcast(x0 + ql));
                    h0 += Avx2.MultiplyAddAdjacent(h, InterleavedPanels.Broadcast(x0 + qh));
                    l1 += Avx2.MultiplyAddAdjacent(l, InterleavedPanels.Broadcast(x1 + ql));
                    h1 += Avx2.MultiplyAddAdjacent(h, InterleavedPanels.Broadcast(x1 + qh));
                    l2 += Avx2.MultiplyAddAdjacent(l, InterleavedPanels.Broadcast(x2 + ql));
                    h2 += Avx2.MultiplyAddAdjacent(h, InterleavedPanels.Broadcast(x2 + qh));
                    l3 += Avx2.MultiplyAddAdjacent(l, InterleavedPanels.Broadcast(x3 + ql));
                    h3 += Avx2.MultiplyAddAdjacent(h, InterleavedPanels.Broadcast(x3 + qh));
                }
                (i0, i1, i2, i3) = (Sum(l0, h0), Sum(l1, h1), Sum(l2, h2), Sum(l3, h3));
            }
            a0 = Accumulate(i0, panel, x0 + o, a0);
            a1 = Accumulate(i1, panel, x1 + o, a1);
            a2 = Accumulate(i2, panel, x2 + o, a2);
            a3 = Accumulate(i3, panel, x3 + o, a3);
        }
        Store(y, a0, add);
        Store(y + yStride, a1, add);
        Store(y + 2 * yStride, a2, add);
        Store(y + 3 * (long)yStride, a3, add);
    }

    /// <summary>
    /// Vector g of a 4- or 5-bit panel block as the quants of elements 16 + 4g.. (high) and 4g.. (low) of each row:
    /// its nibbles, plus for q5_0/q5_1 the fifth bits, whose byte g of each lane is copied to the lane's four bytes and
    /// tested bit by bit (bits 0..3 for the low quants, 4..7 for the high ones).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<byte> High, Vector256<byte> Low) Quants(byte* panel, int g)
    {
        var (high, low) = Nibbles(panel + 32 * g);
        if (!FifthBits)
            return (high, low);
        // Lane r's four bytes all take byte 4r + g of the lane's 128-bit half.
        var index = Vector256.Create(0u, 0x04040404u, 0x08080808u, 0x0C0C0C0Cu, 0u, 0x04040404u, 0x08080808u, 0x0C0C0C0Cu).AsByte()
            + Vector256.Create((byte)g);
        var spread = Avx2.Shuffle(Vector256.Load(panel + 128), index);
        var lowBits = Vector256.Create(0x08040201u).AsByte();
        var highBits = Vector256.Create(0x80402010u).AsByte();
        var bit4 = Vector256.Create((byte)0x10);
        return (high | (Vector256.Equals(spread & highBits, highBits) & bit4), low | (Vector256.Equals(spread & lowBits, lowBits) & bit4));
    }

    /// <summary>A panel vector as its high and low nibbles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<byte> High, Vector256<byte> Low) Nibbles(byte* vector)
    {
        var v = Vector256.Load(vector);
        var mask = Vector256.Create((byte)0x0F);
        return (Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & mask, v & mask);
    }

    /// <summary>A block's low- and high-element sums widened: added first in 16 bits for 4-bit quants, not for 5-bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Sum(Vector256<short> low, Vector256<short> high) =>
        FifthBits ? InterleavedPanels.Widen(low) + InterleavedPanels.Widen(high) : InterleavedPanels.Widen(low + high);

    /// <summary>
    /// acc + d · (dx · sums + c) for an offset (q4_0, q8_0), acc + d · dx · sums + m · c for q4_1's minimum, with the
    /// activation block at <paramref name="x"/> (dx, c, quants) and the panel block's scales after its quants.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Accumulate(Vector256<int> sums, byte* panel, byte* x, Vector256<float> acc)
    {
        var d = WeightPanels.Halves((ushort*)(panel + QuantBytes));
        var dx = Vector256.Create(*(float*)x);
        var c = Vector256.Create(*(float*)(x + 4));
        if (!HasMinimum)
            return Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sums), dx, c), d, acc);
        acc = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sums), d * dx, acc);
        return Vector256.FusedMultiplyAdd(WeightPanels.Halves((ushort*)(panel + QuantBytes + 16)), c, acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* y, Vector256<float> values, bool add) => (add ? Vector256.Load(y) + values : values).Store(y);
}
