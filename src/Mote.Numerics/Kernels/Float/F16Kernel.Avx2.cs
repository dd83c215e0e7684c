using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Float;

/// <summary>
/// f16 weights with AVX2. Decode widens each half with <see cref="F16KernelAvx512"/>'s exact trick in 256-bit
/// lanes: a load of 16 halves is 8 dwords; an arithmetic shift right by 3 and a mask turn the high halves (odd
/// elements) into f32 values w · 2^-112, a shift left by 16 first does the same for the low halves (even
/// elements), 5 integer operations per 16 elements instead of 16 for the general widening. The prepared
/// activations hold x · 2^112, de-interleaved per 16 elements (8 even, then 8 odd), so every product is
/// w · x exactly and each FMA rounds as on the unscaled operands. A token with some finite |x| ≥ 2^16 (which
/// would overflow when scaled), and a tile whose weights hold ±Inf or NaN, take the exact path
/// (<see cref="FloatKernelAvx2{TRow}"/>), which also does every prefill.
/// </summary>
internal sealed unsafe class F16KernelAvx2 : MatMulKernel
{
    private const int Block = 16; // halves per 256-bit load
    private const int HeaderBytes = 64; // a flag (1 when every scaled value is exact), then the scaled floats
    private const int FieldMask = unchecked((int)0x8FFFE000);
    private const float Scale = 5.192296858534828e33f; // 2^112
    private const uint FirstUnsafe = 0x47800000u; // 2^16

    private readonly FloatKernelAvx2<F16Row> _exact = new();

    public override int ActivationBytes(int cols) => HeaderBytes + (cols / Block * Block * sizeof(float) + 63) / 64 * 64;

    // Decode prepares scaled activations; prefill is the exact kernel's (which packs them for its GEMM).
    public override int ActivationBytes(int cols, int tokens) => tokens == 1 ? ActivationBytes(cols) : _exact.ActivationBytes(cols, tokens);

    public override long ActivationBufferBytes(int cols, int tokens) =>
        tokens == 1 ? ActivationBytes(cols) : _exact.ActivationBufferBytes(cols, tokens);

    public override void Prepare(in MatMulArgs args, int t)
    {
        if (args.Tokens == 1)
            base.Prepare(args, t);
        else
            _exact.Prepare(args, t);
    }

    public override int RowTile => _exact.RowTile;

    public override int ScratchFloats(int cols) => _exact.ScratchFloats(cols);

    public override int ScratchFloats(int cols, int tokens) => _exact.ScratchFloats(cols, tokens);

