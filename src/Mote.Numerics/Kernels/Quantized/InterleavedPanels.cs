using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// What the interleaved GEMMs (<see cref="InterleavedGemmAvx2{T}"/>, <see cref="InterleavedKQuantGemmAvx2{T}"/>,
/// <see cref="PanelKernelAvx2{T}"/>) share: eight rows per panel, the transpose that makes vectors of four-element
/// groups of the eight rows, the activation broadcast, the widening of 16-bit sums and the store of one vector of
/// eight rows' results.
/// </summary>
internal static unsafe class InterleavedPanels
{
    public const int Rows = 8;

    /// <summary>
    /// The 8 × 8 transpose of 32-bit lanes, in place (unpacks within 128-bit lanes, then 128-bit swaps): afterwards
    /// vector g holds lane g of each input, input r's in lane r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(ref Vector256<uint> q0, ref Vector256<uint> q1, ref Vector256<uint> q2, ref Vector256<uint> q3,
        ref Vector256<uint> q4, ref Vector256<uint> q5, ref Vector256<uint> q6, ref Vector256<uint> q7)
    {
        var t0 = Avx2.UnpackLow(q0, q1);
        var t1 = Avx2.UnpackHigh(q0, q1);
        var t2 = Avx2.UnpackLow(q2, q3);
        var t3 = Avx2.UnpackHigh(q2, q3);
        var t4 = Avx2.UnpackLow(q4, q5);
        var t5 = Avx2.UnpackHigh(q4, q5);
        var t6 = Avx2.UnpackLow(q6, q7);
        var t7 = Avx2.UnpackHigh(q6, q7);
        var u0 = Avx2.UnpackLow(t0.AsUInt64(), t2.AsUInt64());
        var u1 = Avx2.UnpackHigh(t0.AsUInt64(), t2.AsUInt64());
        var u2 = Avx2.UnpackLow(t1.AsUInt64(), t3.AsUInt64());
        var u3 = Avx2.UnpackHigh(t1.AsUInt64(), t3.AsUInt64());
        var u4 = Avx2.UnpackLow(t4.AsUInt64(), t6.AsUInt64());
        var u5 = Avx2.UnpackHigh(t4.AsUInt64(), t6.AsUInt64());
        var u6 = Avx2.UnpackLow(t5.AsUInt64(), t7.AsUInt64());
        var u7 = Avx2.UnpackHigh(t5.AsUInt64(), t7.AsUInt64());
        q0 = Avx2.Permute2x128(u0, u4, 0x20).AsUInt32();
        q1 = Avx2.Permute2x128(u1, u5, 0x20).AsUInt32();
        q2 = Avx2.Permute2x128(u2, u6, 0x20).AsUInt32();
        q3 = Avx2.Permute2x128(u3, u7, 0x20).AsUInt32();
        q4 = Avx2.Permute2x128(u0, u4, 0x31).AsUInt32();
        q5 = Avx2.Permute2x128(u1, u5, 0x31).AsUInt32();
        q6 = Avx2.Permute2x128(u2, u6, 0x31).AsUInt32();
        q7 = Avx2.Permute2x128(u3, u7, 0x31).AsUInt32();
    }

    /// <summary>Four activation bytes (or two 16-bit values) in every 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<sbyte> Broadcast(byte* x) => Vector256.Create(*(int*)x).AsSByte();

    /// <summary>Eight 16-bit partial sums per row widened to 32 bits (adjacent pairs added).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Widen(Vector256<short> sums) => Avx2.MultiplyAddAdjacent(sums, Vector256.Create((short)1));

    /// <summary>16 · high + low, widened: the products of split bytes' high and low nibbles put back together.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Join(Vector256<short> high, Vector256<short> low) =>
        Avx2.MultiplyAddAdjacent(high, Vector256.Create((short)16)) + Widen(low);

    /// <summary>Writes (or adds) the first <paramref name="rows"/> lanes, one per row, to y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* y, Vector256<float> values, int rows, bool add)
    {
        if (rows == Rows)
        {
            (add ? Vector256.Load(y) + values : values).Store(y);
            return;
        }
        for (var r = 0; r < rows; r++)
            y[r] = add ? y[r] + values[r] : values[r];
    }

    /// <summary>
    /// <see cref="Store(float*, Vector256{float}, int, bool)"/> for the first <paramref name="tokens"/> (1–4) of four tokens' results, y rows
    /// <paramref name="yStride"/> apart: the kernels that take tokens four at a time fill spare lanes with the last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* y, long yStride, int tokens, int rows, bool add,
        Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        Store(y, a0, rows, add);
        if (tokens > 1)
            Store(y + yStride, a1, rows, add);
        if (tokens > 2)
            Store(y + 2 * yStride, a2, rows, add);
        if (tokens > 3)
            Store(y + 3 * yStride, a3, rows, add);
    }
}
