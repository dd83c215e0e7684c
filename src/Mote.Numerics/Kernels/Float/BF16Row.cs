using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Float;

/// <summary>bf16 rows: a bf16 is the top half of an f32, so widening is a 16-bit shift.</summary>
internal readonly unsafe struct BF16Row : IFloatRow
{
    public static int ElementBytes => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(byte* p) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512Int32(Vector256.Load((ushort*)p)), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(byte* p) =>
        Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32((ushort*)p), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load1(byte* p) => BitConverter.UInt32BitsToSingle((uint)*(ushort*)p << 16);
}
