using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q2_K × <see cref="Q8K"/> with AVX-512. Element 128h + 32k + l is bits 2k..2k+1 of qs[32h + l], so a
/// 64-element chunk is 32 quant bytes broadcast to both halves, shifted per half and masked. Per token:
/// <c>vpmaddubsw</c> (quants 0..3) and <c>vpmaddwd</c> with the 4-bit sub-block scales, then
/// value = d · dx · Σ − dmin · dx · Σ_j min_j · Σx_j over 16-element sub-blocks (the Q8K sums).
/// </summary>
internal sealed unsafe class Q2_KKernelAvx512 : Q8KKernelAvx512
{
    private const int BlockBytes = 84;
    private static readonly short[][] s_scaleIndex = [Q6_KKernelAvx512.ChunkIndex(0), Q6_KKernelAvx512.ChunkIndex(1), Q6_KKernelAvx512.ChunkIndex(2), Q6_KKernelAvx512.ChunkIndex(3)];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        var i0 = Vector512.Create(s_scaleIndex[0]);
        var i1 = Vector512.Create(s_scaleIndex[1]);
        var i2 = Vector512.Create(s_scaleIndex[2]);
        var i3 = Vector512.Create(s_scaleIndex[3]);
        var even = Vector512.Create(Vector256<ushort>.Zero, Vector256.Create((ushort)2));
        var odd = Vector512.Create(Vector256.Create((ushort)4), Vector256.Create((ushort)6));
        var two = Vector512.Create((byte)3);
        Vector512<float> f0 = default, f1 = default, f2 = default, f3 = default;
        Vector256<float> m0 = default, m1 = default, m2 = default, m3 = default;
        byte* x0 = x, x1 = x + stride, x2 = x1 + stride, x3 = x2 + stride;
        for (var b = first; b < end; b++)
        {
            var p = w + b * BlockBytes;
            var d = HalfScales.ToSingle(*(ushort*)(p + 80));
            var dmin = HalfScales.ToSingle(*(ushort*)(p + 82));
            var packed = Avx2.ConvertToVector256Int16(p);
            var scales = packed & Vector256.Create((short)0x0F);
            var mins = Avx2.ShiftRightLogical(packed, 4);
            var wide = scales.ToVector512Unsafe();
            var s0 = Avx512BW.PermuteVar32x16(wide, i0);
            var s1 = Avx512BW.PermuteVar32x16(wide, i1);
            var s2 = Avx512BW.PermuteVar32x16(wide, i2);
            var s3 = Avx512BW.PermuteVar32x16(wide, i3);
            var low = Broadcast256.Twice(p + 16);
            var high = Broadcast256.Twice(p + 48);
            var q0 = Avx512BW.ShiftRightLogicalVariable(low, even).AsByte() & two;
            var q1 = Avx512BW.ShiftRightLogicalVariable(low, odd).AsByte() & two;
            var q2 = Avx512BW.ShiftRightLogicalVariable(high, even).AsByte() & two;
            var q3 = Avx512BW.ShiftRightLogicalVariable(high, odd).AsByte() & two;
            var o = b * Q8K.SuperBlockBytes;
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, dmin, x0 + o, ref f0, ref m0);
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, dmin, x1 + o, ref f1, ref m1);
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, dmin, x2 + o, ref f2, ref m2);
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, dmin, x3 + o, ref f3, ref m3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(f0, f1, f2, f3) - Sums4.Of(m0, m1, m2, m3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot1(byte* w, int first, int end, byte* x)
    {
        var i0 = Vector512.Create(s_scaleIndex[0]);
        var i1 = Vector512.Create(s_scaleIndex[1]);
        var i2 = Vector512.Create(s_scaleIndex[2]);
        var i3 = Vector512.Create(s_scaleIndex[3]);
        var even = Vector512.Create(Vector256<ushort>.Zero, Vector256.Create((ushort)2));
        var odd = Vector512.Create(Vector256.Create((ushort)4), Vector256.Create((ushort)6));
        var two = Vector512.Create((byte)3);
        Vector512<float> f0 = default;
        Vector256<float> m0 = default;
        for (var b = first; b < end; b++)
        {
            var p = w + b * BlockBytes;
            var packed = Avx2.ConvertToVector256Int16(p);
            var wide = (packed & Vector256.Create((short)0x0F)).ToVector512Unsafe();
            var low = Broadcast256.Twice(p + 16);
            var high = Broadcast256.Twice(p + 48);
            Accumulate(Avx512BW.ShiftRightLogicalVariable(low, even).AsByte() & two, Avx512BW.ShiftRightLogicalVariable(low, odd).AsByte() & two,
                Avx512BW.ShiftRightLogicalVariable(high, even).AsByte() & two, Avx512BW.ShiftRightLogicalVariable(high, odd).AsByte() & two,
                Avx512BW.PermuteVar32x16(wide, i0), Avx512BW.PermuteVar32x16(wide, i1), Avx512BW.PermuteVar32x16(wide, i2), Avx512BW.PermuteVar32x16(wide, i3),
                Avx2.ShiftRightLogical(packed, 4), HalfScales.ToSingle(*(ushort*)(p + 80)), HalfScales.ToSingle(*(ushort*)(p + 82)),
                x + b * Q8K.SuperBlockBytes, ref f0, ref m0);
        }
        return Vector512.Sum(f0) - Vector256.Sum(m0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector512<byte> q0, Vector512<byte> q1, Vector512<byte> q2, Vector512<byte> q3,
        Vector512<short> s0, Vector512<short> s1, Vector512<short> s2, Vector512<short> s3, Vector256<short> mins,
        float d, float dmin, byte* x, ref Vector512<float> sum, ref Vector256<float> minSum)
    {
        var xs = (sbyte*)x;
        var a = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q0, Vector512.Load(xs)), s0)
            + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q1, Vector512.Load(xs + 64)), s1);
        var c = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q2, Vector512.Load(xs + 128)), s2)
            + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q3, Vector512.Load(xs + 192)), s3);
        var dx = Q8K.Scale(x);
        sum = Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(a + c), Vector512.Create(d * dx), sum);
        var m = Avx2.MultiplyAddAdjacent(Q8K.Sums(x), mins);
        minSum = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(m), Vector256.Create(dmin * dx), minSum);
    }
}
