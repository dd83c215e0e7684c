using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// K-quant × <see cref="Q8K"/> with portable 128-bit vectors (ARM NEON, SSE, WASM SIMD), for any super-block
/// layout <typeparamref name="T"/>: each group of 16 quants is multiplied with its activations in 16-bit lanes
/// (q ≤ 63 and |x| ≤ 127, so pairs of products fit), widened to 32 bits, weighted by the group's integer scale
/// and summed exactly over the super-block, then converted to float once.
/// </summary>
internal sealed unsafe class KQuantKernelVector128<T> : Q8KKernel where T : struct, IKQuantVector128
{
    private const int Groups = Q8K.Elements / 16;

    public override void PrepareActivations(float* x, int cols, byte* destination) => Q8K.QuantizeVector128(x, cols, destination);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot1(byte* w, int first, int end, byte* x)
    {
        var scales = stackalloc int[Groups];
        var corrections = stackalloc int[Groups];
        var acc = Vector128<float>.Zero;
        for (var b = first; b < end; b++)
        {
            var p = w + b * T.BlockBytes;
            T.Unpack(p, scales, corrections, out var d, out var correction);
            var xb = x + b * Q8K.SuperBlockBytes;
            var sum = Vector128<int>.Zero;
            for (var g = 0; g < Groups; g++)
                sum += Products(T.Quants(p, g), Vector128.Load((sbyte*)xb + 16 * g)) * scales[g];
            acc = Finish(sum, corrections, d, correction, xb, acc);
        }
        return Vector128.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        var scales = stackalloc int[Groups];
        var corrections = stackalloc int[Groups];
        Vector128<float> f0 = default, f1 = default, f2 = default, f3 = default;
        for (var b = first; b < end; b++)
        {
            var p = w + b * T.BlockBytes;
            T.Unpack(p, scales, corrections, out var d, out var correction);
            var x0 = x + b * Q8K.SuperBlockBytes;
            byte* x1 = x0 + stride, x2 = x1 + stride, x3 = x2 + stride;
            Vector128<int> s0 = default, s1 = default, s2 = default, s3 = default;
            for (var g = 0; g < Groups; g++)
            {
                var q = T.Quants(p, g);
                var scale = scales[g];
                s0 += Products(q, Vector128.Load((sbyte*)x0 + 16 * g)) * scale;
                s1 += Products(q, Vector128.Load((sbyte*)x1 + 16 * g)) * scale;
                s2 += Products(q, Vector128.Load((sbyte*)x2 + 16 * g)) * scale;
                s3 += Products(q, Vector128.Load((sbyte*)x3 + 16 * g)) * scale;
            }
            f0 = Finish(s0, corrections, d, correction, x0, f0);
            f1 = Finish(s1, corrections, d, correction, x1, f1);
            f2 = Finish(s2, corrections, d, correction, x2, f2);
            f3 = Finish(s3, corrections, d, correction, x3, f3);
        }
        y[0] += Vector128.Sum(f0);
        y[yStride] += Vector128.Sum(f1);
        y[2 * yStride] += Vector128.Sum(f2);
        y[3 * yStride] += Vector128.Sum(f3);
    }

    /// <summary>Σ of 16 products of unsigned quants (≤ 63) and activations, as four 32-bit partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Products(Vector128<byte> q, Vector128<sbyte> x) => Q8_0KernelVector128.Products(q.AsSByte(), x);

    /// <summary>Adds one super-block's scaled integer sum and its correction for one token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Finish(Vector128<int> sum, int* corrections, float d, float correction, byte* x, Vector128<float> acc)
    {
        var dx = Q8K.Scale(x);
        var (low, high) = Vector128.Widen(Q8K.Sums(x, 0));
        var (low2, high2) = Vector128.Widen(Q8K.Sums(x, 1));
        var c = low * Vector128.Load(corrections) + high * Vector128.Load(corrections + 4)
            + low2 * Vector128.Load(corrections + 8) + high2 * Vector128.Load(corrections + 12);
        acc += Vector128.ConvertToSingle(sum) * Vector128.Create(d * dx);
        return acc + Vector128.ConvertToSingle(c) * Vector128.Create(correction * dx);
    }
}
