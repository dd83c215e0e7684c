using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_K with AVX2 over weights laid out in <see cref="Q4_KPanels"/>: eight rows per vector, as
/// <see cref="PanelKernelAvx2{T}"/> does for the 32-element types. Per super-block and token the quants' products
/// add up in 16 bits over half a sub-block (8 · 2 · 15 · 127 = 30,480), one <c>vpmaddwd</c> per half applies two
/// sub-blocks' scales to all eight rows, four more take the minimums against the activation sums, and one convert
/// and two FMAs finish the eight rows: about 40 operations per row and super-block where the per-row kernel of
/// <see cref="KQuantKernelAvx2{T}"/> spends 70 (its horizontal sums included).
/// <code>
/// W·x = d · dx · Σ_j scale_j · Σ_(i in j) q_i · x_i  −  dmin · dx · Σ_j min_j · Σ_(i in j) x_i
/// </code>
/// Calls of several tokens take them four at a time, each panel vector split into nibbles once for the four.
/// </summary>
internal sealed unsafe class Q4_KPanelKernelAvx2 : MatMulKernel
{
    private const int PanelRows = WeightPanels.Rows;

    // How far ahead decode prefetches its panel (as the other decode kernels: 2 KB).
    private const int PrefetchBytes = 2048;

    public override int ActivationBytes(int cols) => Q8K.Bytes(cols);

    public override void PrepareActivations(float* x, int cols, byte* destination)
    {
        Q8K.QuantizeAvx2(x, cols, destination);
        for (var b = 0; b < cols / Q8K.Elements; b++)
            Q4_KPanels.PermuteActivations(destination + b * Q8K.SuperBlockBytes);
    }

    public override void ExpandActivations(byte* prepared, int cols, float* destination)
    {
        for (var b = 0; b < cols / Q8K.Elements; b++)
            Q4_KPanels.DequantizeActivations(prepared + b * Q8K.SuperBlockBytes, destination + b * Q8K.Elements);
    }

