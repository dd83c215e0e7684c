using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// K-quant × <see cref="Q8K"/> with AVX2, for any super-block layout <typeparamref name="T"/> (after ggml's AVX2
/// kernels). Per super-block the eight quant vectors are dotted with the activations in 32-bit integers
/// (<c>vpmaddubsw</c>, then <c>vpmaddwd</c> with the sub-block scales), which are exact, and converted to float
/// once; the minimums or offsets come from the activation sums. Prefill unpacks each super-block once for four
/// tokens (16 vector registers leave no room for eight).
/// </summary>
internal sealed unsafe class KQuantKernelAvx2<T> : Q8KKernel where T : struct, IKQuantAvx2
{
    public override void PrepareActivations(float* x, int cols, byte* destination) => Q8K.QuantizeAvx2(x, cols, destination);

    /// <summary>
    /// Calls of this many tokens or more take <see cref="InterleavedKQuantGemmAvx2{T}"/>, whose per-call packing
    /// pays off only over many tokens (single thread, 2048 × 2048, GMAC/s per-row → interleaved: q4_K ~50 → 43 at
    /// 16 tokens, 54 at 32, 65 at 128; q6_K ~45 → 41 at 32, 50 at 64, 55 at 128).
    /// </summary>
    internal static int InterleavedTokens => T.QuantMax > 31 ? 64 : 32;

    // How far ahead the per-row dots prefetch their weights (1–4 KB measured alike; see PrefetchAhead).
    private const int PrefetchBytes = 2048;

    public override int ScratchFloats(int cols, int tokens) =>
        tokens >= InterleavedTokens ? InterleavedKQuantGemmAvx2<T>.ScratchFloats : ScratchFloats(cols);

    // The interleaved GEMM's panels of 8 rows (a multiple of the per-row path's 4).
    public override int RowTile => 8;

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        if (args.Tokens >= InterleavedTokens)
            InterleavedKQuantGemmAvx2<T>.Compute(args, rowStart, rowEnd, scratch);
        else
            base.Compute(args, rowStart, rowEnd, scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot1(byte* w, int first, int end, byte* x)
    {
        var acc = Vector256<float>.Zero;
        for (var b = first; b < end; b++)
        {
            var p = w + b * T.BlockBytes;
            PrefetchAhead(p);
            T.Unpack(p, out var low, out var high, out var corrections, out var d, out var correction);
            var xb = x + b * Q8K.SuperBlockBytes;
            var sum = ((Product(p, low, high, xb, 0) + Product(p, low, high, xb, 1))
                    + (Product(p, low, high, xb, 2) + Product(p, low, high, xb, 3)))
                + ((Product(p, low, high, xb, 4) + Product(p, low, high, xb, 5))
                    + (Product(p, low, high, xb, 6) + Product(p, low, high, xb, 7)));
            acc = Finish(sum, corrections, d, correction, xb, acc);
        }
        return Vector256.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        Vector256<float> f0 = default, f1 = default, f2 = default, f3 = default;
        for (var b = first; b < end; b++)
        {
            var p = w + b * T.BlockBytes;
            PrefetchAhead(p);
            T.Unpack(p, out var low, out var high, out var corrections, out var d, out var correction);
            var x0 = x + b * Q8K.SuperBlockBytes;
            byte* x1 = x0 + stride, x2 = x1 + stride, x3 = x2 + stride;
            Vector256<int> s0 = default, s1 = default, s2 = default, s3 = default;
            Step(p, low, high, 0, x0, x1, x2, x3, ref s0, ref s1, ref s2, ref s3);
            Step(p, low, high, 1, x0, x1, x2, x3, ref s0, ref s1, ref s2, ref s3);
            Step(p, low, high, 2, x0, x1, x2, x3, ref s0, ref s1, ref s2, ref s3);
            Step(p, low, high, 3, x0, x1, x2, x3, ref s0, ref s1, ref s2, ref s3);
            Step(p, low, high, 4, x0, x1, x2, x3, ref s0, ref s1, ref s2, ref s3);
            Step(p, low, high, 5, x0, x1, x2, x3, ref s0, ref s1, ref s2, ref s3);
            Step(p, low, high, 6, x0, x1, x2, x3, ref s0, ref s1, ref s2, ref s3);
            Step(p, low, high, 7, x0, x1, x2, x3, ref s0, ref s1, ref s2, ref s3);
            f0 = Finish(s0, corrections, d, correction, x0, f0);
            f1 = Finish(s1, corrections, d, correction, x1, f1);
            f2 = Finish(s2, corrections, d, correction, x2, f2);
            f3 = Finish(s3, corrections, d, correction, x3, f3);
        }
        Sums4.AddTo(y, yStride, Sums4.Of(f0, f1, f2, f3));
    }

    /// <summary>
    /// Asks for the super-block <see cref="PrefetchBytes"/> ahead of <paramref name="block"/> (further along the row,
    /// or the next rows): 2048 × 8192, single thread, q4_K 1130 → 1005 µs with it, q6_K 1450 → 1240.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchAhead(byte* block) => Prefetch.Lines(block + PrefetchBytes, T.BlockBytes);

    /// <summary>Vector k of the super-block · the token's elements 32k..32k+31, weighted by the sub-block scales.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Product(byte* p, Vector256<short> low, Vector256<short> high, byte* x, int k) =>
        Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(T.Quants(p, k), Vector256.Load((sbyte*)x + 32 * k)), T.Scale(low, high, k));

    /// <summary>Vector k, unpacked once, for four tokens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(byte* p, Vector256<short> low, Vector256<short> high, int k, byte* x0, byte* x1, byte* x2, byte* x3,
        ref Vector256<int> s0, ref Vector256<int> s1, ref Vector256<int> s2, ref Vector256<int> s3)
    {
        var q = T.Quants(p, k);
        var scale = T.Scale(low, high, k);
        s0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q, Vector256.Load((sbyte*)x0 + 32 * k)), scale);
        s1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q, Vector256.Load((sbyte*)x1 + 32 * k)), scale);
        s2 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q, Vector256.Load((sbyte*)x2 + 32 * k)), scale);
        s3 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q, Vector256.Load((sbyte*)x3 + 32 * k)), scale);
    }

    /// <summary>Adds one super-block's scaled integer sum and its correction for one token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Finish(Vector256<int> sum, Vector256<short> corrections, float d, float correction, byte* x, Vector256<float> acc)
    {
        var dx = Q8K.Scale(x);
        acc = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sum), Vector256.Create(d * dx), acc);
        var c = Avx2.MultiplyAddAdjacent(Q8K.Sums(x), corrections);
        return Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(c), Vector256.Create(correction * dx), acc);
    }
}
