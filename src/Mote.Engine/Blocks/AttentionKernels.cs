using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Engine.Blocks;

/// <summary>
/// The inner loops of <see cref="AttentionJob"/> over one tile of a KV head: the scores of a query against a run of
/// keys, the weighted sum of a run of values, and the widening of f16 cache rows. Keys and values are rows
/// <c>stride</c> floats apart (a cache row holds every KV head), <c>head_dim</c> long.
/// <para>
/// Each operation has a scalar reference and Vector512 / Vector256 / Vector128 versions that keep their running
/// values in registers across the tile; the dispatcher takes the widest accelerated width dividing head_dim, else the
/// reference. The width-specific methods are correct on any machine (an unaccelerated width is emulated), so tests
/// run all of them. They are compiled fully optimized from the first call (tier-0 vector code is many times slower,
/// and a prefill may end before tiering catches up).
/// </para>
/// </summary>
internal static class AttentionKernels
{
    /// <summary><c>scores[t] = scale · (query · keys[t])</c> for the <c>scores.Length</c> keys, rows <paramref name="stride"/> apart.</summary>
    public static void Scores(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, int stride, float scale, Span<float> scores)
    {
        var headDim = query.Length;
        if (Vector512.IsHardwareAccelerated && headDim % Vector512<float>.Count == 0)
            Scores512(query, keys, stride, scale, scores);
        else if (Vector256.IsHardwareAccelerated && headDim % Vector256<float>.Count == 0)
            Scores256(query, keys, stride, scale, scores);
        else if (Vector128.IsHardwareAccelerated && headDim % Vector128<float>.Count == 0)
            Scores128(query, keys, stride, scale, scores);
        else
            ScoresReference(query, keys, stride, scale, scores);
    }

    /// <summary><c>accumulator += Σ_t weights[t] · values[t]</c>, value rows <paramref name="stride"/> apart.</summary>
    public static void Accumulate(ReadOnlySpan<float> values, int stride, ReadOnlySpan<float> weights, Span<float> accumulator)
    {
        var headDim = accumulator.Length;
        if (Vector512.IsHardwareAccelerated && headDim % Vector512<float>.Count == 0)
            Accumulate512(values, stride, weights, accumulator);
        else if (Vector256.IsHardwareAccelerated && headDim % Vector256<float>.Count == 0)
            Accumulate256(values, stride, weights, accumulator);
        else if (Vector128.IsHardwareAccelerated && headDim % Vector128<float>.Count == 0)
            Accumulate128(values, stride, weights, accumulator);
        else
            AccumulateReference(values, stride, weights, accumulator);
    }

    /// <summary>
    /// Widens <paramref name="rows"/> f16 rows of <paramref name="headDim"/> values, <paramref name="stride"/> apart in
    /// <paramref name="source"/>, into <paramref name="destination"/> (head_dim apart). Exact, like <c>(float)half</c>.
    /// </summary>
    public static void Widen(ReadOnlySpan<Half> source, int stride, int rows, int headDim, Span<float> destination)
    {
        if (Vector512.IsHardwareAccelerated && headDim % Vector512<float>.Count == 0)
            Widen512(source, stride, rows, headDim, destination);
        else if (Vector256.IsHardwareAccelerated && headDim % Vector256<float>.Count == 0)
            Widen256(source, stride, rows, headDim, destination);
        else
            WidenReference(source, stride, rows, headDim, destination);
    }

    // ---- Scores ------------------------------------------------------------------------------------------------

