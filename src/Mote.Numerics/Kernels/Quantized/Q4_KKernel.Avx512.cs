using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_K × <see cref="Q8K"/> (paired-chunk order) with AVX-512, after ggml's AVX2 kernel. Per super-block: the
/// 6-bit scales and minimums unpacked with 32-bit masks and widened to 16 bits; each 64-byte load of quants (two
/// 64-element chunks) split by mask and shift into its low nibbles (sub-blocks 4p and 4p + 2) and high nibbles
/// (4p + 1 and 4p + 3), which the activations' paired-chunk order matches, so no shuffle is needed. Per token:
/// <c>vpmaddubsw</c> nibbles × activations, <c>vpmaddwd</c> with the sub-block scales, then
/// value = d · dx · Σ − dmin · dx · Σ_j min_j · Σx_j (activation sums per 32 from the Q8K sums).
/// </summary>
internal sealed unsafe class Q4_KKernelAvx512 : Q8KKernelAvx512
{
    private const int BlockBytes = 144;
    private static readonly short[][] s_scaleIndex = [HalfIndex(0, 0), HalfIndex(0, 1), HalfIndex(1, 0), HalfIndex(1, 1)];
    private static readonly short[] s_minIndex = MinIndex();

    public override void PrepareActivations(float* x, int cols, byte* destination) =>
        Q8K.QuantizeAvx512(x, cols, destination, pairedChunks: true);

