using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// A 32-element block type with unsigned quants × <see cref="Q8Blocks"/> with portable 128-bit vectors, for any
/// block layout <typeparamref name="T"/>: byte products in 16-bit lanes widened to 32 bits, one float scaling per
/// block, corrections summed as scalars. Prefill unpacks each weight block once for four tokens.
/// </summary>
internal sealed unsafe class BlockKernelVector128<T> : Q8BlocksKernel where T : struct, IBlockVector128
{
    protected override float SumFactor => T.SumFactor;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot(byte* w, int first, int end, byte* x)
    {
        var acc = Vector128<float>.Zero;
        var correction = 0f;
        for (var b = first; b < end; b++)
        {
            var p = w + b * T.BlockBytes;
            var xb = x + b * Q8Blocks.BlockBytes;
            T.Quants(p, out var low, out var high);
            var d = T.Scale(p);
            acc = Accumulate(low, high, d, xb, acc);
            correction = MathF.FusedMultiplyAdd(*(float*)(xb + 4), T.Correction(p, d), correction);
        }
        return Vector128.Sum(acc) + correction;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Dot4(byte* w, int first, int end, byte* x, long stride, float* y, int yStride)
    {
        Vector128<float> a0 = default, a1 = default, a2 = default, a3 = default;
        float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (var b = first; b < end; b++)
        {
            var p = w + b * T.BlockBytes;
            T.Quants(p, out var low, out var high);
            var d = T.Scale(p);
            var m = T.Correction(p, d);
            var x0 = x + b * Q8Blocks.BlockBytes;
            a0 = Accumulate(low, high, d, x0, a0);
            a1 = Accumulate(low, high, d, x0 + stride, a1);
            a2 = Accumulate(low, high, d, x0 + 2 * stride, a2);
            a3 = Accumulate(low, high, d, x0 + 3 * stride, a3);
            c0 = MathF.FusedMultiplyAdd(*(float*)(x0 + 4), m, c0);
            c1 = MathF.FusedMultiplyAdd(*(float*)(x0 + stride + 4), m, c1);
            c2 = MathF.FusedMultiplyAdd(*(float*)(x0 + 2 * stride + 4), m, c2);
            c3 = MathF.FusedMultiplyAdd(*(float*)(x0 + 3 * stride + 4), m, c3);
        }
        y[0] += Vector128.Sum(a0) + c0;
        y[yStride] += Vector128.Sum(a1) + c1;
        y[2 * yStride] += Vector128.Sum(a2) + c2;
        y[3 * yStride] += Vector128.Sum(a3) + c3;
    }

    /// <summary>One weight block · one activation block (layout: dx, c, 32 quants), added to the accumulator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Accumulate(Vector128<byte> low, Vector128<byte> high, float d, byte* x, Vector128<float> acc)
    {
        var xs = (sbyte*)(x + 8);
        var sums = Q8_0KernelVector128.Products(low.AsSByte(), Vector128.Load(xs)) + Q8_0KernelVector128.Products(high.AsSByte(), Vector128.Load(xs + 16));
        return acc + Vector128.ConvertToSingle(sums) * Vector128.Create(d * *(float*)x);
    }
}
