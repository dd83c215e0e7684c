using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q8_0 × <see cref="Q8x4"/> with AVX-512 unpacking and AVX-VNNI dots. Per group of four blocks (136 bytes):
/// two byte permutes gather the low (elements 0..15) and high (16..31) quants in activation order, flipped to
/// unsigned (q + 128) because <c>vpdpbusd</c> multiplies unsigned by signed bytes; the 128 · Σx this adds is
/// removed by c = −128 · dx · Σx, spread over the two 32-bit lanes of a 256-bit accumulator that hold a
/// block's partial sums (stored factor −128 / 2). (<c>vpmaddubsw</c> would saturate on 255 · 127 pairs; <c>vpdpbusd</c>
/// sums four products into 32 bits and cannot.)
/// </summary>
internal sealed unsafe class Q8_0KernelAvx512 : Q8x4KernelAvx512
{
    private const int BlockBytes = 34;
    private static readonly byte[] s_lowIndex = GroupIndex.Bytes(BlockBytes, first: 2, firstLoad: 0, secondLoad: 56);
    private static readonly byte[] s_highIndex = GroupIndex.Bytes(BlockBytes, first: 18, firstLoad: 8, secondLoad: 72);
    private static readonly short[] s_scaleIndex = GroupIndex.Scales(BlockBytes, offset: 0, firstLoad: 0, secondLoad: 56);

    protected override int GroupBytes => 4 * BlockBytes;

    protected override float SumFactor => -128f / 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, byte* tail, int first, int end, int full, byte* x, long stride, float* y, int yStride)
    {
        var lowIndex = Vector512.Create(s_lowIndex);
        var highIndex = Vector512.Create(s_highIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var flip = Vector512.Create((byte)0x80);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* x0 = x, x1 = x + stride, x2 = x1 + stride, x3 = x2 + stride;
        for (var g = first; g < end; g++)
        {
            var p = g < full ? w + g * (4 * BlockBytes) : tail;
            Unpack(p, lowIndex, highIndex, scaleIndex, flip, out var lo, out var hi, out var dw);
            var o = g * Q8x4.GroupBytes;
            a0 = Accumulate(lo, hi, dw, x0 + o, a0);
            a1 = Accumulate(lo, hi, dw, x1 + o, a1);
            a2 = Accumulate(lo, hi, dw, x2 + o, a2);
            a3 = Accumulate(lo, hi, dw, x3 + o, a3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(a0, a1, a2, a3));
    }

    protected override bool PairsRows => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4x2(byte* w, long rowBytes, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        var lowIndex = Vector512.Create(s_lowIndex);
        var highIndex = Vector512.Create(s_highIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var flip = Vector512.Create((byte)0x80);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        byte* x0 = x, x1 = x + stride, x2 = x1 + stride, x3 = x2 + stride;
        for (var g = first; g < end; g++)
        {
            var p = w + g * (4 * BlockBytes);
            Unpack(p, lowIndex, highIndex, scaleIndex, flip, out var lo, out var hi, out var dw);
            p += rowBytes;
            Unpack(p, lowIndex, highIndex, scaleIndex, flip, out var lo1, out var hi1, out var dw1);
            var o = g * Q8x4.GroupBytes;
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, x0 + o, ref a0, ref b0);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, x1 + o, ref a1, ref b1);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, x2 + o, ref a2, ref b2);
            Accumulate2(lo, hi, dw, lo1, hi1, dw1, x3 + o, ref a3, ref b3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(a0, a1, a2, a3));
        Sums4.AddTo(y + 1, yStride, Sums4.Of(b0, b1, b2, b3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot1(byte* w, byte* tail, int first, int end, int full, byte* x)
    {
        var lowIndex = Vector512.Create(s_lowIndex);
        var highIndex = Vector512.Create(s_highIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var flip = Vector512.Create((byte)0x80);
        Vector256<float> a0 = default;
        for (var g = first; g < end; g++)
        {
            var p = g < full ? w + g * (4 * BlockBytes) : tail;
            Unpack(p, lowIndex, highIndex, scaleIndex, flip, out var lo, out var hi, out var dw);
            a0 = Accumulate(lo, hi, dw, x + g * Q8x4.GroupBytes, a0);
        }
        return Vector256.Sum(a0);
    }

    /// <summary>
    /// One group of four blocks at <paramref name="p"/>: its low (elements 0..15) and high (16..31) quants in
    /// activation order, flipped to unsigned, and its four scales over the lanes of a 256-bit accumulator.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Unpack(byte* p, Vector512<byte> lowIndex, Vector512<byte> highIndex, Vector512<short> scaleIndex,
        Vector512<byte> flip, out Vector512<byte> lo, out Vector512<byte> hi, out Vector256<float> dw)
    {
        var head = Vector512.Load(p);
        var second = Vector512.Load(p + 56);
        lo = Avx512Vbmi.PermuteVar64x8x2(head, lowIndex, second) ^ flip;
        hi = Avx512Vbmi.PermuteVar64x8x2(Vector512.Load(p + 8), highIndex, Vector512.Load(p + 72)) ^ flip;
        dw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16x2(head.AsInt16(), scaleIndex, second.AsInt16())).GetLower();
    }

    /// <summary><see cref="Accumulate"/> for two rows, each activation vector loaded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate2(Vector512<byte> lo, Vector512<byte> hi, Vector256<float> dw,
        Vector512<byte> lo1, Vector512<byte> hi1, Vector256<float> dw1, byte* x, ref Vector256<float> acc, ref Vector256<float> acc1)
    {
        var xs = (sbyte*)x;
        var x0 = Vector256.Load(xs);
        var x1 = Vector256.Load(xs + 32);
        var x2 = Vector256.Load(xs + 64);
        var x3 = Vector256.Load(xs + 96);
        var dx = Avx.BroadcastVector128ToVector256((float*)(x + 128));
        var c = Avx.BroadcastVector128ToVector256((float*)(x + 144));
        var low = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, lo.GetLower(), x0);
        var high = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, hi.GetLower(), x2);
        low = AvxVnni.MultiplyWideningAndAdd(low, lo.GetUpper(), x1);
        high = AvxVnni.MultiplyWideningAndAdd(high, hi.GetUpper(), x3);
        acc = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(low + high), dx, c), dw, acc);
        low = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, lo1.GetLower(), x0);
        high = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, hi1.GetLower(), x2);
        low = AvxVnni.MultiplyWideningAndAdd(low, lo1.GetUpper(), x1);
        high = AvxVnni.MultiplyWideningAndAdd(high, hi1.GetUpper(), x3);
        acc1 = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(low + high), dx, c), dw1, acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Accumulate(Vector512<byte> lo, Vector512<byte> hi, Vector256<float> dw, byte* x, Vector256<float> acc)
    {
        // 32-bit lane j of either 256-bit half belongs to block j mod 4, so all four dots share one accumulator.
        var xs = (sbyte*)x;
        var low = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, lo.GetLower(), Vector256.Load(xs));
        var high = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, hi.GetLower(), Vector256.Load(xs + 64));
        low = AvxVnni.MultiplyWideningAndAdd(low, lo.GetUpper(), Vector256.Load(xs + 32));
        high = AvxVnni.MultiplyWideningAndAdd(high, hi.GetUpper(), Vector256.Load(xs + 96));
        var dx = Avx.BroadcastVector128ToVector256((float*)(x + 128));
        var c = Avx.BroadcastVector128ToVector256((float*)(x + 144));
        return Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(low + high), dx, c), dw, acc);
    }
}