    public override void ExpandActivations(byte* prepared, int cols, float* destination) =>
        Q8K.Dequantize(prepared, cols, destination, pairedChunks: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        // Static reads first: constants created before them are spilled across the class-init check and reloaded
        // from the stack in every iteration.
        var i0 = Vector512.Create(s_scaleIndex[0]);
        var i1 = Vector512.Create(s_scaleIndex[1]);
        var i2 = Vector512.Create(s_scaleIndex[2]);
        var i3 = Vector512.Create(s_scaleIndex[3]);
        var minIndex = Vector256.Create(s_minIndex);
        var nibble = Vector512.Create((byte)0x0F);
        Vector512<float> f0 = default, f1 = default, f2 = default, f3 = default;
        Vector256<float> m0 = default, m1 = default, m2 = default, m3 = default;
        byte* x0 = x, x1 = x + stride, x2 = x1 + stride, x3 = x2 + stride;
        for (var b = first; b < end; b++)
        {
            var p = w + b * BlockBytes;
            var d = HalfScales.ToSingle(*(ushort*)p);
            var dmin = HalfScales.ToSingle(*(ushort*)(p + 2));
            var packed = PackedKScales.ScalesAndMinsWide(p);
            var scales = packed.ToVector512Unsafe();
            var s0 = Avx512BW.PermuteVar32x16(scales, i0);
            var s1 = Avx512BW.PermuteVar32x16(scales, i1);
            var s2 = Avx512BW.PermuteVar32x16(scales, i2);
            var s3 = Avx512BW.PermuteVar32x16(scales, i3);
            var mins = Avx512BW.VL.PermuteVar16x16(packed, minIndex);
            Split(p + 16, nibble, out var q0, out var q1);
            Split(p + 80, nibble, out var q2, out var q3);
            var o = b * Q8K.SuperBlockBytes;
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, dmin, x0 + o, ref f0, ref m0);
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, dmin, x1 + o, ref f1, ref m1);
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, dmin, x2 + o, ref f2, ref m2);
            Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, dmin, x3 + o, ref f3, ref m3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(f0, f1, f2, f3) - Sums4.Of(m0, m1, m2, m3));
    }

    protected override int TokenBlock => 8;

    /// <summary>
    /// Eight tokens per unpacked super-block. The minimum terms go into the low eight lanes of each token's one
    /// accumulator (the minimums widened with a zero upper half) so that eight accumulators and the unpacked
    /// super-block fit the 32 vector registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot8(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        var i0 = Vector512.Create(s_scaleIndex[0]);
        var i1 = Vector512.Create(s_scaleIndex[1]);
        var i2 = Vector512.Create(s_scaleIndex[2]);
        var i3 = Vector512.Create(s_scaleIndex[3]);
        var minIndex = Vector256.Create(s_minIndex);
        var nibble = Vector512.Create((byte)0x0F);
        Vector512<float> f0 = default, f1 = default, f2 = default, f3 = default, f4 = default, f5 = default, f6 = default, f7 = default;
        for (var b = first; b < end; b++)
        {
            var p = w + b * BlockBytes;
            var d = HalfScales.ToSingle(*(ushort*)p);
            var negativeMin = -HalfScales.ToSingle(*(ushort*)(p + 2));
            var packed = PackedKScales.ScalesAndMinsWide(p);
            var scales = packed.ToVector512Unsafe();
            var s0 = Avx512BW.PermuteVar32x16(scales, i0);
            var s1 = Avx512BW.PermuteVar32x16(scales, i1);
            var s2 = Avx512BW.PermuteVar32x16(scales, i2);
            var s3 = Avx512BW.PermuteVar32x16(scales, i3);
            var mins = Avx512BW.VL.PermuteVar16x16(packed, minIndex).ToVector512();
            Split(p + 16, nibble, out var q0, out var q1);
            Split(p + 80, nibble, out var q2, out var q3);
            var xb = x + b * Q8K.SuperBlockBytes;
            f0 = Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, negativeMin, xb, f0);
            f1 = Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, negativeMin, xb + stride, f1);
            f2 = Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, negativeMin, xb + 2 * stride, f2);
            f3 = Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, negativeMin, xb + 3 * stride, f3);
            f4 = Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, negativeMin, xb + 4 * stride, f4);
            f5 = Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, negativeMin, xb + 5 * stride, f5);
            f6 = Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, negativeMin, xb + 6 * stride, f6);
            f7 = Accumulate(q0, q1, q2, q3, s0, s1, s2, s3, mins, d, negativeMin, xb + 7 * stride, f7);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(f0, f1, f2, f3));
        Sums4.AddTo(y + 4L * yStride, yStride, Sums4.Of(f4, f5, f6, f7));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot1(byte* w, int first, int end, byte* x)
    {
        var i0 = Vector512.Create(s_scaleIndex[0]);
        var i1 = Vector512.Create(s_scaleIndex[1]);
        var i2 = Vector512.Create(s_scaleIndex[2]);
        var i3 = Vector512.Create(s_scaleIndex[3]);
        var minIndex = Vector256.Create(s_minIndex);
        var nibble = Vector512.Create((byte)0x0F);
        Vector512<float> f0 = default;
        Vector256<float> m0 = default;
        for (var b = first; b < end; b++)
        {
            var p = w + b * BlockBytes;
            var d = HalfScales.ToSingle(*(ushort*)p);
            var dmin = HalfScales.ToSingle(*(ushort*)(p + 2));
            var packed = PackedKScales.ScalesAndMinsWide(p);
            var scales = packed.ToVector512Unsafe();
            Split(p + 16, nibble, out var q0, out var q1);
            Split(p + 80, nibble, out var q2, out var q3);
            Accumulate(q0, q1, q2, q3,
                Avx512BW.PermuteVar32x16(scales, i0), Avx512BW.PermuteVar32x16(scales, i1),
                Avx512BW.PermuteVar32x16(scales, i2), Avx512BW.PermuteVar32x16(scales, i3),
                Avx512BW.VL.PermuteVar16x16(packed, minIndex), d, dmin, x + b * Q8K.SuperBlockBytes, ref f0, ref m0);
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

    /// <summary>As the other <c>Accumulate</c>, with the minimum terms in the low lanes of the one accumulator (<paramref name="mins"/>' upper half is zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Accumulate(Vector512<byte> q0, Vector512<byte> q1, Vector512<byte> q2, Vector512<byte> q3,
        Vector512<short> s0, Vector512<short> s1, Vector512<short> s2, Vector512<short> s3, Vector512<short> mins,
        float d, float negativeMin, byte* x, Vector512<float> sum)
    {
        var xs = (sbyte*)x;
        var a = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q0, Vector512.Load(xs)), s0)
            + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q1, Vector512.Load(xs + 64)), s1);
        var c = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q2, Vector512.Load(xs + 128)), s2)
            + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q3, Vector512.Load(xs + 192)), s3);
        var dx = Q8K.Scale(x);
        sum = Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(a + c), Vector512.Create(d * dx), sum);
        var m = Avx512BW.MultiplyAddAdjacent(Q8K.Sums(x).ToVector512Unsafe(), mins);
        return Vector512.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(m), Vector512.Create(negativeMin * dx), sum);
    }

    /// <summary>
    /// Two chunks' 32 quant bytes each: low nibbles (elements 0..31 of both chunks) and high nibbles (32..63 of
    /// both), in the paired-chunk order of the activations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Split(byte* quants, Vector512<byte> nibble, out Vector512<byte> low, out Vector512<byte> high)
    {
        var v = Vector512.Load(quants);
        low = v & nibble;
        high = Avx512BW.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
    }

    /// <summary>
    /// Pair <paramref name="pair"/> (chunks 2p, 2p + 1), <paramref name="half"/> 0 (low nibbles) or 1 (high): its 16-bit
    /// pair sums take scale 4p + half in the first 16 lanes (chunk 2p) and 4p + 2 + half in the last 16 (chunk 2p + 1).
    /// </summary>
    private static short[] HalfIndex(int pair, int half)
    {
        var index = new short[32];
        for (var lane = 0; lane < 32; lane++)
            index[lane] = (short)(4 * pair + half + 2 * (lane / 16));
        return index;
    }

    /// <summary>Lanes 2j and 2j + 1 (the two 16-sums of sub-block j) take minimum j (element 8 + j).</summary>
    private static short[] MinIndex()
    {
        var index = new short[16];
        for (var lane = 0; lane < 16; lane++)
            index[lane] = (short)(8 + lane / 2);
        return index;
    }
}