    public override int RowTile => PanelRows;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var blocks = args.Cols / Q8K.Elements;
        var stride = args.ActivationStride;
        for (var r0 = rowStart; r0 < rowEnd; r0 += PanelRows)
        {
            var panel = args.Weights + r0 * args.RowBytes;
            if (args.Tokens == 1)
            {
                Multiply1(panel, blocks, args.Activations, args.Y + r0);
                continue;
            }
            for (var t = 0; t < args.Tokens; t += 4)
                Multiply4(panel, blocks, args.Activations + t * stride, stride, args.Y + (long)t * args.Rows + r0, args.Rows, Math.Min(4, args.Tokens - t));
        }
    }

    /// <summary>One token: the panel's eight rows · the super-blocks at <paramref name="x"/>, stored to y[0..8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply1(byte* panel, int blocks, byte* x, float* y)
    {
        var acc = Vector256<float>.Zero;
        for (var b = 0; b < blocks; b++, panel += Q4_KPanels.BlockBytes, x += Q8K.SuperBlockBytes)
        {
            Prefetch.Lines(panel + PrefetchBytes, Q4_KPanels.BlockBytes);
            Pairs(panel, 0, out var lowScales, out var highScales);
            var sum = Half(panel, x, 0, lowScales, highScales) + Half(panel, x, 8, lowScales, highScales);
            Pairs(panel, 1, out lowScales, out highScales);
            sum += Half(panel, x, 16, lowScales, highScales) + Half(panel, x, 24, lowScales, highScales);
            acc = Finish(panel, sum, Minimums(panel, x), Q8K.Scale(x), acc);
        }
        acc.Store(y);
    }

    /// <summary>Vectors first..first + 7 (half a group) for one token, both nibbles, scaled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Half(byte* panel, byte* x, int first, Vector256<short> lowScales, Vector256<short> highScales)
    {
        var mask = Vector256.Create((byte)0x0F);
        Vector256<short> low = default, high = default;
        for (var v = first; v < first + 8; v++)
        {
            var q = Vector256.Load(panel + 32 * v);
            low += Avx2.MultiplyAddAdjacent(q & mask, InterleavedPanels.Broadcast(x + 8 * v));
            high += Avx2.MultiplyAddAdjacent(Avx2.ShiftRightLogical(q.AsUInt16(), 4).AsByte() & mask, InterleavedPanels.Broadcast(x + 8 * v + 4));
        }
        return Avx2.MultiplyAddAdjacent(low, lowScales) + Avx2.MultiplyAddAdjacent(high, highScales);
    }

    /// <summary>
    /// Up to four tokens (<paramref name="stride"/> apart) through the panel; y rows <paramref name="yStride"/> apart.
    /// A count below four repeats the last token in the spare lanes and stores only <paramref name="tokens"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply4(byte* panel, int blocks, byte* x0, long stride, float* y, int yStride, int tokens)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* x1 = x0 + Math.Min(1, tokens - 1) * stride, x2 = x0 + Math.Min(2, tokens - 1) * stride, x3 = x0 + Math.Min(3, tokens - 1) * stride;
        for (var b = 0; b < blocks; b++, panel += Q4_KPanels.BlockBytes)
        {
            var o = (long)b * Q8K.SuperBlockBytes;
            Vector256<int> i0 = default, i1 = default, i2 = default, i3 = default;
            // The low nibbles of vectors 0..7 and 8..15, then their high nibbles; then vectors 16..31 alike.
            Pairs(panel, 0, out var lowScales, out var highScales);
            Quarter(panel, o, 0, false, lowScales, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
            Quarter(panel, o, 8, false, lowScales, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
            Quarter(panel, o, 0, true, highScales, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
            Quarter(panel, o, 8, true, highScales, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
            Pairs(panel, 1, out lowScales, out highScales);
            Quarter(panel, o, 16, false, lowScales, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
            Quarter(panel, o, 24, false, lowScales, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
            Quarter(panel, o, 16, true, highScales, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
            Quarter(panel, o, 24, true, highScales, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
            a0 = Finish(panel, i0, Minimums(panel, x0 + o), Q8K.Scale(x0 + o), a0);
            a1 = Finish(panel, i1, Minimums(panel, x1 + o), Q8K.Scale(x1 + o), a1);
            a2 = Finish(panel, i2, Minimums(panel, x2 + o), Q8K.Scale(x2 + o), a2);
            a3 = Finish(panel, i3, Minimums(panel, x3 + o), Q8K.Scale(x3 + o), a3);
        }
        a0.Store(y);
        if (tokens > 1)
            a1.Store(y + yStride);
        if (tokens > 2)
            a2.Store(y + 2 * yStride);
        if (tokens > 3)
            a3.Store(y + 3 * (long)yStride);
    }

    /// <summary>One nibble of vectors first..first + 7 for four tokens (at <paramref name="o"/> in each), scaled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter(byte* panel, long o, int first, bool high, Vector256<short> scales, byte* x0, byte* x1, byte* x2, byte* x3,
        ref Vector256<int> i0, ref Vector256<int> i1, ref Vector256<int> i2, ref Vector256<int> i3)
    {
        var mask = Vector256.Create((byte)0x0F);
        Vector256<short> s0 = default, s1 = default, s2 = default, s3 = default;
        for (var v = first; v < first + 8; v++)
        {
            var q = Vector256.Load(panel + 32 * v);
            q = (high ? Avx2.ShiftRightLogical(q.AsUInt16(), 4).AsByte() : q) & mask;
            var at = o + 8 * v + (high ? 4 : 0);
            s0 += Avx2.MultiplyAddAdjacent(q, InterleavedPanels.Broadcast(x0 + at));
            s1 += Avx2.MultiplyAddAdjacent(q, InterleavedPanels.Broadcast(x1 + at));
            s2 += Avx2.MultiplyAddAdjacent(q, InterleavedPanels.Broadcast(x2 + at));
            s3 += Avx2.MultiplyAddAdjacent(q, InterleavedPanels.Broadcast(x3 + at));
        }
        i0 += Avx2.MultiplyAddAdjacent(s0, scales);
        i1 += Avx2.MultiplyAddAdjacent(s1, scales);
        i2 += Avx2.MultiplyAddAdjacent(s2, scales);
        i3 += Avx2.MultiplyAddAdjacent(s3, scales);
    }

    /// <summary>
    /// The scale pairs of group <paramref name="g"/>'s low and high nibbles (U's pairs 2g and 2g + 1, see
    /// <see cref="Q4_KPanels"/>), each row's two 6-bit scales widened to a pair of 16-bit lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pairs(byte* panel, int g, out Vector256<short> low, out Vector256<short> high)
    {
        var unpacked = Unpacked(panel, g);
        low = Avx2.ConvertToVector256Int16(unpacked.GetLower()).AsInt16();
        high = Avx2.ConvertToVector256Int16(unpacked.GetUpper()).AsInt16();
    }

    /// <summary>Σ_j min_j · Σ_(i in j) x_i for the eight rows: the four minimum pairs against the activation sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Minimums(byte* panel, byte* x)
    {
        var sums = x + Q8K.SumsOffset;
        var first = Unpacked(panel, 2);
        var second = Unpacked(panel, 3);
        return (Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(first.GetLower()).AsInt16(), InterleavedPanels.Broadcast(sums).AsInt16())
                + Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(first.GetUpper()).AsInt16(), InterleavedPanels.Broadcast(sums + 4).AsInt16()))
            + (Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(second.GetLower()).AsInt16(), InterleavedPanels.Broadcast(sums + 8).AsInt16())
                + Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(second.GetUpper()).AsInt16(), InterleavedPanels.Broadcast(sums + 12).AsInt16()));
    }

    /// <summary>
    /// Bytes 32k..32k + 31 of U: the 6-bit values from their low nibbles (bytes k &lt; 2 of the nibble vectors,
    /// low or high halves for k ≥ 2) and their two top bits (pair k of each tops byte).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Unpacked(byte* panel, int k)
    {
        var nibbles = Vector256.Load(panel + Q4_KPanels.NibblesAt + 32 * (k & 1));
        var tops = Vector256.Load(panel + Q4_KPanels.TopsAt).AsUInt16();
        var low = k < 2 ? nibbles : Avx2.ShiftRightLogical(nibbles.AsUInt16(), 4).AsByte();
        var top = k switch
        {
            0 => Avx2.ShiftLeftLogical(tops, 4),
            1 => Avx2.ShiftLeftLogical(tops, 2),
            2 => tops,
            _ => Avx2.ShiftRightLogical(tops, 2),
        };
        return (low & Vector256.Create((byte)0x0F)) | (top.AsByte() & Vector256.Create((byte)0x30));
    }

    /// <summary>acc + d · dx · sums − dmin · dx · minimums for the eight rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Finish(byte* panel, Vector256<int> sums, Vector256<int> minimums, float dx, Vector256<float> acc)
    {
        var scale = Vector256.Create(dx);
        var d = WeightPanels.Halves((ushort*)(panel + Q4_KPanels.ScalesAt)) * scale;
        var dmin = WeightPanels.Halves((ushort*)(panel + Q4_KPanels.ScalesAt) + PanelRows) * scale;
        acc = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sums), d, acc);
        return Fma.MultiplyAddNegated(Avx.ConvertToVector256Single(minimums), dmin, acc);
    }
}
