using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// A 32-element block type × <see cref="Q8Blocks"/> with AVX2, for any block layout <typeparamref name="T"/>:
/// one block per vector, <c>vpmaddubsw</c> and <c>vpmaddwd</c> into eight 32-bit sums, one FMA with d · dx
/// (the only vector operation on the loop-carried chain), corrections summed as scalars. Decode alternates two
/// accumulators so consecutive blocks do not wait for each other's FMA; a few tokens unpack each weight block once
/// for four tokens; more take <see cref="InterleavedGemmAvx2{T}"/>.
/// </summary>
internal sealed unsafe class BlockKernelAvx2<T> : Q8BlocksKernel where T : struct, IBlockAvx2
{
    public BlockKernelAvx2()
    {
        if (!InterleavedGemmAvx2<T>.Supports)
            throw new NotSupportedException($"{typeof(T).Name}: unsigned quants up to {T.QuantMax} overflow the interleaved GEMM's 16-bit sums.");
    }

    protected override float SumFactor => T.SumFactor;

    public override void PrepareActivations(float* x, int cols, byte* destination) =>
        Q8Blocks.QuantizeAvx2(x, cols, destination, T.SumFactor);

    /// <summary>
    /// Calls of this many tokens or more take <see cref="InterleavedGemmAvx2{T}"/>: from 4 tokens for the 4- and
    /// 5-bit types, from 8 for q8_0, whose split bytes cost twice the multiplies (single thread, 2048 × 2048:
    /// per-row dots ~29 GMAC/s at 4 and 8 tokens; interleaved q8_0 23 at 4, 32 at 8, 51 at 128 tokens, where the
    /// float GEMM it replaces ran at ~40).
    /// </summary>
    internal static int InterleavedTokens => T.SignedQuants ? 8 : 4;

    private static bool UsesInterleaved(int tokens) => tokens >= InterleavedTokens;

    public override void Prepare(in MatMulArgs args, int t)
    {
        if (!UsesInterleaved(args.Tokens))
        {
            base.Prepare(args, t);
            return;
        }
        Q8Blocks.QuantizeAvx2(args.X + (long)t * args.Cols, args.Cols, args.Activations + t * args.ActivationStride,
            InterleavedGemmAvx2<T>.ActivationSumFactor);
    }

    public override int ScratchFloats(int cols, int tokens) =>
        UsesInterleaved(tokens) ? InterleavedGemmAvx2<T>.ScratchFloats : ScratchFloats(cols);

    // A multiple of the per-row path's 4 rows and the interleaved GEMM's 8.
    public override int RowTile => 8;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        if (UsesInterleaved(args.Tokens))
            InterleavedGemmAvx2<T>.Compute(args, rowStart, rowEnd, scratch);
        else
            base.Compute(args, rowStart, rowEnd, scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot(byte* w, int first, int end, byte* x)
    {
        Vector256<float> a0 = default, a1 = default;
        float c0 = 0, c1 = 0;
        // Pointers stepped rather than indices multiplied by the (odd) block size each iteration.
        var p = w + first * T.BlockBytes;
        var xb = x + first * Q8Blocks.BlockBytes;
        var pairs = (end - first) / 2;
        for (var i = 0; i < pairs; i++, p += 2 * T.BlockBytes, xb += 2 * Q8Blocks.BlockBytes)
        {
            var d0 = T.Scale(p);
            var d1 = T.Scale(p + T.BlockBytes);
            a0 = Accumulate(T.Quants(p), d0, xb, a0);
            a1 = Accumulate(T.Quants(p + T.BlockBytes), d1, xb + Q8Blocks.BlockBytes, a1);
            if (T.HasCorrection)
            {
                c0 = MathF.FusedMultiplyAdd(*(float*)(xb + 4), T.Correction(p, d0), c0);
                c1 = MathF.FusedMultiplyAdd(*(float*)(xb + Q8Blocks.BlockBytes + 4), T.Correction(p + T.BlockBytes, d1), c1);
            }
        }
        if (((end - first) & 1) != 0)
        {
            var d = T.Scale(p);
            a0 = Accumulate(T.Quants(p), d, xb, a0);
            if (T.HasCorrection)
                c0 = MathF.FusedMultiplyAdd(*(float*)(xb + 4), T.Correction(p, d), c0);
        }
        return Vector256.Sum(a0 + a1) + (c0 + c1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        var p = w + first * T.BlockBytes;
        var x0 = x + first * Q8Blocks.BlockBytes;
        for (var b = first; b < end; b++, p += T.BlockBytes, x0 += Q8Blocks.BlockBytes)
        {
            var q = T.Quants(p);
            var d = T.Scale(p);
            a0 = Accumulate(q, d, x0, a0);
            a1 = Accumulate(q, d, x0 + stride, a1);
            a2 = Accumulate(q, d, x0 + 2 * stride, a2);
            a3 = Accumulate(q, d, x0 + 3 * stride, a3);
            if (T.HasCorrection)
            {
                var m = T.Correction(p, d);
                c0 = MathF.FusedMultiplyAdd(*(float*)(x0 + 4), m, c0);
                c1 = MathF.FusedMultiplyAdd(*(float*)(x0 + stride + 4), m, c1);
                c2 = MathF.FusedMultiplyAdd(*(float*)(x0 + 2 * stride + 4), m, c2);
                c3 = MathF.FusedMultiplyAdd(*(float*)(x0 + 3 * stride + 4), m, c3);
            }
        }
        var sums = Sums4.Of(a0, a1, a2, a3);
        Sums4.AddTo(y, yStride, T.HasCorrection ? sums + Vector128.Create(c0, c1, c2, c3) : sums);
    }

    /// <summary>One weight block · one activation block (layout: dx, c, 32 quants), added to the accumulator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Accumulate(Vector256<byte> q, float d, byte* x, Vector256<float> acc)
    {
        var sums = Avx2.MultiplyAddAdjacent(T.Pairs(q, Vector256.Load((sbyte*)(x + 8))), Vector256.Create((short)1));
        return Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sums), Vector256.Create(d * *(float*)x), acc);
    }
}
