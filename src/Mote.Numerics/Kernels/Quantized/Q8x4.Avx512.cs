using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

internal static unsafe partial class Q8x4
{
    /// <summary>
    /// Quantizes <paramref name="cols"/> floats (a multiple of 32) with AVX-512: per block, d = max|x| / 127 and
    /// quant = round-to-nearest-even(x / d), as ggml's vectorized <c>quantize_row_q8_0</c>; then
    /// c = <paramref name="sumFactor"/> · d · Σ quants.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizeAvx512(float* x, int cols, byte* destination, float sumFactor)
    {
        var blocks = cols / BlockElements;
        var padded = stackalloc float[GroupElements];
        for (var g = 0; g * 4 < blocks; g++)
        {
            var source = x + g * GroupElements;
            var left = blocks - 4 * g;
            if (left < 4)
            {
                // Zero blocks pad the last group: their scale and quants come out 0.
                new Span<float>(padded, GroupElements).Clear();
                new ReadOnlySpan<float>(source, left * BlockElements).CopyTo(new Span<float>(padded, GroupElements));
                source = padded;
            }
            QuantizeGroup(source, destination + g * GroupBytes, sumFactor);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuantizeGroup(float* x, byte* destination, float sumFactor)
    {
        // Transpose 128-bit lanes so that vector m holds elements 4m..4m+3 of blocks 0..3: quantizing it writes
        // 16 bytes in exactly the group's interleaved order.
        Transpose(Vector512.Load(x), Vector512.Load(x + 32), Vector512.Load(x + 64), Vector512.Load(x + 96),
            out var l0, out var l1, out var l2, out var l3);
        Transpose(Vector512.Load(x + 16), Vector512.Load(x + 48), Vector512.Load(x + 80), Vector512.Load(x + 112),
            out var h0, out var h1, out var h2, out var h3);

        var max = Vector512.Max(Vector512.Max(Vector512.Max(Vector512.Abs(l0), Vector512.Abs(l1)), Vector512.Max(Vector512.Abs(l2), Vector512.Abs(l3))),
            Vector512.Max(Vector512.Max(Vector512.Abs(h0), Vector512.Abs(h1)), Vector512.Max(Vector512.Abs(h2), Vector512.Abs(h3))));
        // Lanes 4k..4k+3 belong to block k: reduce within each 128-bit lane.
        max = Vector512.Max(max, Avx512F.Permute4x32(max, 0b10_11_00_01));
        max = Vector512.Max(max, Avx512F.Permute4x32(max, 0b01_00_11_10));
        var d = max / 127f;
        var inverse = Vector512.ConditionalSelect(Vector512.Equals(d, Vector512<float>.Zero), Vector512<float>.Zero, Vector512<float>.One / d);

        var q0 = Avx512F.ConvertToVector512Int32(l0 * inverse);
        var q1 = Avx512F.ConvertToVector512Int32(l1 * inverse);
        var q2 = Avx512F.ConvertToVector512Int32(l2 * inverse);
        var q3 = Avx512F.ConvertToVector512Int32(l3 * inverse);
        var q4 = Avx512F.ConvertToVector512Int32(h0 * inverse);
        var q5 = Avx512F.ConvertToVector512Int32(h1 * inverse);
        var q6 = Avx512F.ConvertToVector512Int32(h2 * inverse);
        var q7 = Avx512F.ConvertToVector512Int32(h3 * inverse);
        var bytes = (sbyte*)destination;
        Avx512F.ConvertToVector128SByteWithSaturation(q0).Store(bytes);
        Avx512F.ConvertToVector128SByteWithSaturation(q1).Store(bytes + 16);
        Avx512F.ConvertToVector128SByteWithSaturation(q2).Store(bytes + 32);
        Avx512F.ConvertToVector128SByteWithSaturation(q3).Store(bytes + 48);
        Avx512F.ConvertToVector128SByteWithSaturation(q4).Store(bytes + 64);
        Avx512F.ConvertToVector128SByteWithSaturation(q5).Store(bytes + 80);
        Avx512F.ConvertToVector128SByteWithSaturation(q6).Store(bytes + 96);
        Avx512F.ConvertToVector128SByteWithSaturation(q7).Store(bytes + 112);

        var sum = (q0 + q1) + (q2 + q3) + ((q4 + q5) + (q6 + q7));
        sum += Avx512F.Shuffle(sum, 0b10_11_00_01);
        sum += Avx512F.Shuffle(sum, 0b01_00_11_10);
        var firstOfEachLane = Vector512.Create(0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12, 0, 4, 8, 12);
        var scales = Avx512F.PermuteVar16x32(d, firstOfEachLane).GetLower().GetLower();
        var sums = Avx512F.PermuteVar16x32(sum, firstOfEachLane).GetLower().GetLower();
        scales.Store((float*)(destination + 128));
        (Vector128.ConvertToSingle(sums) * scales * sumFactor).Store((float*)(destination + 144));
    }

    /// <summary>4×4 transpose of 128-bit lanes: output m holds lane m of a, b, c, d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d,
        out Vector512<float> t0, out Vector512<float> t1, out Vector512<float> t2, out Vector512<float> t3)
    {
        var ab01 = Avx512F.Shuffle4x128(a, b, 0b01_00_01_00);
        var cd01 = Avx512F.Shuffle4x128(c, d, 0b01_00_01_00);
        var ab23 = Avx512F.Shuffle4x128(a, b, 0b11_10_11_10);
        var cd23 = Avx512F.Shuffle4x128(c, d, 0b11_10_11_10);
        t0 = Avx512F.Shuffle4x128(ab01, cd01, 0b10_00_10_00);
        t1 = Avx512F.Shuffle4x128(ab01, cd01, 0b11_01_11_01);
        t2 = Avx512F.Shuffle4x128(ab23, cd23, 0b10_00_10_00);
        t3 = Avx512F.Shuffle4x128(ab23, cd23, 0b11_01_11_01);
    }
}
