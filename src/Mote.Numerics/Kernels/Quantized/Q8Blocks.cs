using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Activations quantized to 8 bits per 32-element block in element order, for the AVX2 and portable kernels of
/// the 32-element block types (one block per vector, as ggml's <c>block_q8_0</c>). A block takes 40 bytes:
/// <code>
/// f32 d        value = d · q
/// f32 c        factor · d · Σq, the term a weight offset needs (factor chosen by the kernel)
/// i8  q[32]
/// </code>
/// </summary>
internal static unsafe class Q8Blocks
{
    public const int BlockBytes = 40;
    public const int Elements = 32;

    public static int Bytes(int cols) => (cols / Elements * BlockBytes + 63) & ~63;

    /// <summary>d = max|x| / 127, q = round-half-away(x / d) (ggml's reference), c = factor · d · Σq.</summary>
    public static void Quantize(float* x, int cols, byte* destination, float sumFactor)
    {
        for (var b = 0; b < cols / Elements; b++)
        {
            var source = new ReadOnlySpan<float>(x + b * Elements, Elements);
            var block = destination + b * BlockBytes;
            var d = MathF.Abs(TensorPrimitives.MaxMagnitude(source)) / 127f;
            var inverse = d != 0 ? 1f / d : 0f;
            var q = (sbyte*)(block + 8);
            var sum = 0;
            for (var i = 0; i < Elements; i++)
            {
                q[i] = (sbyte)MathF.Round(source[i] * inverse, MidpointRounding.AwayFromZero);
                sum += q[i];
            }
            *(float*)block = d;
            *(float*)(block + 4) = sumFactor * d * sum;
        }
    }

    /// <summary>
    /// <see cref="Quantize"/> with AVX2, rounding to nearest even (<c>vcvtps2dq</c>, as ggml's AVX2 quantizer does)
    /// instead of half away from zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void QuantizeAvx2(float* x, int cols, byte* destination, float sumFactor)
    {
        for (var b = 0; b < cols / Elements; b++)
        {
            var source = x + b * Elements;
            var block = destination + b * BlockBytes;
            var v0 = Vector256.Load(source);
            var v1 = Vector256.Load(source + 8);
            var v2 = Vector256.Load(source + 16);
            var v3 = Vector256.Load(source + 24);
            var max = Vector256.Max(Vector256.Max(Vector256.Abs(v0), Vector256.Abs(v1)), Vector256.Max(Vector256.Abs(v2), Vector256.Abs(v3)));
            var d = QuantizeLanes.MaxAcross(max) / 127f;
            var inverse = Vector256.Create(d != 0 ? 1f / d : 0f);
            var q0 = Avx.ConvertToVector256Int32(v0 * inverse);
            var q1 = Avx.ConvertToVector256Int32(v1 * inverse);
            var q2 = Avx.ConvertToVector256Int32(v2 * inverse);
            var q3 = Avx.ConvertToVector256Int32(v3 * inverse);
            QuantizeLanes.StoreBytesAvx2(q0, q1, q2, q3, (sbyte*)(block + 8));
            *(float*)block = d;
            *(float*)(block + 4) = sumFactor * d * Vector256.Sum((q0 + q1) + (q2 + q3));
        }
    }

    public static void Dequantize(byte* source, int cols, float* destination)
    {
        for (var i = 0; i < cols; i++)
        {
            var block = source + i / Elements * BlockBytes;
            destination[i] = *(float*)block * ((sbyte*)(block + 8))[i % Elements];
        }
    }
}
