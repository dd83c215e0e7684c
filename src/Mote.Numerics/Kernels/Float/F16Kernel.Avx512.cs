using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Float;

/// <summary>
/// f16 weights with 512-bit FMA. Prefill of 16 tokens or more is <see cref="FloatGemmAvx512{TRow}"/> (each weight
/// widened once per call, then broadcast against 16 tokens at a time); smaller batches take
/// <see cref="FloatKernelAvx512{TRow}"/>'s dot-product tiles. Decode reads every weight once per
/// token and is bound by the widening, so it uses a cheaper one, exact through a rescaling of the activations:
/// <list type="bullet">
/// <item>A 512-bit load holds 32 halves as 16 pairs (odd element in the high half of each dword). An arithmetic
/// shift right by 3 moves the high half into f32 position (sign at bit 31, exponent at 27..23, mantissa at
/// 22..13) with sign copies in bits 30..28 and bits of the low half below bit 13; masking with 0x8FFFE000
/// clears both. Shifting left by 16 first does the same for the low half. That is 5 integer operations per 32
/// elements and no shuffles, but the elements come out de-interleaved (evens, then odds), so the prepared
/// activations are stored in that order.</item>
/// <item>The masked bits read as an f32 equal to <c>w · 2^-112</c> exactly for every finite half: exponents
/// 1..30 stay f32 normals (biased 15 instead of 127), and f16 subnormals (exponent 0, value m · 2^-24)
/// become f32 subnormals m · 2^13 · 2^-149 = m · 2^-24 · 2^-112. Rather than multiply every weight by 2^112,
/// the prepared activations hold <c>x · 2^112</c>, which is exact when |x| &lt; 2^16 (no overflow; powers of two
/// scale exactly, subnormal x included). Then <c>(w · 2^-112) · (x · 2^112) = w · x</c> exactly, and each FMA
/// rounds exactly as it would on the unscaled operands: the products and sums are bit-identical to an FMA
/// loop over exactly widened weights in the same order. Infinite or NaN x scale to themselves, giving the
/// same ±Inf/NaN products. A token with some finite |x| ≥ 2^16 is flagged and takes the exact path.</item>
/// <item>Exponent 31 (±Inf, NaN weights) would read as the finite 2^-96 · 1.m: each tile tracks the largest
/// halves it loaded (signed max catches +Inf/NaN ≥ 0x7C00, unsigned max catches −Inf/NaN ≥ 0xFC00) and
/// recomputes itself on the exact path when it met one.</item>
/// </list>
/// </summary>
internal sealed unsafe class F16KernelAvx512 : MatMulKernel
{
    private const int Block = 32; // halves per 512-bit load
    private const int HeaderBytes = 64; // prepared activations: a flag, then the scaled floats (64-byte aligned)
    private const int FieldMask = unchecked((int)0x8FFFE000);
    private const float Scale = 5.192296858534828e33f; // 2^112
    private const uint FirstUnsafe = 0x47800000u; // 2^16: |x| from here to +Inf (exclusive) overflows when scaled

    /// <summary>Prefills of this many tokens or more take <see cref="FloatGemmAvx512{TRow}"/> (its blocks are 16 tokens).</summary>
    internal const int GemmTokens = 16;

    private readonly FloatKernelAvx512<F16Row> _exact = new();

    public override int ActivationBytes(int cols) => HeaderBytes + (cols / Block * Block * sizeof(float) + 63) / 64 * 64;

    // Decode prepares scaled activations, a prefill of GemmTokens or more packs them for the GEMM; smaller
    // prefills read x as it is.
    public override int ActivationBytes(int cols, int tokens) =>
        tokens == 1 ? ActivationBytes(cols) : tokens >= GemmTokens ? cols * sizeof(float) : 0;

    public override long ActivationBufferBytes(int cols, int tokens) =>
        tokens >= GemmTokens ? FloatGemmAvx512<F16Row>.PackedBytes(cols, tokens) : base.ActivationBufferBytes(cols, tokens);

