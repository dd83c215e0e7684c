using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q5_K × <see cref="Q8K"/> with AVX-512: <see cref="Q4_KKernelAvx512"/> plus fifth bits. Chunk c takes bit 2c
/// (first 32 elements) and 2c + 1 (last 32) of the 32 <c>qh</c> bytes, broadcast to both halves and shifted
/// per half to bit 4. Quants stay unsigned (0..31). The rest as for q4_K: per super-block,
/// the 6-bit scales and minimums unpacked with 32-bit masks and widened to 16 bits; each 64-element chunk (two
/// sub-blocks) is its 32 quant bytes broadcast to both halves, shifted by 0 and 4 and masked to nibbles, which
/// puts the chunk in element order. Per token: <c>vpmaddubsw</c> nibbles × activations, <c>vpmaddwd</c> with
/// the sub-block scales, then value = d · dx · Σ − dmin · dx · Σ_j min_j · Σx_j (activation sums per 32 from
/// the Q8K sums).
/// </summary>
internal sealed unsafe class Q5_KKernelAvx512 : Q8KKernelAvx512
{
    private const int BlockBytes = 176;
    private static readonly short[][] s_scaleIndex = [ChunkIndex(0), ChunkIndex(1), ChunkIndex(2), ChunkIndex(3)];
    private static readonly short[] s_minIndex = MinIndex();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        var i0 = Vector512.Create(s_scaleIndex[0]);
        var i1 = Vector512.Create(s_scaleIndex[1]);
        var i2 = Vector512.Create(s_scaleIndex[2]);
        var i3 = Vector512.Create(s_scaleIndex[3]);
        var minIndex = Vector256.Create(s_minIndex);
        var shifts = Vector512.Create(Vector256<ushort>.Zero, Vector256.Create((ushort)4));
        var nibble = Vector512.Create((byte)0x0F);
        var fifth = Vector512.Create((byte)0x10);
        var up0 = Vector512.Create(Vector256.Create((ushort)4), Vector256.Create((ushort)3));
        var up1 = Vector512.Create(Vector256.Create((ushort)2), Vector256.Create((ushort)1));
        var down2 = Vector512.Create(Vector256<ushort>.Zero, Vector256.Create((ushort)1));
        var down3 = Vector512.Create(Vector256.Create((ushort)2), Vector256.Create((ushort)3));
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
            var qh = Broadcast256.Twice(p + 16);
            var q0 = Chunk(p + 48, shifts, nibble) | (Avx512BW.ShiftLeftLogicalVariable(qh, up0).AsByte() & fifth);
            var q1 = Chunk(p + 80, shifts, nibble) | (Avx512BW.ShiftLeftLogicalVariable(qh, up1).AsByte() & fifth);
            var q2 = Chunk(p + 112, shifts, nibble) | (Avx512BW.ShiftRightLogicalVariable(qh, down2).AsByte() & fifth);
            var q3 = Chunk(p + 144, shifts, nibble) | (Avx512BW.ShiftRightLogicalVariable(qh, down3).AsByte() & fifth);
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
        var minIndex = Vector256.Create(s_minIndex);
        var shifts = Vector512.Create(Vector256<ushort>.Zero, Vector256.Create((ushort)4));
        var nibble = Vector512.Create((byte)0x0F);
        var fifth = Vector512.Create((byte)0x10);
        var up0 = Vector512.Create(Vector256.Create((ushort)4), Vector256.Create((ushort)3));
        var up1 = Vector512.Create(Vector256.Create((ushort)2), Vector256.Create((ushort)1));
        var down2 = Vector512.Create(Vector256<ushort>.Zero, Vector256.Create((ushort)1));
        var down3 = Vector512.Create(Vector256.Create((ushort)2), Vector256.Create((ushort)3));
        Vector512<float> f0 = default;
        Vector256<float> m0 = default;
        for (var b = first; b < end; b++)
        {
            var p = w + b * BlockBytes;
            var d = HalfScales.ToSingle(*(ushort*)p);
            var dmin = HalfScales.ToSingle(*(ushort*)(p + 2));
            var packed = PackedKScales.ScalesAndMinsWide(p);
            var scales = packed.ToVector512Unsafe();
            var qh = Broadcast256.Twice(p + 16);
            Accumulate(Chunk(p + 48, shifts, nibble) | (Avx512BW.ShiftLeftLogicalVariable(qh, up0).AsByte() & fifth),
                Chunk(p + 80, shifts, nibble) | (Avx512BW.ShiftLeftLogicalVariable(qh, up1).AsByte() & fifth),
                Chunk(p + 112, shifts, nibble) | (Avx512BW.ShiftRightLogicalVariable(qh, down2).AsByte() & fifth),
                Chunk(p + 144, shifts, nibble) | (Avx512BW.ShiftRightLogicalVariable(qh, down3).AsByte() & fifth),
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

    /// <summary>64 elements in order: the 32 quant bytes' low nibbles, then their high nibbles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Chunk(byte* quants, Vector512<ushort> shifts, Vector512<byte> nibble) =>
        Avx512BW.ShiftRightLogicalVariable(Broadcast256.Twice(quants), shifts).AsByte() & nibble;

    /// <summary>Chunk c's 16-bit pair sums: the first 16 lanes take scale 2c, the last 16 scale 2c + 1.</summary>
    private static short[] ChunkIndex(int chunk)
    {
        var index = new short[32];
        for (var lane = 0; lane < 32; lane++)
            index[lane] = (short)(2 * chunk + lane / 16);
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
