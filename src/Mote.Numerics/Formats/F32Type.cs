using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats;

/// <summary>Plain little-endian float32.</summary>
internal sealed class F32Type() : TensorType(GgmlType.F32)
{
    public override string Name => "f32";

    public override void Dequantize(ReadOnlySpan<byte> src, Span<float> dst) =>
        MemoryMarshal.Cast<byte, float>(src)[..dst.Length].CopyTo(dst);

    public override void Quantize(ReadOnlySpan<float> src, Span<byte> dst) =>
        MemoryMarshal.AsBytes(src).CopyTo(dst);

    public override float Dot(ReadOnlySpan<byte> row, ReadOnlySpan<float> x) =>
        TensorPrimitives.Dot(MemoryMarshal.Cast<byte, float>(row)[..x.Length], x);

    // Nothing to expand, so each vector is dotted with the stored row directly (and equals Dot exactly).
    public override void DotMany(ReadOnlySpan<byte> row, int columns, ReadOnlySpan<float> x, int count, Span<float> y, int yStride)
    {
        CheckDotMany(columns, x, count, y, yStride);
        for (var v = 0; v < count; v++)
            y[v * yStride] = Dot(row, x.Slice(v * columns, columns));
    }
}
