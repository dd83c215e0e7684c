using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>Sub-block scales spread to one 32-bit value per group of 16 elements, for the portable K-quant kernels.</summary>
internal static unsafe class KScalesVector128
{
    /// <summary>Bytes 0–7 (one per 32 elements) each twice: the scale of each group of 16.</summary>
    public static Vector128<byte> Doubled(Vector128<byte> bytes, int first) =>
        Vector128.Shuffle(bytes, Vector128.Create((byte)0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7) + Vector128.Create((byte)first));

    /// <summary>Sixteen unsigned bytes as sixteen ints at <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<byte> bytes, int* destination) => Store(bytes.AsSByte(), destination, signed: false);

    /// <summary>Sixteen signed bytes as sixteen ints at <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<sbyte> bytes, int* destination) => Store(bytes, destination, signed: true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<sbyte> bytes, int* destination, bool signed)
    {
        Vector128<short> low, high;
        if (signed)
            (low, high) = Vector128.Widen(bytes);
        else
            (low, high) = (Vector128.WidenLower(bytes.AsByte()).AsInt16(), Vector128.WidenUpper(bytes.AsByte()).AsInt16());
        var (a, b) = Vector128.Widen(low);
        var (c, d) = Vector128.Widen(high);
        a.Store(destination);
        b.Store(destination + 4);
        c.Store(destination + 8);
        d.Store(destination + 12);
    }
}
