using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q6_K × <see cref="Q8K"/> with AVX-512. Per 128-element half of a super-block, the 64 <c>ql</c> bytes hold
/// elements 0..63 in their low nibbles and 64..127 in their high nibbles, in order; the 32 <c>qh</c> bytes,
/// broadcast to both 256-bit halves and shifted per half, supply the top two bits. Quants stay unsigned
/// (0..63): <c>vpmaddubsw</c> with activations, <c>vpmaddwd</c> with the signed sub-block scales, and the
/// offset of 32 removed as 32 · Σ_j scale_j · Σx_j from the Q8K sums.
/// </summary>
internal sealed unsafe class Q6_KKernelAvx512 : Q8KKernelAvx512
{
    private const int BlockBytes = 210;
    private static readonly short[][] s_scaleIndex = [ChunkIndex(0), ChunkIndex(1), ChunkIndex(2), ChunkIndex(3)];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        var i0 = Vector512.Create(s_scaleIndex[0]);
        var i1 = Vector512.Create(s_scaleIndex[1]);
        var i2 = Vector512.Create(s_scaleIndex[2]);
        var i3 = Vector512.Create(s_scaleIndex[3]);
        var lowShifts = Vector512.Create(Vector256.Create((ushort)4), Vector256.Create((ushort)2));
        var highShifts = Vector512.Create(Vector256<ushort>.Zero, Vector256.Create((ushort)2));
        var nibble = Vector512.Create((byte)0x0F);
        var top = Vector512.Create((byte)0x30);
        Vector512<float> f0 = default, f1 = default, f2 = default, f3 = default;
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
        byte* x0 = x, x1 = x + stride, x2 = x1 + stride, x3 = x2 + stride;
        for (var b = first; b < end; b++)
        {
            var p = w + b * BlockBytes;
            var d = HalfScales.ToSingle(*(ushort*)(p + 208));
            var scales = Avx2.ConvertToVector256Int16((sbyte*)(p + 192));
            var wide = scales.ToVector512Unsafe();
            var s0 = Avx512BW.PermuteVar32x16(wide, i0);
            var s1 = Avx512BW.PermuteVar32x16(wide, i1);
            var s2 = Avx512BW.PermuteVar32x16(wide, i2);
            var s3 = Avx512BW.PermuteVar32x16(wide, i3);
            Half(p, 0, lowShifts, highShifts, nibble, top, out var q0, out var q1);
            Half(p, 1, lowShifts, highShifts, nibble, top, out var q2, out var q3);
            var o = b * Q8K.SuperBlockBytes;
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, scales, d, x0 + o, ref f0, ref c0);
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, scales, d, x1 + o, ref f1, ref c1);
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, scales, d, x2 + o, ref f2, ref c2);
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, scales, d, x3 + o, ref f3, ref c3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(f0, f1, f2, f3) - Sums4.Of(c0, c1, c2, c3));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot1(byte* w, int first, int end, byte* x)
    {
        var i0 = Vector512.Create(s_scaleIndex[0]);
        var i1 = Vector512.Create(s_scaleIndex[1]);
        var i2 = Vector512.Create(s_scaleIndex[2]);
        var i3 = Vector512.Create(s_scaleIndex[3]);
        var lowShifts = Vector512.Create(Vector256.Create((ushort)4), Vector256.Create((ushort)2));
        var highShifts = Vector512.Create(Vector256<ushort>.Zero, Vector256.Create((ushort)2));
        var nibble = Vector512.Create((byte)0x0F);
        var top = Vector512.Create((byte)0x30);
        Vector512<float> f0 = default;
        Vector256<float> c0 = default;
        for (var b = first; b < end; b++)
        {
            var p = w + b * BlockBytes;
            var d = HalfScales.ToSingle(*(ushort*)(p + 208));
            var scales = Avx2.ConvertToVector256Int16((sbyte*)(p + 192));
            var wide = scales.ToVector512Unsafe();
            Half(p, 0, lowShifts, highShifts, nibble, top, out var q0, out var q1);
            Half(p, 1, lowShifts, highShifts, nibble, top, out var q2, out var q3);
            Accumulate(q0, q1, q2, q3, Avx512BW.PermuteVar32x16(wide, i0), Avx512BW.PermuteVar32x16(wide, i1),
                Avx512BW.PermuteVar32x16(wide, i2), Avx512BW.PermuteVar32x16(wide, i3), scales, d,
                x + b * Q8K.SuperBlockBytes, ref f0, ref c0);
        }
        return Vector512.Sum(f0) - Vector256.Sum(c0);
    }

    /// <summary>
    /// Half h (elements 128h..128h+127) as two 64-element chunks in order. Element 128h + 32k + l has its top bits
    /// at shift 2k of qh[32h + l]: chunk 0 (k = 0, 1) moves them up by 4 and 2, chunk 1 (k = 2, 3) down by 0 and 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Half(byte* block, int h, Vector512<ushort> lowShifts, Vector512<ushort> highShifts,
        Vector512<byte> nibble, Vector512<byte> top, out Vector512<byte> first, out Vector512<byte> second)
    {
        var ql = Vector512.Load(block + 64 * h);
        var qh = Broadcast256.Twice(block + 128 + 32 * h);
        first = (ql & nibble) | (Avx512BW.ShiftLeftLogicalVariable(qh, lowShifts).AsByte() & top);
        second = (Avx512BW.ShiftRightLogical(ql.AsUInt16(), 4).AsByte() & nibble)
            | (Avx512BW.ShiftRightLogicalVariable(qh, highShifts).AsByte() & top);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector512<byte> q0, Vector512<byte> q1, Vector512<byte> q2, Vector512<byte> q3,
        Vector512<short> s0, Vector512<short> s1, Vector512<short> s2, Vector512<short> s3, Vector256<short> scales,
        float d, byte* x, ref Vector512<float> sum, ref Vector256<float> offsetSum)
    {
        // Unsigned quants ≤ 63: pairs ≤ 2·63·127 fit 16 bits; signed scales ≤ 128 keep the 32-bit sums small.
        var xs = (sbyte*)x;
        var a = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q0, Vector512.Load(xs)), s0)
            + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q1, Vector512.Load(xs + 64)), s1);
        var c = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q2, Vector512.Load(xs + 128)), s2)
            + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q3, Vector512.Load(xs + 192)), s3);
        var dx = d * Q8K.Scale(x);
        sum = Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(a + c), Vector512.Create(dx), sum);
        var offsets = Avx2.MultiplyAddAdjacent(Q8K.Sums(x), scales);
        offsetSum = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(offsets), Vector256.Create(32 * dx), offsetSum);
    }

    /// <summary>Chunk c (sub-blocks 4c..4c+3): 16-bit lanes 8i..8i+7 take scale 4c + i.</summary>
    internal static short[] ChunkIndex(int chunk)
    {
        var index = new short[32];
        for (var lane = 0; lane < 32; lane++)
            index[lane] = (short)(4 * chunk + lane / 8);
        return index;
    }
}
