using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_0 × <see cref="Q8x4"/> with AVX-512. Per group of four blocks (72 bytes): one two-source byte permute
/// gathers the 64 quant bytes in activation order, mask and shift split them into low (elements 0..15) and
/// high (16..31) nibbles, and a 16-bit permute spreads the four fp16 scales over their lanes. Per token:
/// <c>vpmaddubsw</c> of nibbles (unsigned 0..15) with activations, <c>vpmaddwd</c> to 32-bit lanes, then
/// value = dw · (dx · Σ nibble·x + c) with c = −8 · dx · Σx (the nibble offset of 8, folded in) spread over the
/// four 32-bit lanes that hold a block's partial sums, hence a stored factor of −8 / 4.
/// Prefill pairs rows (<see cref="Dot8x2"/>, <see cref="Dot4x2"/>): per group, two rows unpacked (2 × 8
/// instructions) serve eight (or four) tokens whose activations are loaded once for both, then 7 instructions per row and token (2 <c>vpmaddubsw</c>,
/// <c>vpaddw</c>, <c>vpmaddwd</c>, <c>vcvtdq2ps</c>, 2 FMA) for 128 products. Halving the lanes per block with
/// 128-bit lane shuffles before or after <c>vpmaddwd</c> (fewer conversions and FMAs) measured no faster.
/// </summary>
internal sealed unsafe class Q4_0KernelAvx512 : Q8x4KernelAvx512
{
    private const int BlockBytes = 18;
    private static readonly byte[] s_quantIndex = GroupIndex.Bytes(BlockBytes, first: 2, firstLoad: 0, secondLoad: 8);
    private static readonly short[] s_scaleIndex = GroupIndex.Scales(BlockBytes, offset: 0, firstLoad: 0, secondLoad: 8);

    protected override int GroupBytes => 4 * BlockBytes;

