using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Float;

/// <summary>Rows of a float type (f32, f16, bf16) for the GEMM: widened eight elements at a time.</summary>
internal readonly unsafe struct FloatRows<TRow> : IGemmRows
    where TRow : struct, IFloatRow
{
    public static int ElementBytes => TRow.ElementBytes;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(byte* row, int firstColumn, int width, float* destination)
    {
        var size = TRow.ElementBytes;
        var source = row + (long)firstColumn * size;
        var c = 0;
        for (; c + 32 <= width; c += 32)
        {
            var o = (nint)c * size;
            TRow.Load256(source + o).Store(destination + c);
            TRow.Load256(source + o + 8 * size).Store(destination + c + 8);
            TRow.Load256(source + o + 16 * size).Store(destination + c + 16);
            TRow.Load256(source + o + 24 * size).Store(destination + c + 24);
        }
        for (; c + 8 <= width; c += 8)
            TRow.Load256(source + (nint)c * size).Store(destination + c);
        for (; c < width; c++)
            destination[c] = TRow.Load1(source + (nint)c * size);
    }
}
