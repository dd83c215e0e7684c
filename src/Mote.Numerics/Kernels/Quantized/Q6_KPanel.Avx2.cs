using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q6_K's panel block (<see cref="Q6_KPanels"/>) for <see cref="KQuantPanelKernelAvx2{T}"/>. Each ql vector's
/// nibbles take their top bits from a shared qh vector (a shift and two masks), the products of two vectors add up in
/// 16 bits (2 · 2 · 63 · 127 = 32,004), one <c>vpmaddwd</c> applies a pair of sub-blocks' signed scales to the eight
/// rows, and the quants' offset of 32 comes off once per super-block through the activation sums:
/// <code>
/// W·x = d · dx · (Σ_j scale_j · Σ_(i in j) q_i · x_i  −  32 · Σ_j scale_j · Σ_(i in j) x_i)
/// </code>
/// </summary>
internal readonly unsafe struct Q6_KPanelAvx2 : IKQuantPanelAvx2
{
    // How far ahead decode prefetches its panel (as the other decode kernels: 2 KB).
    private const int PrefetchBytes = 2048;

    public static int BlockBytes => Q6_KPanels.BlockBytes;

    public static void PermuteActivations(byte* superBlock) => Q6_KPanels.PermuteActivations(superBlock);

    public static void DequantizeActivations(byte* superBlock, float* destination) =>
        Q6_KPanels.DequantizeActivations(superBlock, destination);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Vector256<float> Multiply1(byte* panel, int blocks, byte* x)
    {
        var acc = Vector256<float>.Zero;
        for (var b = 0; b < blocks; b++, panel += BlockBytes, x += Q8K.SuperBlockBytes)
        {
            Prefetch.Lines(panel + PrefetchBytes, BlockBytes);
            var sum = (Group1(panel, x, 0, 0) + Group1(panel, x, 0, 1)) + (Group1(panel, x, 1, 0) + Group1(panel, x, 1, 1));
            acc = Finish(panel, sum, Offsets(panel, x), Q8K.Scale(x), acc);
        }
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply4(byte* panel, long o, byte* x0, byte* x1, byte* x2, byte* x3,
        ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> a3)
    {
        Vector256<int> i0 = default, i1 = default, i2 = default, i3 = default;
        Pass4(panel, o, 0, 0, false, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
        Pass4(panel, o, 0, 0, true, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
        Pass4(panel, o, 0, 1, false, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
        Pass4(panel, o, 0, 1, true, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
        Pass4(panel, o, 1, 0, false, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
        Pass4(panel, o, 1, 0, true, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
        Pass4(panel, o, 1, 1, false, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
        Pass4(panel, o, 1, 1, true, x0, x1, x2, x3, ref i0, ref i1, ref i2, ref i3);
        a0 = Finish(panel, i0, Offsets(panel, x0 + o), Q8K.Scale(x0 + o), a0);
        a1 = Finish(panel, i1, Offsets(panel, x1 + o), Q8K.Scale(x1 + o), a1);
        a2 = Finish(panel, i2, Offsets(panel, x2 + o), Q8K.Scale(x2 + o), a2);
        a3 = Finish(panel, i3, Offsets(panel, x3 + o), Q8K.Scale(x3 + o), a3);
    }

    /// <summary>The eight ql vectors 16h + 8s.. for one token, both nibbles, scaled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Group1(byte* panel, byte* x, int h, int s)
    {
        var lowScales = Pair(panel, 4 * h + s);
        var highScales = Pair(panel, 4 * h + s + 2);
        var sum = Vector256<int>.Zero;
        for (var k = 0; k < 8; k += 2)
        {
            var v = 16 * h + 8 * s + k;
            var low = Avx2.MultiplyAddAdjacent(Quants(panel, h, s, k, false), InterleavedPanels.Broadcast(x + 8 * v))
                + Avx2.MultiplyAddAdjacent(Quants(panel, h, s, k + 1, false), InterleavedPanels.Broadcast(x + 8 * v + 8));
            var high = Avx2.MultiplyAddAdjacent(Quants(panel, h, s, k, true), InterleavedPanels.Broadcast(x + 8 * v + 4))
                + Avx2.MultiplyAddAdjacent(Quants(panel, h, s, k + 1, true), InterleavedPanels.Broadcast(x + 8 * v + 12));
            sum += Avx2.MultiplyAddAdjacent(low, lowScales) + Avx2.MultiplyAddAdjacent(high, highScales);
        }
        return sum;
    }

    /// <summary>One nibble of the eight ql vectors 16h + 8s.. for four tokens (at <paramref name="o"/> in each), scaled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass4(byte* panel, long o, int h, int s, bool high, byte* x0, byte* x1, byte* x2, byte* x3,
        ref Vector256<int> i0, ref Vector256<int> i1, ref Vector256<int> i2, ref Vector256<int> i3)
    {
        var scales = Pair(panel, 4 * h + s + (high ? 2 : 0));
        for (var k = 0; k < 8; k += 2)
        {
            var q0 = Quants(panel, h, s, k, high);
            var q1 = Quants(panel, h, s, k + 1, high);
            var at = o + 8 * (16 * h + 8 * s + k) + (high ? 4 : 0);
            i0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q0, InterleavedPanels.Broadcast(x0 + at)) + Avx2.MultiplyAddAdjacent(q1, InterleavedPanels.Broadcast(x0 + at + 8)), scales);
            i1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q0, InterleavedPanels.Broadcast(x1 + at)) + Avx2.MultiplyAddAdjacent(q1, InterleavedPanels.Broadcast(x1 + at + 8)), scales);
            i2 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q0, InterleavedPanels.Broadcast(x2 + at)) + Avx2.MultiplyAddAdjacent(q1, InterleavedPanels.Broadcast(x2 + at + 8)), scales);
            i3 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q0, InterleavedPanels.Broadcast(x3 + at)) + Avx2.MultiplyAddAdjacent(q1, InterleavedPanels.Broadcast(x3 + at + 8)), scales);
        }
    }

    /// <summary>
    /// The 6-bit quants of ql vector 16h + 8s + k's low or high nibbles, with their top bits from qh vector 8h + k
    /// (bits 2r, 2r + 1 of each byte for element row r = s, or s + 2 for the high nibbles, moved to bits 4, 5).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Quants(byte* panel, int h, int s, int k, bool high)
    {
        var ql = Vector256.Load(panel + 32 * (16 * h + 8 * s + k));
        var qh = Vector256.Load(panel + Q6_KPanels.TopsAt + 32 * (8 * h + k)).AsUInt16();
        var nibbles = (high ? Avx2.ShiftRightLogical(ql.AsUInt16(), 4).AsByte() : ql) & Vector256.Create((byte)0x0F);
        var tops = (high, s) switch
        {
            (false, 0) => Avx2.ShiftLeftLogical(qh, 4),
            (false, _) => Avx2.ShiftLeftLogical(qh, 2),
            (true, 0) => qh,
            _ => Avx2.ShiftRightLogical(qh, 2),
        };
        return nibbles | (tops.AsByte() & Vector256.Create((byte)0x30));
    }

    /// <summary>Pair p of the eight rows' signed scales (sub-blocks 2p, 2p + 1), as 16-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Pair(byte* panel, int p) => Avx2.ConvertToVector256Int16((sbyte*)(panel + Q6_KPanels.ScalesAt + 16 * p));

    /// <summary>Σ_j scale_j · Σ_(i in j) x_i for the eight rows: the eight scale pairs against the activation sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Offsets(byte* panel, byte* x)
    {
        var sums = x + Q8K.SumsOffset;
        return ((Avx2.MultiplyAddAdjacent(Pair(panel, 0), InterleavedPanels.Broadcast(sums).AsInt16())
                    + Avx2.MultiplyAddAdjacent(Pair(panel, 1), InterleavedPanels.Broadcast(sums + 4).AsInt16()))
                + (Avx2.MultiplyAddAdjacent(Pair(panel, 2), InterleavedPanels.Broadcast(sums + 8).AsInt16())
                    + Avx2.MultiplyAddAdjacent(Pair(panel, 3), InterleavedPanels.Broadcast(sums + 12).AsInt16())))
            + ((Avx2.MultiplyAddAdjacent(Pair(panel, 4), InterleavedPanels.Broadcast(sums + 16).AsInt16())
                    + Avx2.MultiplyAddAdjacent(Pair(panel, 5), InterleavedPanels.Broadcast(sums + 20).AsInt16()))
                + (Avx2.MultiplyAddAdjacent(Pair(panel, 6), InterleavedPanels.Broadcast(sums + 24).AsInt16())
                    + Avx2.MultiplyAddAdjacent(Pair(panel, 7), InterleavedPanels.Broadcast(sums + 28).AsInt16())));
    }

    /// <summary>acc + d · dx · (sums − 32 · offsets) for the eight rows (exact in 32 bits: |sums| &lt; 2^28).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Finish(byte* panel, Vector256<int> sums, Vector256<int> offsets, float dx, Vector256<float> acc)
    {
        var d = WeightPanels.Halves((ushort*)(panel + Q6_KPanels.DAt)) * Vector256.Create(dx);
        return Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sums - Avx2.ShiftLeftLogical(offsets, 5)), d, acc);
    }
}
