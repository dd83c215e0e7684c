using System.Runtime.InteropServices;
using Mote.Numerics.Kernels;

namespace Mote.Numerics.Formats;

/// <summary>
/// bfloat16 (the top half of an f32), little-endian; rounds as ggml's <c>ggml_compute_fp32_to_bf16</c>
/// (nearest even, NaNs forced quiet).
/// </summary>
internal sealed class BF16Type() : TensorType(GgmlType.BF16)
{
    public override string Name => "bf16";

    public override void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) =>
        HalfConversions.BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(src)[..dst.Length], dst);

    public override void Quantize(ReadOnlySpan<float> src, Span<byte> dst) =>
        HalfConversions.SingleToBFloat16(src, MemoryMarshal.Cast<byte, ushort>(dst)[..src.Length]);

    public override float Dot(ReadOnlySpan<byte> row, ReadOnlySpan<float> x) => DequantizeAndDot(row, x);
}
