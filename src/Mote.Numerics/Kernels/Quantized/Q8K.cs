using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Activations quantized to 8 bits per 256-element super-block for the K-quant kernels (ggml's
/// <c>block_q8_K</c>, padded for alignment). A super-block takes 320 bytes:
/// <code>
/// i8  q[256]      in element order, value = d · q
/// f32 d           at byte 256
/// i16 bsums[16]   at byte 288: sums of each 16 quants (for weight minimums and offsets)
/// </code>
/// With <c>pairedChunks</c> (q4_K) the quants of each 128 elements are stored as elements 0..31, 64..95, 32..63,
/// 96..127, the order of a 64-byte load of q4_K quants split into low and high nibbles; the sums keep element order.
/// </summary>
internal static unsafe class Q8K
{
    public const int SuperBlockBytes = 320;
    public const int Elements = 256;
    private const int ScaleOffset = 256;
    internal const int SumsOffset = 288;

    public static int Bytes(int cols) => cols / Elements * SuperBlockBytes;

    /// <summary>d = max|x| / 127, q = round-to-nearest-even(x / d), per super-block, with AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizeAvx512(float* x, int cols, byte* destination, bool pairedChunks = false)
    {
        for (var b = 0; b < cols / Elements; b++)
        {
            var source = x + b * Elements;
            var block = destination + b * SuperBlockBytes;
            var max = Vector512<float>.Zero;
            for (var i = 0; i < Elements; i += 16)
                max = Vector512.Max(max, Vector512.Abs(Vector512.Load(source + i)));
            var amax = QuantizeLanes.MaxAcross(max);
            var d = amax / 127f;
            var inverse = Vector512.Create(d != 0 ? 1f / d : 0f);
            var sums = (short*)(block + SumsOffset);
            for (var i = 0; i < Elements; i += 16)
            {
                var q = Avx512F.ConvertToVector512Int32(Vector512.Load(source + i) * inverse);
                Avx512F.ConvertToVector128SByteWithSaturation(q).Store((sbyte*)block + (pairedChunks ? Paired(i) : i));
                sums[i / 16] = (short)Vector512.Sum(q);
            }
            *(float*)(block + ScaleOffset) = d;
        }
    }

    /// <summary>
    /// <see cref="QuantizeAvx512"/> with AVX2 (element order only): the same rounding (<c>vcvtps2dq</c>, to nearest
    /// even), then 32-bit lanes packed to bytes (<see cref="QuantizeLanes.StoreBytesAvx2"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizeAvx2(float* x, int cols, byte* destination)
    {
        for (var b = 0; b < cols / Elements; b++)
        {
            var source = x + b * Elements;
            var block = destination + b * SuperBlockBytes;
            var max = Vector256<float>.Zero;
            for (var i = 0; i < Elements; i += 8)
                max = Vector256.Max(max, Vector256.Abs(Vector256.Load(source + i)));
            var amax = QuantizeLanes.MaxAcross(max);
            var d = amax / 127f;
            var inverse = Vector256.Create(d != 0 ? 1f / d : 0f);
            var sums = (short*)(block + SumsOffset);
            for (var i = 0; i < Elements; i += 32)
            {
                var q0 = Avx.ConvertToVector256Int32(Vector256.Load(source + i) * inverse);
                var q1 = Avx.ConvertToVector256Int32(Vector256.Load(source + i + 8) * inverse);
                var q2 = Avx.ConvertToVector256Int32(Vector256.Load(source + i + 16) * inverse);
                var q3 = Avx.ConvertToVector256Int32(Vector256.Load(source + i + 24) * inverse);
                QuantizeLanes.StoreBytesAvx2(q0, q1, q2, q3, (sbyte*)block + i);
                sums[i / 16] = (short)Vector256.Sum(q0 + q1);
                sums[i / 16 + 1] = (short)Vector256.Sum(q2 + q3);
            }
            *(float*)(block + ScaleOffset) = d;
        }
    }

    /// <summary>
    /// <see cref="QuantizeAvx512"/> with portable 128-bit vectors (element order only): the same rounding, to
    /// nearest even.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizeVector128(float* x, int cols, byte* destination)
    {
        for (var b = 0; b < cols / Elements; b++)
        {
            var source = x + b * Elements;
            var block = destination + b * SuperBlockBytes;
            var max = Vector128<float>.Zero;
            for (var i = 0; i < Elements; i += 4)
                max = Vector128.Max(max, Vector128.Abs(Vector128.Load(source + i)));
            var amax = QuantizeLanes.MaxAcross(max);
            var d = amax / 127f;
            var inverse = Vector128.Create(d != 0 ? 1f / d : 0f);
            var sums = (short*)(block + SumsOffset);
            for (var i = 0; i < Elements; i += 16)
            {
                var q0 = Rounded(source + i, inverse);
                var q1 = Rounded(source + i + 4, inverse);
                var q2 = Rounded(source + i + 8, inverse);
                var q3 = Rounded(source + i + 12, inverse);
                Vector128.Narrow(Vector128.Narrow(q0, q1), Vector128.Narrow(q2, q3)).Store((sbyte*)block + i);
                sums[i / 16] = (short)Vector128.Sum((q0 + q1) + (q2 + q3));
            }
            *(float*)(block + ScaleOffset) = d;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Rounded(float* x, Vector128<float> inverse) =>
        Vector128.ConvertToInt32(Vector128.Round(Vector128.Load(x) * inverse));

    /// <summary>Expands a quantized row back to floats (tests).</summary>
    public static void Dequantize(byte* source, int cols, float* destination, bool pairedChunks = false)
    {
        for (var i = 0; i < cols; i++)
        {
            var block = source + i / Elements * SuperBlockBytes;
            var e = i % Elements;
            destination[i] = *(float*)(block + ScaleOffset) * ((sbyte*)block)[pairedChunks ? Paired(e) : e];
        }
    }

    /// <summary>
    /// Where element <paramref name="e"/> of a super-block is stored in the paired-chunk order: the second and
    /// third 32 elements of each 128 trade places (its own inverse).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Paired(int e) => (e & 0x60) switch
    {
        0x20 => e + 32,
        0x40 => e - 32,
        _ => e,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Scale(byte* superBlock) => *(float*)(superBlock + ScaleOffset);

    /// <summary>The 16 quant sums of a super-block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> Sums(byte* superBlock) => Vector256.Load((short*)(superBlock + SumsOffset));

    /// <summary>Eight of the 16 quant sums: <paramref name="half"/> 0 for sums 0–7, 1 for 8–15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<short> Sums(byte* superBlock, int half) => Vector128.Load((short*)(superBlock + SumsOffset) + 8 * half);
}
