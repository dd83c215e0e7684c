using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_0 × <see cref="Q8Blocks"/> with AVX2: a block's 16 bytes split into low and high nibbles are its 32
/// quants in order; <c>vpmaddubsw</c> (nibbles unsigned) and <c>vpmaddwd</c> give eight partial sums, and the
/// offset of 8 is folded in as c = −8 · dx · Σx / 8 per lane.
/// </summary>
internal sealed unsafe class Q4_0KernelAvx2 : Q8BlocksKernel
{
    protected override float SumFactor => -8f / 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot(byte* w, int blocks, byte* x)
    {
        var nibble = Vector128.Create((byte)0x0F);
        var ones = Vector256.Create((short)1);
        var acc = Vector256<float>.Zero;
        for (var b = 0; b < blocks; b++)
        {
            var p = w + b * 18;
            var xb = x + b * Q8Blocks.BlockBytes;
            var packed = Vector128.Load(p + 2);
            var quants = Vector256.Create(packed & nibble, Sse2.ShiftRightLogical(packed.AsUInt16(), 4).AsByte() & nibble);
            var sums = Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(quants, Vector256.Load((sbyte*)(xb + 8))), ones);
            var t = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sums), Vector256.Create(*(float*)xb), Vector256.Create(*(float*)(xb + 4)));
            acc = Vector256.FusedMultiplyAdd(t, Vector256.Create(HalfScales.ToSingle(*(ushort*)p)), acc);
        }
        return Vector256.Sum(acc);
    }
}
