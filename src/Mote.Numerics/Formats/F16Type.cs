using System.Runtime.InteropServices;
using Mote.Numerics.Kernels;

namespace Mote.Numerics.Formats;

/// <summary>IEEE half precision, little-endian; rounds to nearest even as ggml's <c>ggml_fp32_to_fp16_row</c>.</summary>
internal sealed class F16Type() : TensorType(GgmlType.F16)
{
    public override string Name => "f16";

    public override void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) =>
        HalfConversions.ToSingle(MemoryMarshal.Cast<byte, Half>(src)[..dst.Length], dst);

    public override void Quantize(ReadOnlySpan<float> src, Span<byte> dst) =>
        HalfConversions.ToHalf(src, MemoryMarshal.Cast<byte, Half>(dst)[..src.Length]);

    public override float Dot(ReadOnlySpan<byte> row, ReadOnlySpan<float> x) => DequantizeAndDot(row, x);
}