    internal static void ScoresReference(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, int stride, float scale, Span<float> scores)
    {
        for (var t = 0; t < scores.Length; t++)
        {
            var key = keys.Slice(t * stride, query.Length);
            var dot = 0f;
            for (var d = 0; d < query.Length; d++)
                dot += query[d] * key[d];
            scores[t] = dot * scale;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Scores512(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, int stride, float scale, Span<float> scores)
    {
        int headDim = query.Length, n = scores.Length, width = Vector512<float>.Count;
        CheckRows(keys.Length, n, stride, headDim, width);
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var k = ref MemoryMarshal.GetReference(keys);
        ref var s = ref MemoryMarshal.GetReference(scores);
        var t = 0;
        if (headDim == 4 * width)
        {
            // head_dim 64: the query lives in four registers for the whole tile; eight keys at a time are summed
            // across lanes together.
            Vector512<float> q0 = Vector512.LoadUnsafe(ref q), q1 = Vector512.LoadUnsafe(ref q, 16),
                q2 = Vector512.LoadUnsafe(ref q, 32), q3 = Vector512.LoadUnsafe(ref q, 48);
            for (; t + 8 <= n; t += 8)
            {
                ref var key = ref Unsafe.Add(ref k, (nint)t * stride);
                var sums = SumEach(
                    Dot64(q0, q1, q2, q3, ref key), Dot64(q0, q1, q2, q3, ref Unsafe.Add(ref key, stride)),
                    Dot64(q0, q1, q2, q3, ref Unsafe.Add(ref key, 2 * stride)), Dot64(q0, q1, q2, q3, ref Unsafe.Add(ref key, 3 * stride)),
                    Dot64(q0, q1, q2, q3, ref Unsafe.Add(ref key, 4 * stride)), Dot64(q0, q1, q2, q3, ref Unsafe.Add(ref key, 5 * stride)),
                    Dot64(q0, q1, q2, q3, ref Unsafe.Add(ref key, 6 * stride)), Dot64(q0, q1, q2, q3, ref Unsafe.Add(ref key, 7 * stride)));
                (sums * scale).StoreUnsafe(ref s, (nuint)t);
            }
            for (; t < n; t++)
                Unsafe.Add(ref s, t) = Vector512.Sum(Dot64(q0, q1, q2, q3, ref Unsafe.Add(ref k, (nint)t * stride))) * scale;
            return;
        }

        for (; t + 8 <= n; t += 8)
        {
            ref var key = ref Unsafe.Add(ref k, (nint)t * stride);
            var sums = SumEach(
                Dot512(ref q, ref key, headDim), Dot512(ref q, ref Unsafe.Add(ref key, stride), headDim),
                Dot512(ref q, ref Unsafe.Add(ref key, 2 * stride), headDim), Dot512(ref q, ref Unsafe.Add(ref key, 3 * stride), headDim),
                Dot512(ref q, ref Unsafe.Add(ref key, 4 * stride), headDim), Dot512(ref q, ref Unsafe.Add(ref key, 5 * stride), headDim),
                Dot512(ref q, ref Unsafe.Add(ref key, 6 * stride), headDim), Dot512(ref q, ref Unsafe.Add(ref key, 7 * stride), headDim));
            (sums * scale).StoreUnsafe(ref s, (nuint)t);
        }
        for (; t < n; t++)
            Unsafe.Add(ref s, t) = Vector512.Sum(Dot512(ref q, ref Unsafe.Add(ref k, (nint)t * stride), headDim)) * scale;
    }

    /// <summary>Lane-wise products of a 64-float query (four registers) and key, summed over the four registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Dot64(Vector512<float> q0, Vector512<float> q1, Vector512<float> q2, Vector512<float> q3, ref float key)
    {
        var a = q0 * Vector512.LoadUnsafe(ref key);
        var b = q1 * Vector512.LoadUnsafe(ref key, 16);
        a = Vector512.MultiplyAddEstimate(q2, Vector512.LoadUnsafe(ref key, 32), a);
        b = Vector512.MultiplyAddEstimate(q3, Vector512.LoadUnsafe(ref key, 48), b);
        return a + b;
    }

    /// <summary>Lane-wise products of a query and key of any multiple of 16 floats, summed over registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Dot512(ref float q, ref float key, int headDim)
    {
        const int width = 16;
        Vector512<float> a = Vector512<float>.Zero, b = Vector512<float>.Zero;
        var d = 0;
        for (; d + 2 * width <= headDim; d += 2 * width)
        {
            a = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref q, (nuint)d), Vector512.LoadUnsafe(ref key, (nuint)d), a);
            b = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref q, (nuint)(d + width)), Vector512.LoadUnsafe(ref key, (nuint)(d + width)), b);
        }
        if (d < headDim)
            a = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref q, (nuint)d), Vector512.LoadUnsafe(ref key, (nuint)d), a);
        return a + b;
    }

    /// <summary>
    /// The lane sums of eight vectors as one: lane j of the result is Σ x_j. Three rounds fold pairs so that lane i
    /// keeps the vector whose index has bit s of i (s = 1, 2, 4), summing lanes i and i ^ s; then the halves add.
    /// About five operations a key instead of <see cref="Vector512.Sum{T}"/>'s two dozen.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SumEach(Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3,
        Vector512<float> x4, Vector512<float> x5, Vector512<float> x6, Vector512<float> x7)
    {
        var swap1 = Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
        var keep1 = Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0).AsSingle();
        var swap2 = Vector512.Create(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
        var keep2 = Vector512.Create(-1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0).AsSingle();
        var swap4 = Vector512.Create(4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
        var keep4 = Vector512.Create(-1, -1, -1, -1, 0, 0, 0, 0, -1, -1, -1, -1, 0, 0, 0, 0).AsSingle();
        var y0 = Fold(x0, x1, swap1, keep1);
        var y1 = Fold(x2, x3, swap1, keep1);
        var y2 = Fold(x4, x5, swap1, keep1);
        var y3 = Fold(x6, x7, swap1, keep1);
        var z0 = Fold(y0, y1, swap2, keep2);
        var z1 = Fold(y2, y3, swap2, keep2);
        var w = Fold(z0, z1, swap4, keep4);
        return w.GetLower() + w.GetUpper();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fold(Vector512<float> x, Vector512<float> y, Vector512<int> swap, Vector512<float> keepX) =>
        Vector512.ConditionalSelect(keepX, x, Vector512.Shuffle(y, swap)) + Vector512.ConditionalSelect(keepX, Vector512.Shuffle(x, swap), y);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Scores256(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, int stride, float scale, Span<float> scores)
    {
        int headDim = query.Length, n = scores.Length, width = Vector256<float>.Count;
        CheckRows(keys.Length, n, stride, headDim, width);
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var k = ref MemoryMarshal.GetReference(keys);
        ref var s = ref MemoryMarshal.GetReference(scores);
        var t = Avx.IsSupported ? Scores256By8(ref q, ref k, stride, headDim, n, scale, ref s) : 0;
        for (; t < n; t++)
        {
            ref var key = ref Unsafe.Add(ref k, (nint)t * stride);
            Vector256<float> a = Vector256<float>.Zero, b = Vector256<float>.Zero;
            var d = 0;
            for (; d + 2 * width <= headDim; d += 2 * width)
            {
                a = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref q, (nuint)d), Vector256.LoadUnsafe(ref key, (nuint)d), a);
                b = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref q, (nuint)(d + width)), Vector256.LoadUnsafe(ref key, (nuint)(d + width)), b);
            }
            if (d < headDim)
                a = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref q, (nuint)d), Vector256.LoadUnsafe(ref key, (nuint)d), a);
            Unsafe.Add(ref s, t) = Vector256.Sum(a + b) * scale;
        }
    }

    /// <summary>
    /// Scores of eight keys at a time (AVX): each query vector loaded once for the eight, one accumulator per key,
    /// and the eight horizontal sums folded together by three rounds of <c>vhaddps</c> and a lane swap instead of
    /// eight separate reductions (which cost as much as the multiplies at head_dim 64). Returns the keys done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Scores256By8(ref float q, ref float k, int stride, int headDim, int n, float scale, ref float s)
    {
        var t = 0;
        for (; t + 8 <= n; t += 8)
        {
            ref var k0 = ref Unsafe.Add(ref k, (nint)t * stride);
            ref var k1 = ref Unsafe.Add(ref k0, stride);
            ref var k2 = ref Unsafe.Add(ref k1, stride);
            ref var k3 = ref Unsafe.Add(ref k2, stride);
            ref var k4 = ref Unsafe.Add(ref k3, stride);
            ref var k5 = ref Unsafe.Add(ref k4, stride);
            ref var k6 = ref Unsafe.Add(ref k5, stride);
            ref var k7 = ref Unsafe.Add(ref k6, stride);
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (nuint d = 0; d < (nuint)headDim; d += 8)
            {
                var query = Vector256.LoadUnsafe(ref q, d);
                a0 = Vector256.MultiplyAddEstimate(query, Vector256.LoadUnsafe(ref k0, d), a0);
                a1 = Vector256.MultiplyAddEstimate(query, Vector256.LoadUnsafe(ref k1, d), a1);
                a2 = Vector256.MultiplyAddEstimate(query, Vector256.LoadUnsafe(ref k2, d), a2);
                a3 = Vector256.MultiplyAddEstimate(query, Vector256.LoadUnsafe(ref k3, d), a3);
                a4 = Vector256.MultiplyAddEstimate(query, Vector256.LoadUnsafe(ref k4, d), a4);
                a5 = Vector256.MultiplyAddEstimate(query, Vector256.LoadUnsafe(ref k5, d), a5);
                a6 = Vector256.MultiplyAddEstimate(query, Vector256.LoadUnsafe(ref k6, d), a6);
                a7 = Vector256.MultiplyAddEstimate(query, Vector256.LoadUnsafe(ref k7, d), a7);
            }
            // Lane j of first (second) holds key j's (4 + j's) low-half sum in the low 128 bits, high-half sum above.
            var first = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            var second = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
            var sums = Avx.Permute2x128(first, second, 0x20) + Avx.Permute2x128(first, second, 0x31);
            (sums * scale).StoreUnsafe(ref s, (nuint)t);
        }
        return t;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Scores128(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, int stride, float scale, Span<float> scores)
    {
        int headDim = query.Length, n = scores.Length, width = Vector128<float>.Count;
        CheckRows(keys.Length, n, stride, headDim, width);
        ref var q = ref MemoryMarshal.GetReference(query);
        ref var k = ref MemoryMarshal.GetReference(keys);
        ref var s = ref MemoryMarshal.GetReference(scores);
        for (var t = 0; t < n; t++)
        {
            ref var key = ref Unsafe.Add(ref k, (nint)t * stride);
            Vector128<float> a = Vector128<float>.Zero, b = Vector128<float>.Zero;
            var d = 0;
            for (; d + 2 * width <= headDim; d += 2 * width)
            {
                a = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref q, (nuint)d), Vector128.LoadUnsafe(ref key, (nuint)d), a);
                b = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref q, (nuint)(d + width)), Vector128.LoadUnsafe(ref key, (nuint)(d + width)), b);
            }
            if (d < headDim)
                a = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref q, (nuint)d), Vector128.LoadUnsafe(ref key, (nuint)d), a);
            Unsafe.Add(ref s, t) = Vector128.Sum(a + b) * scale;
        }
    }

    // ---- Accumulate --------------------------------------------------------------------------------------------

    internal static void AccumulateReference(ReadOnlySpan<float> values, int stride, ReadOnlySpan<float> weights, Span<float> accumulator)
    {
        for (var t = 0; t < weights.Length; t++)
        {
            var value = values.Slice(t * stride, accumulator.Length);
            for (var d = 0; d < accumulator.Length; d++)
                accumulator[d] += weights[t] * value[d];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Accumulate512(ReadOnlySpan<float> values, int stride, ReadOnlySpan<float> weights, Span<float> accumulator)
    {
        int headDim = accumulator.Length, n = weights.Length, width = Vector512<float>.Count;
        CheckRows(values.Length, n, stride, headDim, width);
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var w = ref MemoryMarshal.GetReference(weights);
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        if (headDim == 4 * width)
        {
            // head_dim 64: two keys per step into two register sets (eight independent FMA chains).
            Vector512<float> a0 = Vector512.LoadUnsafe(ref acc), a1 = Vector512.LoadUnsafe(ref acc, 16),
                a2 = Vector512.LoadUnsafe(ref acc, 32), a3 = Vector512.LoadUnsafe(ref acc, 48);
            Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
            var t = 0;
            for (; t + 2 <= n; t += 2)
            {
                ref var row = ref Unsafe.Add(ref v, (nint)t * stride);
                var weight = Vector512.Create(Unsafe.Add(ref w, t));
                a0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref row), weight, a0);
                a1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref row, 16), weight, a1);
                a2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref row, 32), weight, a2);
                a3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref row, 48), weight, a3);
                ref var next = ref Unsafe.Add(ref row, stride);
                weight = Vector512.Create(Unsafe.Add(ref w, t + 1));
                b0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref next), weight, b0);
                b1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref next, 16), weight, b1);
                b2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref next, 32), weight, b2);
                b3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref next, 48), weight, b3);
            }
            if (t < n)
            {
                ref var row = ref Unsafe.Add(ref v, (nint)t * stride);
                var weight = Vector512.Create(Unsafe.Add(ref w, t));
                a0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref row), weight, a0);
                a1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref row, 16), weight, a1);
                a2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref row, 32), weight, a2);
                a3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref row, 48), weight, a3);
            }
            (a0 + b0).StoreUnsafe(ref acc);
            (a1 + b1).StoreUnsafe(ref acc, 16);
            (a2 + b2).StoreUnsafe(ref acc, 32);
            (a3 + b3).StoreUnsafe(ref acc, 48);
            return;
        }

        // Any multiple of 16: one register-wide column of the accumulator at a time, across the whole tile.
        for (var d = 0; d < headDim; d += width)
        {
            ref var column = ref Unsafe.Add(ref v, d);
            Vector512<float> a = Vector512.LoadUnsafe(ref acc, (nuint)d), b = Vector512<float>.Zero;
            var t = 0;
            for (; t + 2 <= n; t += 2)
            {
                a = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref Unsafe.Add(ref column, (nint)t * stride)), Vector512.Create(Unsafe.Add(ref w, t)), a);
                b = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref Unsafe.Add(ref column, (nint)(t + 1) * stride)), Vector512.Create(Unsafe.Add(ref w, t + 1)), b);
            }
            if (t < n)
                a = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref Unsafe.Add(ref column, (nint)t * stride)), Vector512.Create(Unsafe.Add(ref w, t)), a);
            (a + b).StoreUnsafe(ref acc, (nuint)d);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Accumulate256(ReadOnlySpan<float> values, int stride, ReadOnlySpan<float> weights, Span<float> accumulator)
    {
        int headDim = accumulator.Length, n = weights.Length, width = Vector256<float>.Count;
        CheckRows(values.Length, n, stride, headDim, width);
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var w = ref MemoryMarshal.GetReference(weights);
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        var d = 0;

        // 64 columns at a time, one key per step into eight accumulators: eight independent FMA chains and one weight
        // broadcast per key. Column by column across the tile (below) leaves two chains per column, bound by the
        // FMA's latency: a quarter of the throughput, 7% of a server's eight-stream decode profile.
        for (; d + 8 * width <= headDim; d += 8 * width)
        {
            ref var column = ref Unsafe.Add(ref v, d);
            ref var sums = ref Unsafe.Add(ref acc, d);
            Vector256<float> a0 = Vector256.LoadUnsafe(ref sums), a1 = Vector256.LoadUnsafe(ref sums, 8),
                a2 = Vector256.LoadUnsafe(ref sums, 16), a3 = Vector256.LoadUnsafe(ref sums, 24),
                a4 = Vector256.LoadUnsafe(ref sums, 32), a5 = Vector256.LoadUnsafe(ref sums, 40),
                a6 = Vector256.LoadUnsafe(ref sums, 48), a7 = Vector256.LoadUnsafe(ref sums, 56);
            for (var t = 0; t < n; t++)
            {
                ref var row = ref Unsafe.Add(ref column, (nint)t * stride);
                var weight = Vector256.Create(Unsafe.Add(ref w, t));
                a0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row), weight, a0);
                a1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, 8), weight, a1);
                a2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, 16), weight, a2);
                a3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, 24), weight, a3);
                a4 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, 32), weight, a4);
                a5 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, 40), weight, a5);
                a6 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, 48), weight, a6);
                a7 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref row, 56), weight, a7);
            }
            a0.StoreUnsafe(ref sums);
            a1.StoreUnsafe(ref sums, 8);
            a2.StoreUnsafe(ref sums, 16);
            a3.StoreUnsafe(ref sums, 24);
            a4.StoreUnsafe(ref sums, 32);
            a5.StoreUnsafe(ref sums, 40);
            a6.StoreUnsafe(ref sums, 48);
            a7.StoreUnsafe(ref sums, 56);
        }

        // The remaining columns (head_dim not a multiple of 64): one register-wide column at a time across the tile.
        for (; d < headDim; d += width)
        {
            ref var column = ref Unsafe.Add(ref v, d);
            Vector256<float> a = Vector256.LoadUnsafe(ref acc, (nuint)d), b = Vector256<float>.Zero;
            var t = 0;
            for (; t + 2 <= n; t += 2)
            {
                a = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref Unsafe.Add(ref column, (nint)t * stride)), Vector256.Create(Unsafe.Add(ref w, t)), a);
                b = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref Unsafe.Add(ref column, (nint)(t + 1) * stride)), Vector256.Create(Unsafe.Add(ref w, t + 1)), b);
            }
            if (t < n)
                a = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref Unsafe.Add(ref column, (nint)t * stride)), Vector256.Create(Unsafe.Add(ref w, t)), a);
            (a + b).StoreUnsafe(ref acc, (nuint)d);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Accumulate128(ReadOnlySpan<float> values, int stride, ReadOnlySpan<float> weights, Span<float> accumulator)
    {
        int headDim = accumulator.Length, n = weights.Length, width = Vector128<float>.Count;
        CheckRows(values.Length, n, stride, headDim, width);
        ref var v = ref MemoryMarshal.GetReference(values);
        ref var w = ref MemoryMarshal.GetReference(weights);
        ref var acc = ref MemoryMarshal.GetReference(accumulator);
        for (var d = 0; d < headDim; d += width)
        {
            ref var column = ref Unsafe.Add(ref v, d);
            Vector128<float> a = Vector128.LoadUnsafe(ref acc, (nuint)d), b = Vector128<float>.Zero;
            var t = 0;
            for (; t + 2 <= n; t += 2)
            {
                a = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref Unsafe.Add(ref column, (nint)t * stride)), Vector128.Create(Unsafe.Add(ref w, t)), a);
                b = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref Unsafe.Add(ref column, (nint)(t + 1) * stride)), Vector128.Create(Unsafe.Add(ref w, t + 1)), b);
            }
            if (t < n)
                a = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref Unsafe.Add(ref column, (nint)t * stride)), Vector128.Create(Unsafe.Add(ref w, t)), a);
            (a + b).StoreUnsafe(ref acc, (nuint)d);
        }
    }

    // ---- Widen (f16 → f32) -------------------------------------------------------------------------------------

    internal static void WidenReference(ReadOnlySpan<Half> source, int stride, int rows, int headDim, Span<float> destination)
    {
        for (var t = 0; t < rows; t++)
            for (var d = 0; d < headDim; d++)
                destination[t * headDim + d] = (float)source[t * stride + d];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Widen512(ReadOnlySpan<Half> source, int stride, int rows, int headDim, Span<float> destination)
    {
        const int width = 16;
        CheckRows(source.Length, rows, stride, headDim, width);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, rows * headDim);
        ref var h = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<Half, ushort>(source));
        ref var f = ref MemoryMarshal.GetReference(destination);
        for (var t = 0; t < rows; t++)
        {
            ref var from = ref Unsafe.Add(ref h, (nint)t * stride);
            ref var to = ref Unsafe.Add(ref f, (nint)t * headDim);
            for (var d = 0; d < headDim; d += width)
            {
                var bits = Vector512.WidenLower(Vector256.LoadUnsafe(ref from, (nuint)d).ToVector512Unsafe());
                HalfToSingle(bits).StoreUnsafe(ref to, (nuint)d);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Widen256(ReadOnlySpan<Half> source, int stride, int rows, int headDim, Span<float> destination)
    {
        const int width = 8;
        CheckRows(source.Length, rows, stride, headDim, width);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, rows * headDim);
        ref var h = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<Half, ushort>(source));
        ref var f = ref MemoryMarshal.GetReference(destination);
        for (var t = 0; t < rows; t++)
        {
            ref var from = ref Unsafe.Add(ref h, (nint)t * stride);
            ref var to = ref Unsafe.Add(ref f, (nint)t * headDim);
            for (var d = 0; d < headDim; d += width)
            {
                var bits = Vector256.WidenLower(Vector128.LoadUnsafe(ref from, (nuint)d).ToVector256Unsafe());
                HalfToSingle(bits).StoreUnsafe(ref to, (nuint)d);
            }
        }
    }

    // IEEE binary16 bits (zero-extended) to binary32, exactly: move exponent and fraction up 13 bits and rebias the
    // exponent by 112 (normal), to 255 (infinity, NaN), or, for a subnormal, add 2^-14 as an implicit one and
    // subtract it again in floating point (exact, and no subnormal ever reaches the FPU).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> HalfToSingle(Vector512<uint> bits)
    {
        var exponent = bits & Vector512.Create(0x7C00u);
        var subnormal = Vector512.Equals(exponent, Vector512<uint>.Zero);
        var special = Vector512.Equals(exponent, Vector512.Create(0x7C00u));
        var bias = Vector512.ConditionalSelect(special, Vector512.Create(0x7000_0000u), Vector512.Create(0x3800_0000u))
            + (subnormal & Vector512.Create(0x0080_0000u));
        var magnitude = (((bits & Vector512.Create(0x7FFFu)) << 13) + bias).AsSingle()
            - (subnormal & Vector512.Create(0x3880_0000u)).AsSingle();
        return (magnitude.AsUInt32() | ((bits & Vector512.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> HalfToSingle(Vector256<uint> bits)
    {
        var exponent = bits & Vector256.Create(0x7C00u);
        var subnormal = Vector256.Equals(exponent, Vector256<uint>.Zero);
        var special = Vector256.Equals(exponent, Vector256.Create(0x7C00u));
        var bias = Vector256.ConditionalSelect(special, Vector256.Create(0x7000_0000u), Vector256.Create(0x3800_0000u))
            + (subnormal & Vector256.Create(0x0080_0000u));
        var magnitude = (((bits & Vector256.Create(0x7FFFu)) << 13) + bias).AsSingle()
            - (subnormal & Vector256.Create(0x3880_0000u)).AsSingle();
        return (magnitude.AsUInt32() | ((bits & Vector256.Create(0x8000u)) << 16)).AsSingle();
    }

    /// <summary>The unchecked loads stay inside the span: <paramref name="rows"/> rows of head_dim, stride apart.</summary>
    private static void CheckRows(int length, int rows, int stride, int headDim, int width)
    {
        if (headDim % width != 0)
            throw new ArgumentException($"head_dim {headDim} is not a multiple of the vector width {width}.", nameof(headDim));
        if (rows > 0 && (long)(rows - 1) * stride + headDim > length)
            throw new ArgumentOutOfRangeException(nameof(rows), $"{rows} rows of {headDim}, {stride} apart, overrun a span of {length}.");
    }
}
