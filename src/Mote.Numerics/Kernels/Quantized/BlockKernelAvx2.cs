using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mote.Numerics.Kernels.Float;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// A 32-element block type × <see cref="Q8Blocks"/> with AVX2, for any block layout <typeparamref name="T"/>:
/// one block per vector, <c>vpmaddubsw</c> and <c>vpmaddwd</c> into eight 32-bit sums, one FMA with d · dx
/// (the only vector operation on the loop-carried chain), corrections summed as scalars. Decode alternates two
/// accumulators so consecutive blocks do not wait for each other's FMA; prefill unpacks each weight block once
/// for four tokens.
/// </summary>
internal sealed unsafe class BlockKernelAvx2<T> : Q8BlocksKernel where T : struct, IBlockAvx2
{
    protected override float SumFactor => T.SumFactor;

    public override void PrepareActivations(float* x, int cols, byte* destination) =>
        Q8Blocks.QuantizeAvx2(x, cols, destination, T.SumFactor);

    /// <summary>
    /// Prefills of this many tokens or more of a type that <see cref="InterleavedGemmAvx2{T}"/> cannot take (q8_0)
    /// dequantize each weight slice once and take the float GEMM (<see cref="FloatGemmAvx2{TRows}"/>): per block and
    /// token the per-row integer path spends as much on float work (scale, convert, FMA) as on the dot, while the
    /// GEMM runs near the FMA peak (single thread, 2048 × 2048 × 128: q8_0 ~28 GMAC/s as integer dots, ~40 as the
    /// GEMM).
    /// </summary>
    internal const int GemmTokens = 16;

    /// <summary>Calls of this many tokens or more of a 4- or 5-bit type take the interleaved integer GEMM.</summary>
    internal const int InterleavedTokens = 4;

    private static bool UsesInterleaved(int tokens) => InterleavedGemmAvx2<T>.Supports && tokens >= InterleavedTokens;

    private static bool UsesFloatGemm(int tokens) => !InterleavedGemmAvx2<T>.Supports && tokens >= GemmTokens;

    public override int ActivationBytes(int cols, int tokens) => UsesFloatGemm(tokens) ? cols * sizeof(float) : ActivationBytes(cols);

    public override long ActivationBufferBytes(int cols, int tokens) =>
        UsesFloatGemm(tokens) ? FloatGemmAvx2<BlockRowsAvx2<T>>.PackedBytes(cols, tokens) : base.ActivationBufferBytes(cols, tokens);

    public override void Prepare(in MatMulArgs args, int t)
    {
        if (!UsesFloatGemm(args.Tokens))
        {
            base.Prepare(args, t);
            return;
        }
        FloatGemmAvx2<BlockRowsAvx2<T>>.Pack(args.X + (long)t * args.Cols, args.Cols, t, args.Tokens, (float*)args.Activations);
        RoundToQ8(FloatGemmAvx2<BlockRowsAvx2<T>>.Lane(args.Cols, t, (float*)args.Activations), args.Cols);
    }

    /// <summary>
    /// Replaces a packed token's values by what <see cref="Q8Blocks.QuantizeAvx2"/> makes of them (dx · q per 32
    /// elements, the same d and rounding), so the GEMM multiplies the activations the integer path would: a token's
    /// result then does not depend on how many tokens share its call (a prompt served from a cached prefix, or a
    /// streaming and a non-streaming request, give the same answer up to float rounding, not up to quantization).
    /// </summary>
    private static void RoundToQ8(float* lane, int cols)
    {
        const int stride = FloatGemmAvx2<BlockRowsAvx2<T>>.Lanes;
        for (var c0 = 0; c0 < cols; c0 += Q8Blocks.Elements)
        {
            var block = lane + (long)c0 * stride;
            var amax = 0f;
            for (var i = 0; i < Q8Blocks.Elements; i++)
                amax = MathF.Max(amax, MathF.Abs(block[i * stride]));
            var d = amax / 127f;
            var inverse = d != 0 ? 1f / d : 0f;
            for (var i = 0; i < Q8Blocks.Elements; i++)
                block[i * stride] = MathF.Round(block[i * stride] * inverse) * d;
        }
    }

    public override int ScratchFloats(int cols, int tokens) =>
        UsesFloatGemm(tokens) ? FloatGemmAvx2<BlockRowsAvx2<T>>.ScratchFloats(tokens)
        : UsesInterleaved(tokens) ? InterleavedGemmAvx2<T>.ScratchFloats
        : ScratchFloats(cols);

    // A multiple of the integer path's 4 rows, the GEMM's 6 and the interleaved GEMM's 8.
    public override int RowTile => 24;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        if (UsesFloatGemm(args.Tokens))
            FloatGemmAvx2<BlockRowsAvx2<T>>.Compute(args, rowStart, rowEnd, scratch);
        else if (UsesInterleaved(args.Tokens))
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
