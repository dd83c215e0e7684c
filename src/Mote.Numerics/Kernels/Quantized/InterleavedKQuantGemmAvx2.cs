using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Prefill for the K-quants (q2_K..q6_K) with AVX2, as <see cref="InterleavedGemmAvx2{T}"/> does for the 32-element
/// types: eight weight rows' super-blocks are interleaved per call into a panel holding, per super-block, the quants
/// as 64 vectors of four-element groups (lane r: row r), each 16-element sub-block's scales as 16-bit pairs, the
/// correction multipliers of each pair of activation sums, and the rows' d and correction factors. Per token a
/// sub-block's groups add in 16 bits, one <c>vpmaddwd</c> with the eight rows' scales widens them, the activation
/// sums meet the corrections in eight more, and one convert and FMA per super-block serve all eight rows. The
/// per-row kernel spends a <c>vpmaddwd</c> on every 32 elements of every row and token.
/// <code>
/// W·x = d · dx · Σ_j scale_j · Σ_(i in j) q_i · x_i  +  correction · dx · Σ_i corrections_i · sums_i
/// </code>
/// </summary>
internal static unsafe class InterleavedKQuantGemmAvx2<T> where T : struct, IKQuantAvx2
{
    private const int PanelRows = InterleavedPanels.Rows;
    private const int Chunks = Q8K.Elements / 32;  // quant vectors of a super-block (T.Quants)
    private const int SubBlocks = Q8K.Elements / 16;
    private const int QuantBytes = Chunks * 8 * 32;
    private const int ScalesAt = QuantBytes;
    private const int CorrectionsAt = ScalesAt + SubBlocks * 32;
    private const int FactorsAt = CorrectionsAt + SubBlocks / 2 * 32;
    private const int PanelBlockBytes = FactorsAt + 2 * 32;

    // Super-blocks per panel: 11 KiB of panel and four tokens' 5 KiB of activations stay in L1.
    private const int SliceBlocks = 4;

    public static int ScratchFloats => SliceBlocks * PanelBlockBytes / sizeof(float);

    // Groups whose 16-bit sums add up before the scales widen them: a whole sub-block (4) for quants up to 31
    // (4 · 2 · 31 · 128 = 31,744), half of one for q6_K's 6-bit quants (2 · 2 · 63 · 128 = 32,256).
    private static int GroupsPerScale { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => T.QuantMax <= 31 ? 4 : 2; }

