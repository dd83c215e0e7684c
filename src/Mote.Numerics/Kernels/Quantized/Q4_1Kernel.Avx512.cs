using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_1 × <see cref="Q8x4"/> with AVX-512: unpacked as <see cref="Q4_0KernelAvx512"/> (nibbles 0..15, the
/// 80-byte group gathered by one byte permute), value = dw · dx · Σ q·x + mw · dx · Σx with the minimum mw
/// spread like the scale and c = dx · Σx / 4 per lane (ggml pairs q4_1 with q8_1, which stores d · Σq for
/// the same purpose).
/// </summary>
internal sealed unsafe class Q4_1KernelAvx512 : Q8x4KernelAvx512
{
    private const int BlockBytes = 20;
    private static readonly byte[] s_quantIndex = GroupIndex.Bytes(BlockBytes, first: 4, firstLoad: 0, secondLoad: 16);
    private static readonly short[] s_scaleIndex = GroupIndex.Scales(BlockBytes, offset: 0, firstLoad: 0, secondLoad: 16);
    private static readonly short[] s_minIndex = GroupIndex.Scales(BlockBytes, offset: 2, firstLoad: 0, secondLoad: 16);

    protected override int GroupBytes => 4 * BlockBytes;

    protected override float SumFactor => 1f / 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, byte* tail, int first, int end, int full, byte* x, long stride, float* y, int yStride)
    {
        var quantIndex = Vector512.Create(s_quantIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var minIndex = Vector512.Create(s_minIndex);
        var nibble = Vector512.Create((byte)0x0F);
        var ones = Vector512.Create((short)1);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* x0 = x, x1 = x + stride, x2 = x1 + stride, x3 = x2 + stride;
        for (var g = first; g < end; g++)
        {
            var p = g < full ? w + g * (4 * BlockBytes) : tail;
            var head = Vector512.Load(p);
            var second = Vector512.Load(p + 16);
            var quants = Avx512Vbmi.PermuteVar64x8x2(head, quantIndex, second);
            var lo = quants & nibble;
            var hi = Avx512BW.ShiftRightLogical(quants.AsUInt16(), 4).AsByte() & nibble;
            var dw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16x2(head.AsInt16(), scaleIndex, second.AsInt16()));
            var mw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16x2(head.AsInt16(), minIndex, second.AsInt16()));
            var o = g * Q8x4.GroupBytes;
            a0 = Accumulate(lo, hi, dw, mw, x0 + o, ones, a0);
            a1 = Accumulate(lo, hi, dw, mw, x1 + o, ones, a1);
            a2 = Accumulate(lo, hi, dw, mw, x2 + o, ones, a2);
            a3 = Accumulate(lo, hi, dw, mw, x3 + o, ones, a3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(a0, a1, a2, a3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot1(byte* w, byte* tail, int first, int end, int full, byte* x)
    {
        var quantIndex = Vector512.Create(s_quantIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var minIndex = Vector512.Create(s_minIndex);
        var nibble = Vector512.Create((byte)0x0F);
        var ones = Vector512.Create((short)1);
        Vector512<float> a0 = default;
        for (var g = first; g < end; g++)
        {
            var p = g < full ? w + g * (4 * BlockBytes) : tail;
            var head = Vector512.Load(p);
            var second = Vector512.Load(p + 16);
            var quants = Avx512Vbmi.PermuteVar64x8x2(head, quantIndex, second);
            var lo = quants & nibble;
            var hi = Avx512BW.ShiftRightLogical(quants.AsUInt16(), 4).AsByte() & nibble;
            var dw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16x2(head.AsInt16(), scaleIndex, second.AsInt16()));
            var mw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16x2(head.AsInt16(), minIndex, second.AsInt16()));
            a0 = Accumulate(lo, hi, dw, mw, x + g * Q8x4.GroupBytes, ones, a0);
        }
        return Vector512.Sum(a0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Accumulate(Vector512<byte> lo, Vector512<byte> hi, Vector512<float> dw, Vector512<float> mw, byte* x,
        Vector512<short> ones, Vector512<float> acc)
    {
        // Pairs of nibble·x are at most 2·15·127, their sums over both halves 4·15·127: no 16-bit saturation.
        var pairs = Avx512BW.MultiplyAddAdjacent(lo, Vector512.Load((sbyte*)x)) + Avx512BW.MultiplyAddAdjacent(hi, Vector512.Load((sbyte*)x + 64));
        var sums = Avx512BW.MultiplyAddAdjacent(pairs, ones);
        var dx = Avx512F.BroadcastVector128ToVector512((float*)(x + 128));
        var c = Avx512F.BroadcastVector128ToVector512((float*)(x + 144));
        return Vector512.FusedMultiplyAdd(c, mw, Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sums) * dx, dw, acc));
    }
}
