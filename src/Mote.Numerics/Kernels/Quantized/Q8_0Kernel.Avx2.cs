using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// q8_0 for <see cref="BlockKernelAvx2{T}"/>: signed × signed bytes through <c>vpmaddubsw</c> by moving the
/// weight's sign onto the activation (|w| · sign(w)·x); no correction.
/// </summary>
internal readonly unsafe struct Q8_0Avx2 : IBlockAvx2
{
    public static int BlockBytes => 34;

    public static float SumFactor => 0f;

    public static bool SignedQuants => true;

    public static int QuantMax => 128;

    public static bool HasCorrection => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Quants(byte* block) => Vector256.Load(block + 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Pairs(Vector256<byte> quants, Vector256<sbyte> x) =>
        Avx2.MultiplyAddAdjacent(Avx2.Abs(quants.AsSByte()), Avx2.Sign(x, quants.AsSByte()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(byte* block) => HalfScales.ToSingle(*(ushort*)block);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Correction(byte* block, float d) => 0f;
}
