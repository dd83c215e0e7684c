using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q4_0 × <see cref="Q8Blocks"/> with portable 128-bit vectors: nibbles minus 8 as signed bytes, then the byte
/// dot of <see cref="Q8_0KernelVector128"/>.
/// </summary>
internal sealed unsafe class Q4_0KernelVector128 : Q8BlocksKernel
{
    protected override float SumFactor => 0f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override float Dot(byte* w, int first, int end, byte* x)
    {
        var nibble = Vector128.Create((byte)0x0F);
        var eight = Vector128.Create((sbyte)8);
        var acc = Vector128<float>.Zero;
        for (var b = first; b < end; b++)
        {
            var p = w + b * 18;
            var xb = x + b * Q8Blocks.BlockBytes;
            var xs = (sbyte*)(xb + 8);
            var packed = Vector128.Load(p + 2);
            var low = (packed & nibble).AsSByte() - eight;
            var high = Vector128.ShiftRightLogical(packed, 4).AsSByte() - eight;
            var sums = Q8_0KernelVector128.Products(low, Vector128.Load(xs)) + Q8_0KernelVector128.Products(high, Vector128.Load(xs + 16));
            acc += Vector128.ConvertToSingle(sums) * Vector128.Create(HalfScales.ToSingle(*(ushort*)p) * *(float*)xb);
        }
        return Vector128.Sum(acc);
    }
}
