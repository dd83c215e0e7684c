using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mote.Numerics.Kernels.Float;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Rows of a 32-element block type dequantized for <see cref="FloatGemmAvx2{TRows}"/>: value = d · q + offset, with
/// the offset what the integer kernel applies through the activation sums (<see cref="IBlockAvx2.SumFactor"/> ×
/// the correction: −8d for q4_0, −16d for q5_0, the minimum for q4_1/q5_1, none for q8_0). Each product and sum is
/// exact in f32 (small integer × an f16 scale), so the values are the reference dequantization's.
/// </summary>
internal readonly unsafe struct BlockRowsAvx2<T> : IGemmRows where T : struct, IBlockAvx2
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(byte* row, int firstColumn, int width, float* destination)
    {
        var p = row + firstColumn / Q8Blocks.Elements * T.BlockBytes;
        for (var c = 0; c < width; c += Q8Blocks.Elements, p += T.BlockBytes)
        {
            var q = T.Quants(p);
            var d = T.Scale(p);
            var scale = Vector256.Create(d);
            var offset = Vector256.Create(T.HasCorrection ? T.SumFactor * T.Correction(p, d) : 0f);
            var low = q.GetLower();
            var high = q.GetUpper();
            Vector256.FusedMultiplyAdd(Widen8(low), scale, offset).Store(destination + c);
            Vector256.FusedMultiplyAdd(Widen8(Sse2.ShiftRightLogical128BitLane(low, 8)), scale, offset).Store(destination + c + 8);
            Vector256.FusedMultiplyAdd(Widen8(high), scale, offset).Store(destination + c + 16);
            Vector256.FusedMultiplyAdd(Widen8(Sse2.ShiftRightLogical128BitLane(high, 8)), scale, offset).Store(destination + c + 24);
        }
    }

    /// <summary>The low eight quant bytes as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen8(Vector128<byte> bytes) =>
        Avx.ConvertToVector256Single(T.SignedQuants ? Avx2.ConvertToVector256Int32(bytes.AsSByte()) : Avx2.ConvertToVector256Int32(bytes));
}