    public override void Prepare(in MatMulArgs args, int t)
    {
        if (args.Tokens >= GemmTokens)
            FloatGemmAvx512<F16Row>.Pack(args.X + (long)t * args.Cols, args.Cols, t, args.Tokens, (float*)args.Activations);
        else
            base.Prepare(args, t);
    }

    public override int RowTile => FloatGemmAvx512<F16Row>.RowTile;

    public override int ScratchFloats(int cols) => _exact.ScratchFloats(cols);

    public override int ScratchFloats(int cols, int tokens) =>
        tokens >= GemmTokens ? Math.Max(ScratchFloats(cols), FloatGemmAvx512<F16Row>.ScratchFloats(tokens)) : ScratchFloats(cols);

    /// <summary>
    /// Writes <c>x · 2^112</c> for the whole 32-element blocks, each block de-interleaved (its 16 even elements,
    /// then its 16 odd ones), after a header whose first int is 1 when every scaled value is exact.
    /// </summary>
    public override void PrepareActivations(float* x, int cols, byte* destination)
    {
        var output = (float*)(destination + HeaderBytes);
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odd = even + Vector512<int>.One;
        var scale = Vector512.Create(Scale);
        var unsafeLanes = Vector512<uint>.Zero;
        var c = 0;
        for (; c + Block <= cols; c += Block)
        {
            var lo = Vector512.Load(x + c);
            var hi = Vector512.Load(x + c + 16);
            var magnitude = Vector512.Max(lo.AsUInt32() & Vector512.Create(0x7FFFFFFFu), hi.AsUInt32() & Vector512.Create(0x7FFFFFFFu));
            unsafeLanes |= Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(FirstUnsafe))
                & Vector512.LessThan(magnitude, Vector512.Create(0x7F800000u));
            (Avx512F.PermuteVar16x32x2(lo, even, hi) * scale).Store(output + c);
            (Avx512F.PermuteVar16x32x2(lo, odd, hi) * scale).Store(output + c + 16);
        }
        *(int*)destination = unsafeLanes == Vector512<uint>.Zero ? 1 : 0;
    }

    public override void ExpandActivations(byte* prepared, int cols, float* destination)
    {
        var scaled = (float*)(prepared + HeaderBytes);
        var c = 0;
        for (; c + Block <= cols; c += Block)
        {
            for (var i = 0; i < Block / 2; i++)
            {
                destination[c + 2 * i] = scaled[c + i] / Scale;
                destination[c + 2 * i + 1] = scaled[c + Block / 2 + i] / Scale;
            }
        }
    }

    public override void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch)
    {
        if (args.Tokens >= GemmTokens)
        {
            FloatGemmAvx512<F16Row>.Compute(args, rowStart, rowEnd, scratch);
            return;
        }
        if (args.Tokens != 1 || *(int*)args.Activations == 0)
        {
            _exact.Compute(args, rowStart, rowEnd, scratch);
            return;
        }
        var rowBytes = args.RowBytes;
        var scaled = (float*)(args.Activations + HeaderBytes);
        for (var r = rowStart; r < rowEnd; r += 4)
        {
            var valid = FloatKernelAvx512<F16Row>.Rows(args.Weights + r * rowBytes, rowBytes, rowEnd - r, out var w0, out var w1, out var w2, out var w3);
            // The next tile's rows; the last tile prefetches its own again, which costs next to nothing.
            var next = r + 4 < rowEnd ? r + 4 : r;
            FloatKernelAvx512<F16Row>.Rows(args.Weights + next * rowBytes, rowBytes, rowEnd - next, out var n0, out var n1, out var n2, out var n3);
            if (!Tile4x1(w0, w1, w2, w3, n0, n1, n2, n3, scaled, args.X, args.Cols, args.Y + r, valid))
                FloatKernelAvx512<F16Row>.Tile4x1(w0, w1, w2, w3, args.X, args.Cols, args.Y + r, valid, accumulate: false);
        }
    }

    /// <summary>Low halves of each dword as f32 · 2^-112 (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Low(Vector512<int> pairs, Vector512<int> mask) =>
        (Vector512.ShiftRightArithmetic(Vector512.ShiftLeft(pairs, 16), 3) & mask).AsSingle();

    /// <summary>High halves of each dword as f32 · 2^-112.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> High(Vector512<int> pairs, Vector512<int> mask) =>
        (Vector512.ShiftRightArithmetic(pairs, 3) & mask).AsSingle();

    /// <summary>
    /// Four rows against one token's scaled activations; false (nothing written) when a row holds ±Inf or NaN
    /// in its vectorized part, which the caller then computes exactly. While it reads a cache line of each row it
    /// prefetches the same line of the next tile's rows <paramref name="n0"/>..<paramref name="n3"/>: a row of 2048
    /// halves is exactly one 4 KiB page, where the hardware prefetcher stops, so without this every tile would
    /// start with four TLB misses and four cold streams.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Tile4x1(byte* w0, byte* w1, byte* w2, byte* w3, byte* n0, byte* n1, byte* n2, byte* n3,
        float* scaled, float* x, int cols, float* y, int valid)
    {
        var mask = Vector512.Create(FieldMask);
        Vector512<float> e0 = default, e1 = default, e2 = default, e3 = default;
        Vector512<float> o0 = default, o1 = default, o2 = default, o3 = default;
        Vector512<short> maxSigned = default;
        Vector512<ushort> maxUnsigned = default;
        var c = 0;
        for (; c + Block <= cols; c += Block)
        {
            var xe = Vector512.Load(scaled + c);
            var xo = Vector512.Load(scaled + c + 16);
            var o = (nint)c * sizeof(ushort);
            var p0 = Vector512.Load((int*)(w0 + o));
            var p1 = Vector512.Load((int*)(w1 + o));
            var p2 = Vector512.Load((int*)(w2 + o));
            var p3 = Vector512.Load((int*)(w3 + o));
            Sse.Prefetch0(n0 + o);
            Sse.Prefetch0(n1 + o);
            Sse.Prefetch0(n2 + o);
            Sse.Prefetch0(n3 + o);
            e0 = Vector512.FusedMultiplyAdd(Low(p0, mask), xe, e0);
            o0 = Vector512.FusedMultiplyAdd(High(p0, mask), xo, o0);
            e1 = Vector512.FusedMultiplyAdd(Low(p1, mask), xe, e1);
            o1 = Vector512.FusedMultiplyAdd(High(p1, mask), xo, o1);
            e2 = Vector512.FusedMultiplyAdd(Low(p2, mask), xe, e2);
            o2 = Vector512.FusedMultiplyAdd(High(p2, mask), xo, o2);
            e3 = Vector512.FusedMultiplyAdd(Low(p3, mask), xe, e3);
            o3 = Vector512.FusedMultiplyAdd(High(p3, mask), xo, o3);
            maxSigned = Vector512.Max(maxSigned, Vector512.Max(Vector512.Max(p0.AsInt16(), p1.AsInt16()), Vector512.Max(p2.AsInt16(), p3.AsInt16())));
            maxUnsigned = Vector512.Max(maxUnsigned, Vector512.Max(Vector512.Max(p0.AsUInt16(), p1.AsUInt16()), Vector512.Max(p2.AsUInt16(), p3.AsUInt16())));
        }
        if (Vector512.GreaterThanOrEqualAny(maxSigned, Vector512.Create((short)0x7C00))
            || Vector512.GreaterThanOrEqualAny(maxUnsigned, Vector512.Create((ushort)0xFC00)))
            return false;
        float s0 = Vector512.Sum(e0 + o0), s1 = Vector512.Sum(e1 + o1), s2 = Vector512.Sum(e2 + o2), s3 = Vector512.Sum(e3 + o3);
        for (; c < cols; c++)
        {
            var o = (nint)c * sizeof(ushort);
            s0 += F16Row.Load1(w0 + o) * x[c];
            s1 += F16Row.Load1(w1 + o) * x[c];
            s2 += F16Row.Load1(w2 + o) * x[c];
            s3 += F16Row.Load1(w3 + o) * x[c];
        }
        y[0] = s0;
        if (valid > 1)
            y[1] = s1;
        if (valid > 2)
            y[2] = s2;
        if (valid > 3)
            y[3] = s3;
        return true;
    }
}
