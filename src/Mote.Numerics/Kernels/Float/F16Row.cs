using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Float;

/// <summary>
/// f16 rows, widened exactly without F16C (.NET 10 exposes no <c>vcvtph2ps</c>): the sign-extended half shifted
/// left 13 puts its exponent and mantissa in f32 position with the sign on top; multiplying by 2^112 rebiases
/// the exponent (15 → 127) and turns f16 subnormals into f32 normals; exponent 31 (±Inf, NaN) is then forced
/// to all ones.
/// </summary>
internal readonly unsafe struct F16Row : IFloatRow
{
    private const int FieldMask = unchecked((int)0x8FFFE000); // sign, exponent, mantissa; drops the sign copies
    private const int MaxExponent = 0x0F800000; // f16 exponent 31 after the shift
    private const float Rebias = 5.192296858534828e33f; // 2^112

    public static int ElementBytes => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(byte* p)
    {
        var bits = Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512Int32(Vector256.Load((short*)p)), 13) & Vector512.Create(FieldMask);
        var value = bits.AsSingle() * Vector512.Create(Rebias);
        var special = Vector512.Equals(bits & Vector512.Create(MaxExponent), Vector512.Create(MaxExponent));
        return (value.AsInt32() | (special & Vector512.Create(0x7F800000))).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(byte* p)
    {
        var bits = FieldBits256(p);
        var value = bits.AsSingle() * Vector256.Create(Rebias);
        var special = Vector256.Equals(bits & Vector256.Create(MaxExponent), Vector256.Create(MaxExponent));
        return (value.AsInt32() | (special & Vector256.Create(0x7F800000))).AsSingle();
    }

    /// <summary>
    /// <see cref="Load256"/> for halves known to be finite (block scales, which weight panels check at load): exact
    /// for every finite half; ±Inf and NaN would come out as finite values of 2^16 or more.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadFinite256(byte* p) => FieldBits256(p).AsSingle() * Vector256.Create(Rebias);

    // Eight halves sign-extended and shifted into f32 position, the sign copies above the exponent cleared.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> FieldBits256(byte* p) =>
        Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32((short*)p), 13) & Vector256.Create(FieldMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load1(byte* p) => (float)*(Half*)p;
}
