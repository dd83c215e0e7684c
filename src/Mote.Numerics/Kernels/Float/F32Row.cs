using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Float;

/// <summary>f32 rows: loads as they are.</summary>
internal readonly unsafe struct F32Row : IFloatRow
{
    public static int ElementBytes => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(byte* p) => Vector512.Load((float*)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(byte* p) => Vector256.Load((float*)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load1(byte* p) => *(float*)p;
}