    /// <summary>Writes x · 2^112 for the whole 16-element blocks, each de-interleaved, after the header.</summary>
    public override void PrepareActivations(float* x, int cols, byte* destination)
    {
        var output = (float*)(destination + HeaderBytes);
        var scale = Vector256.Create(Scale);
        var unsafeLanes = Vector256<uint>.Zero;
        var c = 0;
        for (; c + Block <= cols; c += Block)
        {
            var lo = Vector256.Load(x + c);
            var hi = Vector256.Load(x + c + 8);
            var magnitude = Vector256.Max(lo.AsUInt32() & Vector256.Create(0x7FFFFFFFu), hi.AsUInt32() & Vector256.Create(0x7FFFFFFFu));
            unsafeLanes |= Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(FirstUnsafe))
                & Vector256.LessThan(magnitude, Vector256.Create(0x7F800000u));
            // Evens (0, 2, .. 14) and odds: shuffles within 128-bit lanes, then one cross-lane permute each.
            var even = Avx.Shuffle(lo, hi, 0b10_00_10_00);
            var odd = Avx.Shuffle(lo, hi, 0b11_01_11_01);
            (Avx2.Permute4x64(even.AsDouble(), 0b11_01_10_00).AsSingle() * scale).Store(output + c);
            (Avx2.Permute4x64(odd.AsDouble(), 0b11_01_10_00).AsSingle() * scale).Store(output + c + 8);
        }
        *(int*)destination = unsafeLanes == Vector256<uint>.Zero ? 1 : 0;
    }

    public override void ExpandActivations(byte* prepared, int cols, float* destination)
    {
        var scaled = (float*)(prepared + HeaderBytes);
        for (var c = 0; c + Block <= cols; c += Block)
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
        if (args.Tokens != 1 || *(int*)args.Activations == 0)
        {
            _exact.Compute(args, rowStart, rowEnd, scratch);
            return;
        }
        var rowBytes = args.RowBytes;
        var scaled = (float*)(args.Activations + HeaderBytes);
        for (var r = rowStart; r < rowEnd; r += 4)
        {
            var valid = FloatKernelAvx2<F16Row>.Rows(args.Weights + r * rowBytes, rowBytes, rowEnd - r, out var w0, out var w1, out var w2, out var w3);
            if (!Tile4x1(w0, w1, w2, w3, scaled, args.X, args.Cols, args.Y + r, valid))
                FloatKernelAvx2<F16Row>.Tile4x1(w0, w1, w2, w3, args.X, args.Cols, args.Y + r, valid, accumulate: false);
        }
    }

    /// <summary>Low halves of each dword (even elements) as f32 · 2^-112.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Low(Vector256<int> pairs, Vector256<int> mask) =>
        (Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(pairs, 16), 3) & mask).AsSingle();

    /// <summary>High halves of each dword (odd elements) as f32 · 2^-112.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> High(Vector256<int> pairs, Vector256<int> mask) =>
        (Vector256.ShiftRightArithmetic(pairs, 3) & mask).AsSingle();

    /// <summary>
    /// Four rows against one token's scaled activations; false (nothing written) when a row holds ±Inf or NaN in
    /// its vectorized part (signed max of the halves catches +Inf/NaN ≥ 0x7C00, unsigned max −Inf/NaN ≥ 0xFC00).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Tile4x1(byte* w0, byte* w1, byte* w2, byte* w3, float* scaled, float* x, int cols, float* y, int valid)
    {
        var mask = Vector256.Create(FieldMask);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<short> maxSigned = default;
        Vector256<ushort> maxUnsigned = default;
        var ahead = 4 * (nint)cols * sizeof(ushort);
        var c = 0;
        for (; c + Block <= cols; c += Block)
        {
            var xe = Vector256.Load(scaled + c);
            var xo = Vector256.Load(scaled + c + 8);
            var o = (nint)c * sizeof(ushort);
            var p0 = Vector256.Load((int*)(w0 + o));
            var p1 = Vector256.Load((int*)(w1 + o));
            var p2 = Vector256.Load((int*)(w2 + o));
            var p3 = Vector256.Load((int*)(w3 + o));
            // The next tile's four rows, as far along: rows of a few KB are too short for the hardware prefetcher
            // to ramp up on its four interleaved streams (measured: 576 columns 153 -> 113-118 µs per 1536 rows,
            // 2048 columns 460 -> 400, single thread; prefetching once per cache line instead was no faster).
            Sse.Prefetch0(w0 + o + ahead);
            Sse.Prefetch0(w1 + o + ahead);
            Sse.Prefetch0(w2 + o + ahead);
            Sse.Prefetch0(w3 + o + ahead);
            a0 = Vector256.FusedMultiplyAdd(High(p0, mask), xo, Vector256.FusedMultiplyAdd(Low(p0, mask), xe, a0));
            a1 = Vector256.FusedMultiplyAdd(High(p1, mask), xo, Vector256.FusedMultiplyAdd(Low(p1, mask), xe, a1));
            a2 = Vector256.FusedMultiplyAdd(High(p2, mask), xo, Vector256.FusedMultiplyAdd(Low(p2, mask), xe, a2));
            a3 = Vector256.FusedMultiplyAdd(High(p3, mask), xo, Vector256.FusedMultiplyAdd(Low(p3, mask), xe, a3));
            maxSigned = Vector256.Max(maxSigned, Vector256.Max(Vector256.Max(p0.AsInt16(), p1.AsInt16()), Vector256.Max(p2.AsInt16(), p3.AsInt16())));
            maxUnsigned = Vector256.Max(maxUnsigned, Vector256.Max(Vector256.Max(p0.AsUInt16(), p1.AsUInt16()), Vector256.Max(p2.AsUInt16(), p3.AsUInt16())));
        }
        if (Vector256.GreaterThanOrEqualAny(maxSigned, Vector256.Create((short)0x7C00))
            || Vector256.GreaterThanOrEqualAny(maxUnsigned, Vector256.Create((ushort)0xFC00)))
            return false;
        float s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
        for (; c < cols; c++)
        {
            var o = (nint)c * sizeof(ushort);
            s0 += F16Row.Load1(w0 + o) * x[c];
            s1 += F16Row.Load1(w1 + o) * x[c];
            s2 += F16Row.Load1(w2 + o) * x[c];
            s3 += F16Row.Load1(w3 + o) * x[c];
        }
        FloatKernelAvx2<F16Row>.Store(y, valid, s0, s1, s2, s3);
        return true;
    }
}
