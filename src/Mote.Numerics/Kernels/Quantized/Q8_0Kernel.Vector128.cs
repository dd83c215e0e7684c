using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q8_0 × <see cref="Q8Blocks"/> with portable 128-bit vectors (NEON, SSE, WASM): bytes widened to 16 bits,
/// multiplied (|q| ≤ 127, so two products fit 16 bits), pair sums widened into 32-bit lanes.
/// </summary>
internal sealed unsafe class Q8_0KernelVector128 : Q8BlocksKernel
{
    protected override float SumFactor => 0f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot(byte* w, int first, int end, byte* x)
    {
        var acc = Vector128<float>.Zero;
        for (var b = first; b < end; b++)
        {
            var p = (sbyte*)(w + b * 34 + 2);
            var xb = x + b * Q8Blocks.BlockBytes;
            var xs = (sbyte*)(xb + 8);
            var sums = Products(Vector128.Load(p), Vector128.Load(xs)) + Products(Vector128.Load(p + 16), Vector128.Load(xs + 16));
            acc += Vector128.ConvertToSingle(sums) * Vector128.Create(HalfScales.ToSingle(*(ushort*)(w + b * 34)) * *(float*)xb);
        }
        return Vector128.Sum(acc);
    }

    /// <summary>Σ of 16 byte products as four 32-bit partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> Products(Vector128<sbyte> a, Vector128<sbyte> b)
    {
        var (aLow, aHigh) = Vector128.Widen(a);
        var (bLow, bHigh) = Vector128.Widen(b);
        var pairs = aLow * bLow + aHigh * bHigh;
        var (low, high) = Vector128.Widen(pairs);
        return low + high;
    }
}
