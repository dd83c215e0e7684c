using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels;

/// <summary>
/// fp16 and bf16 conversions that round exactly as ggml does, so that files Mote writes match llama.cpp's
/// byte for byte. Widening (fp16/bf16 → f32) is exact and vectorized; narrowing is scalar because it is only
/// used when quantizing.
/// </summary>
public static class HalfConversions
{
    private static readonly float s_scaleToInfinity = BitConverter.UInt32BitsToSingle(0x77800000u); // 2^112
    private static readonly float s_scaleToZero = BitConverter.UInt32BitsToSingle(0x08800000u); // 2^-110

    /// <summary>
    /// fp32 → fp16 bits as ggml's <c>ggml_compute_fp32_to_fp16</c>: round to nearest even, overflow to
    /// infinity, and every NaN to the quiet NaN 0x7E00 (keeping the sign).
    /// </summary>
    public static ushort SingleToHalfBits(float value)
    {
        // The same arithmetic as ggml (after Maratyszcza's FP16 library): scaling up then down lets the FPU
        // do the rounding, and adding a power of two aligned to the target exponent drops the extra bits.
        var magnitude = MathF.Abs(value) * s_scaleToInfinity * s_scaleToZero;

        var w = BitConverter.SingleToUInt32Bits(value);
        var shl1W = w + w;
        var sign = w & 0x80000000u;
        var bias = shl1W & 0xFF000000u;
        if (bias < 0x71000000u)
            bias = 0x71000000u;

        magnitude = BitConverter.UInt32BitsToSingle((bias >> 1) + 0x07800000u) + magnitude;
        var bits = BitConverter.SingleToUInt32Bits(magnitude);
        var expBits = (bits >> 13) & 0x00007C00u;
        var mantissaBits = bits & 0x00000FFFu;
        var nonSign = expBits + mantissaBits;
        return (ushort)((sign >> 16) | (shl1W > 0xFF000000u ? 0x7E00u : nonSign));
    }

    /// <summary>fp32 → fp16 as ggml rounds it (see <see cref="SingleToHalfBits"/>).</summary>
    public static Half SingleToHalf(float value) => BitConverter.UInt16BitsToHalf(SingleToHalfBits(value));

    /// <summary>fp16 → fp32 (exact).</summary>
    public static float HalfToSingle(Half value) => (float)value;

    /// <summary>
    /// fp32 → bf16 bits as ggml's <c>ggml_compute_fp32_to_bf16</c>: round to nearest even; a NaN keeps its
    /// top bits and is forced quiet (bit 6 set).
    /// </summary>
    public static ushort SingleToBFloat16Bits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7FFFFFFFu) > 0x7F800000u)
            return (ushort)((bits >> 16) | 64);
        return (ushort)((bits + (0x7FFFu + ((bits >> 16) & 1))) >> 16);
    }

    /// <summary>bf16 bits → fp32 (exact).</summary>
    public static float BFloat16BitsToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>Widens fp16 values to fp32 (exact, vectorized).</summary>
    public static void ToSingle(ReadOnlySpan<Half> source, Span<float> destination) =>
        TensorPrimitives.ConvertToSingle(source, destination);

    /// <summary>Narrows fp32 values to fp16, rounding as ggml does.</summary>
    public static void ToHalf(ReadOnlySpan<float> source, Span<Half> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("Destination is shorter than source.", nameof(destination));
        var bits = MemoryMarshal.Cast<Half, ushort>(destination);
        for (var i = 0; i < source.Length; i++)
            bits[i] = SingleToHalfBits(source[i]);
    }

    /// <summary>Widens bf16 values (raw bits) to fp32 (exact).</summary>
    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("Destination is shorter than source.", nameof(destination));
        // bf16 is the top half of an f32, so widening is a 16-bit shift into the high half of each word.
        var words = MemoryMarshal.Cast<float, uint>(destination);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var src = ref MemoryMarshal.GetReference(source);
            ref var dst = ref MemoryMarshal.GetReference(words);
            for (; i + Vector256<ushort>.Count <= source.Length; i += Vector256<ushort>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref src, (nuint)i));
                (lower << 16).StoreUnsafe(ref dst, (nuint)i);
                (upper << 16).StoreUnsafe(ref dst, (nuint)(i + Vector256<uint>.Count));
            }
        }
        for (; i < source.Length; i++)
            words[i] = (uint)source[i] << 16;
    }

    /// <summary>Narrows fp32 values to bf16 (raw bits), rounding as ggml does.</summary>
    public static void SingleToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("Destination is shorter than source.", nameof(destination));
        for (var i = 0; i < source.Length; i++)
            destination[i] = SingleToBFloat16Bits(source[i]);
    }
}
