using System.Runtime.CompilerServices;

namespace Mote.Numerics.Kernels.Float;

/// <summary>
/// Activations packed for the outer-product GEMMs (<see cref="FloatGemmAvx2{TRows}"/>, <see cref="FloatGemmAvx512{TRow}"/>),
/// by token, so that one vector load holds one column of <c>lanes</c> tokens:
/// <code>
/// block b: tokens lanes·b .. lanes·b + lanes − 1, column-major (cols × lanes floats); lanes past the last token 0
/// </code>
/// </summary>
internal static unsafe class PackedTokens
{
    /// <summary>The token count rounded up to whole blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Padded(int tokens, int lanes) => (tokens + lanes - 1) / lanes * lanes;

    /// <summary>Bytes of packed activations for <paramref name="tokens"/> tokens.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Bytes(int cols, int tokens, int lanes) => (long)Padded(tokens, lanes) * cols * sizeof(float);

    /// <summary>Where token <paramref name="t"/>'s first value is (its next ones <paramref name="lanes"/> apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float* Lane(float* packed, int cols, int t, int lanes) => packed + (long)(t / lanes) * lanes * cols + t % lanes;

    /// <summary>
    /// Writes token <paramref name="t"/> of <paramref name="tokens"/> (<paramref name="x"/>, <paramref name="cols"/>
    /// floats) into its lane; the last token also zeroes the lanes after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pack(float* x, int cols, int t, int tokens, int lanes, float* packed)
    {
        var lane = Lane(packed, cols, t, lanes);
        for (var c = 0; c < cols; c++)
            lane[(long)c * lanes] = x[c];
        if (t != tokens - 1)
            return;
        for (var c = 0; c < cols; c++)
        {
            for (var l = t % lanes + 1; l < lanes; l++)
                lane[(long)c * lanes + l - t % lanes] = 0;
        }
    }

    /// <summary>Token <paramref name="t"/>'s values back in order (for tests).</summary>
    public static void Unpack(float* packed, int cols, int t, int lanes, float* x)
    {
        var lane = Lane(packed, cols, t, lanes);
        for (var c = 0; c < cols; c++)
            x[c] = lane[(long)c * lanes];
    }
}