    protected override float SumFactor => -8f / 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, byte* tail, int first, int end, int full, byte* x, long stride, float* y, int yStride)
    {
        var quantIndex = Vector512.Create(s_quantIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var nibble = Vector512.Create((byte)0x0F);
        var ones = Vector512.Create((short)1);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* x0 = x, x1 = x + stride, x2 = x1 + stride, x3 = x2 + stride;
        for (var g = first; g < end; g++)
        {
            var p = g < full ? w + g * 72 : tail;
            Unpack(p, quantIndex, scaleIndex, nibble, out var lo, out var hi, out var dw);
            var o = g * Q8x4.GroupBytes;
            a0 = Accumulate(lo, hi, dw, x0 + o, ones, a0);
            a1 = Accumulate(lo, hi, dw, x1 + o, ones, a1);
            a2 = Accumulate(lo, hi, dw, x2 + o, ones, a2);
            a3 = Accumulate(lo, hi, dw, x3 + o, ones, a3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(a0, a1, a2, a3));
    }

    protected override bool PairsRows => true;

    protected override int TokenBlock => 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4x2(byte* w, long rowBytes, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        var quantIndex = Vector512.Create(s_quantIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var nibble = Vector512.Create((byte)0x0F);
        var ones = Vector512.Create((short)1);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
        byte* x0 = x, x1 = x + stride, x2 = x1 + stride, x3 = x2 + stride;
        for (var g = first; g < end; g++)
        {
            var p = w + g * 72;
            Unpack(p, quantIndex, scaleIndex, nibble, out var lo, out var hi, out var dw);
            p += rowBytes;
            Unpack(p, quantIndex, scaleIndex, nibble, out var lo1, out var hi1, out var dw1);
            var o = g * Q8x4.GroupBytes;
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, x0 + o, ones, ref a0, ref b0);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, x1 + o, ones, ref a1, ref b1);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, x2 + o, ones, ref a2, ref b2);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, x3 + o, ones, ref a3, ref b3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(a0, a1, a2, a3));
        Sums4.AddTo(y + 1, yStride, Sums4.Of(b0, b1, b2, b3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot8x2(byte* w, long rowBytes, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        var quantIndex = Vector512.Create(s_quantIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var nibble = Vector512.Create((byte)0x0F);
        var ones = Vector512.Create((short)1);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (var g = first; g < end; g++)
        {
            var p = w + g * 72;
            Unpack(p, quantIndex, scaleIndex, nibble, out var lo, out var hi, out var dw);
            p += rowBytes;
            Unpack(p, quantIndex, scaleIndex, nibble, out var lo1, out var hi1, out var dw1);
            var xg = x + g * Q8x4.GroupBytes;
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, xg, ones, ref a0, ref b0);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, xg + stride, ones, ref a1, ref b1);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, xg + 2 * stride, ones, ref a2, ref b2);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, xg + 3 * stride, ones, ref a3, ref b3);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, xg + 4 * stride, ones, ref a4, ref b4);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, xg + 5 * stride, ones, ref a5, ref b5);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, xg + 6 * stride, ones, ref a6, ref b6);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, xg + 7 * stride, ones, ref a7, ref b7);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(a0, a1, a2, a3));
        Sums4.AddTo(y + 1, yStride, Sums4.Of(b0, b1, b2, b3));
        Sums4.AddTo(y + 4L * yStride, yStride, Sums4.Of(a4, a5, a6, a7));
        Sums4.AddTo(y + 1 + 4L * yStride, yStride, Sums4.Of(b4, b5, b6, b7));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot1(byte* w, byte* tail, int first, int end, int full, byte* x)
    {
        var quantIndex = Vector512.Create(s_quantIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var nibble = Vector512.Create((byte)0x0F);
        var ones = Vector512.Create((short)1);
        Vector512<float> a0 = default;
        for (var g = first; g < end; g++)
        {
            var p = g < full ? w + g * 72 : tail;
            Unpack(p, quantIndex, scaleIndex, nibble, out var lo, out var hi, out var dw);
            a0 = Accumulate(lo, hi, dw, x + g * Q8x4.GroupBytes, ones, a0);
        }
        return Vector512.Sum(a0);
    }

    /// <summary>
    /// One group of four blocks at <paramref name="p"/>: its low (elements 0..15) and high (16..31) nibbles in
    /// activation order, and its four scales spread over their lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Unpack(byte* p, Vector512<byte> quantIndex, Vector512<short> scaleIndex, Vector512<byte> nibble,
        out Vector512<byte> lo, out Vector512<byte> hi, out Vector512<float> dw)
    {
        var head = Vector512.Load(p);
        var quants = Avx512Vbmi.PermuteVar64x8x2(head, quantIndex, Vector512.Load(p + 8));
        lo = quants & nibble;
        hi = Avx512BW.ShiftRightLogical(quants.AsUInt16(), 4).AsByte() & nibble;
        dw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16(head.AsInt16(), scaleIndex));
    }

    /// <summary><see cref="Accumulate"/> for two rows, each activation vector loaded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate2(Vector512<byte> lo, Vector512<byte> hi, Vector512<float> dw,
        Vector512<byte> lo1, Vector512<byte> hi1, Vector512<float> dw1, byte* x, Vector512<short> ones,
        ref Vector512<float> acc, ref Vector512<float> acc1)
    {
        var xl = Vector512.Load((sbyte*)x);
        var xh = Vector512.Load((sbyte*)x + 64);
        var sums = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(lo, xl) + Avx512BW.MultiplyAddAdjacent(hi, xh), ones);
        var sums1 = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(lo1, xl) + Avx512BW.MultiplyAddAdjacent(hi1, xh), ones);
        var dx = Avx512F.BroadcastVector128ToVector512((float*)(x + 128));
        var c = Avx512F.BroadcastVector128ToVector512((float*)(x + 144));
        acc = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sums), dx, c), dw, acc);
        acc1 = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sums1), dx, c), dw1, acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Accumulate(Vector512<byte> lo, Vector512<byte> hi, Vector512<float> dw, byte* x,
        Vector512<short> ones, Vector512<float> acc)
    {
        // Pairs of nibble·x are at most 2·15·127, their sums over both halves 4·15·127: no 16-bit saturation.
        var pairs = Avx512BW.MultiplyAddAdjacent(lo, Vector512.Load((sbyte*)x)) + Avx512BW.MultiplyAddAdjacent(hi, Vector512.Load((sbyte*)x + 64));
        var sums = Avx512BW.MultiplyAddAdjacent(pairs, ones);
        var dx = Avx512F.BroadcastVector128ToVector512((float*)(x + 128));
        var c = Avx512F.BroadcastVector128ToVector512((float*)(x + 144));
        return Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sums), dx, c), dw, acc);
    }
}
