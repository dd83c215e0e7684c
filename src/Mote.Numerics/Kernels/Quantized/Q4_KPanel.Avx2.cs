using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_K's panel block (<see cref="Q4_KPanels"/>) for <see cref="KQuantPanelKernelAvx2{T}"/>. Per super-block and
/// token the quants' products add up in 16 bits over half a sub-block (8 · 2 · 15 · 127 = 30,480), one
/// <c>vpmaddwd</c> per half applies two sub-blocks' scales to all eight rows, four more take the minimums against
/// the activation sums, and one convert and two FMAs finish the eight rows:
/// <code>
/// W·x = d · dx · Σ_j scale_j · Σ_(i in j) q_i · x_i  −  dmin · dx · Σ_j min_j · Σ_(i in j) x_i
/// </code>
/// The nibble loops run in helpers called with constant vector ranges, which the JIT unrolls.
/// </summary>
internal readonly unsafe struct Q4_KPanelAvx2 : IKQuantPanelAvx2
{
    private const int PanelRows = WeightPanels.Rows;

    // How far ahead decode prefetches its panel (as the other decode kernels: 2 KB).
    private const int PrefetchBytes = 2048;

    public static int BlockBytes => Q4_KPanels.BlockBytes;

    public static void PermuteActivations(byte* superBlock) => Q4_KPanels.PermuteActivations(superBlock);

    public static void DequantizeActivations(byte* superBlock, float* destination) =>
        Q4_KPanels.DequantizeActivations(superBlock, destination);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector256<float> Multiply1(byte* panel, int blocks, byte* x)
    {
        var acc = Vector256<float>.Zero;
        for (var b = 0; b < blocks; b++, panel += BlockBytes, x += Q8K.SuperBlockBytes)
        {
            Prefetch.Lines(panel + PrefetchBytes, BlockBytes);
            Pairs(panel, 0, out var lowScales, out var highScales);
            var sum = Half(panel, x, 0, lowScales, highScales) + Half(panel, x, 8, lowScales, highScales);
            Pairs(panel, 1, out lowScales, out highScales);
            sum += Half(panel, x, 16, lowScales, highScales) + Half(panel, x, 24, lowScales, highScales);
            acc = Finish(panel, sum, Minimums(panel, x), Q8K.Scale(x), acc);
        }
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply4(byte* panel, long o, byte* x0, byte* x1, byte* x2, byte* x3,
        ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> a3)
    {
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
