using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q8_0 × <see cref="Q8Blocks"/> with AVX2: signed × signed bytes through <c>vpmaddubsw</c> by moving the
/// weight's sign onto the activation (|w| · sign(w)·x), then <c>vpmaddwd</c> and one scale per block.
/// </summary>
internal sealed unsafe class Q8_0KernelAvx2 : Q8BlocksKernel
{
    protected override float SumFactor => 0f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot(byte* w, int blocks, byte* x)
    {
        var ones = Vector256.Create((short)1);
        var acc = Vector256<float>.Zero;
        for (var b = 0; b < blocks; b++)
        {
            var p = w + b * 34;
            var xb = x + b * Q8Blocks.BlockBytes;
            var quants = Vector256.Load((sbyte*)(p + 2));
            var signed = Avx2.Sign(Vector256.Load((sbyte*)(xb + 8)), quants);
            var sums = Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Avx2.Abs(quants), signed), ones);
            var scale = HalfScales.ToSingle(*(ushort*)p) * *(float*)xb;
            acc = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sums), Vector256.Create(scale), acc);
        }
        return Vector256.Sum(acc);
    }
}