    /// <summary>Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) for every token; scratch holds one panel.</summary>
    public static void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        var blocks = args.Cols / Q8K.Elements;
        var stride = args.ActivationStride;
        var panel = (byte*)scratch;
        for (var r0 = rowStart; r0 < rowEnd; r0 += PanelRows)
        {
            var rows = Math.Min(PanelRows, rowEnd - r0);
            for (var b0 = 0; b0 < blocks; b0 += SliceBlocks)
            {
                var count = Math.Min(SliceBlocks, blocks - b0);
                Pack(args.Weights + r0 * args.RowBytes, args.RowBytes, rows, b0, count, panel);
                var x = args.Activations + (long)b0 * Q8K.SuperBlockBytes;
                var y = args.Y + r0;
                var add = b0 > 0;
                for (var t = 0; t < args.Tokens; t += 4)
                    Multiply4(panel, count, x + t * stride, stride, y + (long)t * args.Rows, args.Rows, rows, add, Math.Min(4, args.Tokens - t));
            }
        }
    }

    /// <summary>
    /// Interleaves super-blocks [<paramref name="first"/>, first + count) of <paramref name="rows"/> (≤ 8) rows into
    /// the panel; missing rows are zero (their results are not stored).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack(byte* weights, long rowBytes, int rows, int first, int count, byte* panel)
    {
        for (var b = 0; b < count; b++, panel += PanelBlockBytes)
        {
            var offset = (long)(first + b) * T.BlockBytes;
            var scales = (uint*)(panel + ScalesAt);
            var corrections = (uint*)(panel + CorrectionsAt);
            var factors = (float*)(panel + FactorsAt);
            for (var r = 0; r < PanelRows; r++)
            {
                if (r >= rows)
                {
                    for (var j = 0; j < SubBlocks; j++)
                        scales[j * PanelRows + r] = 0;
                    for (var m = 0; m < SubBlocks / 2; m++)
                        corrections[m * PanelRows + r] = 0;
                    factors[r] = 0;
                    factors[PanelRows + r] = 0;
                    continue;
                }
                T.Unpack(weights + r * rowBytes + offset, out var low, out var high, out var perSum, out var d, out var correction);
                PackScales(low, high, scales + r);
                // Lane r of vector m: the multipliers of activation sums 2m and 2m + 1.
                var pairs = perSum.AsUInt32();
                for (var m = 0; m < SubBlocks / 2; m++)
                    corrections[m * PanelRows + r] = pairs.GetElement(m);
                factors[r] = d;
                factors[PanelRows + r] = correction;
            }
            PackChunk(weights, rowBytes, rows, offset, panel, 0);
            PackChunk(weights, rowBytes, rows, offset, panel, 1);
            PackChunk(weights, rowBytes, rows, offset, panel, 2);
            PackChunk(weights, rowBytes, rows, offset, panel, 3);
            PackChunk(weights, rowBytes, rows, offset, panel, 4);
            PackChunk(weights, rowBytes, rows, offset, panel, 5);
            PackChunk(weights, rowBytes, rows, offset, panel, 6);
            PackChunk(weights, rowBytes, rows, offset, panel, 7);
        }
    }

    /// <summary>
    /// One row's sixteen sub-block scales, each as a pair of equal 16-bit values (lane r of vector j), from the
    /// per-pair scales of its eight quant vectors (lanes 0–7: the vector's first sub-block, 8–15: its second).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackScales(Vector256<short> low, Vector256<short> high, uint* scales)
    {
        PackScales(T.Scale(low, high, 0), 0, scales);
        PackScales(T.Scale(low, high, 1), 1, scales);
        PackScales(T.Scale(low, high, 2), 2, scales);
        PackScales(T.Scale(low, high, 3), 3, scales);
        PackScales(T.Scale(low, high, 4), 4, scales);
        PackScales(T.Scale(low, high, 5), 5, scales);
        PackScales(T.Scale(low, high, 6), 6, scales);
        PackScales(T.Scale(low, high, 7), 7, scales);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackScales(Vector256<short> perPair, int k, uint* scales)
    {
        scales[2 * k * PanelRows] = (ushort)perPair.GetElement(0) * 0x10001u;
        scales[(2 * k + 1) * PanelRows] = (ushort)perPair.GetElement(8) * 0x10001u;
    }

    /// <summary>Quant vector <paramref name="k"/> of the eight rows as eight vectors of four-element groups.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PackChunk(byte* weights, long rowBytes, int rows, long offset, byte* panel, int k)
    {
        Vector256<uint> q0 = default, q1 = default, q2 = default, q3 = default, q4 = default, q5 = default, q6 = default, q7 = default;
        if (rows > 0) q0 = T.Quants(weights + offset, k).AsUInt32();
        if (rows > 1) q1 = T.Quants(weights + rowBytes + offset, k).AsUInt32();
        if (rows > 2) q2 = T.Quants(weights + 2 * rowBytes + offset, k).AsUInt32();
        if (rows > 3) q3 = T.Quants(weights + 3 * rowBytes + offset, k).AsUInt32();
        if (rows > 4) q4 = T.Quants(weights + 4 * rowBytes + offset, k).AsUInt32();
        if (rows > 5) q5 = T.Quants(weights + 5 * rowBytes + offset, k).AsUInt32();
        if (rows > 6) q6 = T.Quants(weights + 6 * rowBytes + offset, k).AsUInt32();
        if (rows > 7) q7 = T.Quants(weights + 7 * rowBytes + offset, k).AsUInt32();
        InterleavedPanels.Transpose(ref q0, ref q1, ref q2, ref q3, ref q4, ref q5, ref q6, ref q7);
        var destination = (uint*)(panel + k * 8 * 32);
        q0.Store(destination);
        q1.Store(destination + 8);
        q2.Store(destination + 16);
        q3.Store(destination + 24);
        q4.Store(destination + 32);
        q5.Store(destination + 40);
        q6.Store(destination + 48);
        q7.Store(destination + 56);
    }

    /// <summary>
    /// The panel's eight rows · four tokens' super-blocks (<paramref name="stride"/> apart), group by group with the
    /// tokens inside, so each group vector is loaded once. The last call of a count that is not a multiple of four
    /// repeats its last token in the spare lanes and stores only <paramref name="tokens"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply4(byte* panel, int blocks, byte* x0, long stride, float* y, int yStride, int rows, bool add, int tokens)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        byte* x1 = x0 + Math.Min(1, tokens - 1) * stride, x2 = x0 + Math.Min(2, tokens - 1) * stride, x3 = x0 + Math.Min(3, tokens - 1) * stride;
        for (var b = 0; b < blocks; b++, panel += PanelBlockBytes)
        {
            var o = (long)b * Q8K.SuperBlockBytes;
            Vector256<int> i0 = default, i1 = default, i2 = default, i3 = default;
            for (var j = 0; j < SubBlocks; j++)
            {
                var scale = Vector256.Load((short*)(panel + ScalesAt + 32 * j));
                for (var g0 = 4 * j; g0 < 4 * j + 4; g0 += GroupsPerScale)
                {
                    Vector256<short> s0 = default, s1 = default, s2 = default, s3 = default;
                    for (var g = g0; g < g0 + GroupsPerScale; g++)
                    {
                        var q = Vector256.Load(panel + 32 * g);
                        var at = o + 4 * g;
                        s0 += Avx2.MultiplyAddAdjacent(q, InterleavedPanels.Broadcast(x0 + at));
                        s1 += Avx2.MultiplyAddAdjacent(q, InterleavedPanels.Broadcast(x1 + at));
                        s2 += Avx2.MultiplyAddAdjacent(q, InterleavedPanels.Broadcast(x2 + at));
                        s3 += Avx2.MultiplyAddAdjacent(q, InterleavedPanels.Broadcast(x3 + at));
                    }
                    i0 += Avx2.MultiplyAddAdjacent(s0, scale);
                    i1 += Avx2.MultiplyAddAdjacent(s1, scale);
                    i2 += Avx2.MultiplyAddAdjacent(s2, scale);
                    i3 += Avx2.MultiplyAddAdjacent(s3, scale);
                }
            }
            Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default;
            for (var m = 0; m < SubBlocks / 2; m++)
            {
                var multipliers = Vector256.Load((short*)(panel + CorrectionsAt + 32 * m));
                var at = o + Q8K.SumsOffset + 4 * m;
                c0 += Avx2.MultiplyAddAdjacent(InterleavedPanels.Broadcast(x0 + at).AsInt16(), multipliers);
                c1 += Avx2.MultiplyAddAdjacent(InterleavedPanels.Broadcast(x1 + at).AsInt16(), multipliers);
                c2 += Avx2.MultiplyAddAdjacent(InterleavedPanels.Broadcast(x2 + at).AsInt16(), multipliers);
                c3 += Avx2.MultiplyAddAdjacent(InterleavedPanels.Broadcast(x3 + at).AsInt16(), multipliers);
            }
            var d = Vector256.Load((float*)(panel + FactorsAt));
            var correction = Vector256.Load((float*)(panel + FactorsAt + 32));
            a0 = Accumulate(i0, c0, d, correction, x0 + o, a0);
            a1 = Accumulate(i1, c1, d, correction, x1 + o, a1);
            a2 = Accumulate(i2, c2, d, correction, x2 + o, a2);
            a3 = Accumulate(i3, c3, d, correction, x3 + o, a3);
        }
        InterleavedPanels.Store(y, yStride, tokens, rows, add, a0, a1, a2, a3);
    }

    /// <summary>acc + d · dx · sums + correction · dx · corrections, for the super-block at <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Accumulate(Vector256<int> sums, Vector256<int> corrections, Vector256<float> d, Vector256<float> correction,
        byte* x, Vector256<float> acc)
    {
        var dx = Vector256.Create(Q8K.Scale(x));
        acc = Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(sums), d * dx, acc);
        return Vector256.FusedMultiplyAdd(Avx.ConvertToVector256Single(corrections), correction * dx, acc);
    }
}
