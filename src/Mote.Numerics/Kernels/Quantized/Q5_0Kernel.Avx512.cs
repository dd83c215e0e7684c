using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q5_0 × <see cref="Q8x4"/> with AVX-512: as <see cref="Q4_0KernelAvx512"/>, plus the fifth bits. A byte
/// permute repeats the four blocks' 32-bit <c>qh</c> words so that each 64-bit lane holds the two blocks its
/// bytes belong to; <c>vpmultishiftqb</c> then moves each element's bit to bit 4 of its byte in one step.
/// Quants stay unsigned (0..31); the offset of 16 is folded into c (stored factor −16 / 4).
/// </summary>
internal sealed unsafe class Q5_0KernelAvx512 : Q8x4KernelAvx512
{
    private const int BlockBytes = 22;
    private static readonly byte[] s_quantIndex = GroupIndex.Bytes(BlockBytes, first: 6, firstLoad: 0, secondLoad: 24);
    private static readonly short[] s_scaleIndex = GroupIndex.Scales(BlockBytes, offset: 0, firstLoad: 0, secondLoad: 24);
    private static readonly byte[] s_highBitsIndex = HighBitsIndex();
    private static readonly byte[] s_lowControl = BitControl(0);
    private static readonly byte[] s_highControl = BitControl(16);

    protected override int GroupBytes => 4 * BlockBytes;

    protected override float SumFactor => -16f / 4;

    /// <summary>Byte b takes byte b mod 4 of block (b / 4) mod 4's qh.</summary>
    private static byte[] HighBitsIndex()
    {
        var index = new byte[64];
        for (var b = 0; b < 64; b++)
        {
            var source = BlockBytes * (b / 4 % 4) + 2 + b % 4;
            index[b] = (byte)(source < 64 ? source : 64 + source - 24);
        }
        return index;
    }

    /// <summary>
    /// For the byte of element <paramref name="first"/> + 4m + e of block k (Q8x4 order), the rotation that brings
    /// that element's bit of the 64-bit lane (block k's qh sits in its low or high half by k's parity) to bit 4.
    /// </summary>
    private static byte[] BitControl(int first)
    {
        var control = new byte[64];
        for (var m = 0; m < 4; m++)
        {
            for (var k = 0; k < 4; k++)
            {
                for (var e = 0; e < 4; e++)
                    control[4 * (4 * m + k) + e] = (byte)((32 * (k % 2) + first + 4 * m + e - 4) & 63);
            }
        }
        return control;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, byte* tail, int first, int end, int full, byte* x, long stride, float* y, int yStride)
    {
        var quantIndex = Vector512.Create(s_quantIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var nibble = Vector512.Create((byte)0x0F);
        var fifth = Vector512.Create((byte)0x10);
        var highBitsIndex = Vector512.Create(s_highBitsIndex);
        var lowControl = Vector512.Create(s_lowControl);
        var highControl = Vector512.Create(s_highControl);
        var ones = Vector512.Create((short)1);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* x0 = x, x1 = x + stride, x2 = x1 + stride, x3 = x2 + stride;
        for (var g = first; g < end; g++)
        {
            var p = g < full ? w + g * (4 * BlockBytes) : tail;
            var head = Vector512.Load(p);
            var second = Vector512.Load(p + 24);
            var quants = Avx512Vbmi.PermuteVar64x8x2(head, quantIndex, second);
            var bits = Avx512Vbmi.PermuteVar64x8x2(head, highBitsIndex, second).AsUInt64();
            var lo = (quants & nibble) | (Avx512Vbmi.MultiShift(lowControl, bits) & fifth);
            var hi = (Avx512BW.ShiftRightLogical(quants.AsUInt16(), 4).AsByte() & nibble) | (Avx512Vbmi.MultiShift(highControl, bits) & fifth);
            var dw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16x2(head.AsInt16(), scaleIndex, second.AsInt16()));
            var o = g * Q8x4.GroupBytes;
            a0 = Accumulate(lo, hi, dw, x0 + o, ones, a0);
            a1 = Accumulate(lo, hi, dw, x1 + o, ones, a1);
            a2 = Accumulate(lo, hi, dw, x2 + o, ones, a2);
            a3 = Accumulate(lo, hi, dw, x3 + o, ones, a3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(a0, a1, a2, a3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot1(byte* w, byte* tail, int first, int end, int full, byte* x)
    {
        var quantIndex = Vector512.Create(s_quantIndex);
        var scaleIndex = Vector512.Create(s_scaleIndex);
        var nibble = Vector512.Create((byte)0x0F);
        var fifth = Vector512.Create((byte)0x10);
        var highBitsIndex = Vector512.Create(s_highBitsIndex);
        var lowControl = Vector512.Create(s_lowControl);
        var highControl = Vector512.Create(s_highControl);
        var ones = Vector512.Create((short)1);
        Vector512<float> a0 = default;
        for (var g = first; g < end; g++)
        {
            var p = g < full ? w + g * (4 * BlockBytes) : tail;
            var head = Vector512.Load(p);
            var second = Vector512.Load(p + 24);
            var quants = Avx512Vbmi.PermuteVar64x8x2(head, quantIndex, second);
            var bits = Avx512Vbmi.PermuteVar64x8x2(head, highBitsIndex, second).AsUInt64();
            var lo = (quants & nibble) | (Avx512Vbmi.MultiShift(lowControl, bits) & fifth);
            var hi = (Avx512BW.ShiftRightLogical(quants.AsUInt16(), 4).AsByte() & nibble) | (Avx512Vbmi.MultiShift(highControl, bits) & fifth);
            var dw = HalfScales.FromHighHalves(Avx512BW.PermuteVar32x16x2(head.AsInt16(), scaleIndex, second.AsInt16()));
            a0 = Accumulate(lo, hi, dw, x + g * Q8x4.GroupBytes, ones, a0);
        }
        return Vector512.Sum(a0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Accumulate(Vector512<byte> lo, Vector512<byte> hi, Vector512<float> dw, byte* x,
        Vector512<short> ones, Vector512<float> acc)
    {
        // Pairs of q·x are at most 2·31·127, their sums over both halves 4·31·127: no 16-bit saturation.
        var pairs = Avx512BW.MultiplyAddAdjacent(lo, Vector512.Load((sbyte*)x)) + Avx512BW.MultiplyAddAdjacent(hi, Vector512.Load((sbyte*)x + 64));
        var sums = Avx512BW.MultiplyAddAdjacent(pairs, ones);
        var dx = Avx512F.BroadcastVector128ToVector512((float*)(x + 128));
        var c = Avx512F.BroadcastVector128ToVector512((float*)(x + 144));
        return Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(sums), dx, c), dw, acc);
    }
}
