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
            var head = Vector512.Load(p);
            var second = Vector512.Load(p + 56);
            var lo = Avx512Vbmi.PermuteVar64x8x2(head, lowIndex, second) ^ flip;
            var hi = Avx512Vbmi.PermuteVar64x8x2(Vector512.Load(p + 8), highIndex, Vector512.Load(p + 72)) ^ flip;
            var dw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16x2(head.AsInt16(), scaleIndex, second.AsInt16())).GetLower();
            var o = g * Q8x4.GroupBytes;
            a0 = Accumulate(lo, hi, dw, x0 + o, a0);
            a1 = Accumulate(lo, hi, dw, x1 + o, a1);
            a2 = Accumulate(lo, hi, dw, x2 + o, a2);
            a3 = Accumulate(lo, hi, dw, x3 + o, a3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(a0, a1, a2, a3));
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
            var head = Vector512.Load(p);
            var second = Vector512.Load(p + 56);
            var lo = Avx512Vbmi.PermuteVar64x8x2(head, lowIndex, second) ^ flip;
            var hi = Avx512Vbmi.PermuteVar64x8x2(Vector512.Load(p + 8), highIndex, Vector512.Load(p + 72)) ^ flip;
            var dw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16x2(head.AsInt16(), scaleIndex, second.AsInt16())).GetLower();
            a0 = Accumulate(lo, hi, dw, x + g * Q8x4.GroupBytes, a0);
        }
        return Vector256.Sum(a0);
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
