using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// A table row for a block-quantized type: rows are arrays of <typeparamref name="TBlock"/>, expanded and
/// produced block by block through the scalar reference <typeparamref name="TFormat"/>. Types override
/// <see cref="Dot"/> with faster kernels as they get them.
/// </summary>
internal abstract class BlockTensorType<TBlock, TFormat>(GgmlType type) : TensorType(type)
    where TBlock : unmanaged
    where TFormat : IBlockFormat<TBlock>
{
    public override void Dequantize(ReadOnlySpan<byte> src, Span<float> dst)
    {
        var blocks = Blocks(src, dst.Length);
        var blockSize = BlockSize;
        for (var i = 0; i < blocks.Length; i++)
            TFormat.Dequantize(in blocks[i], dst.Slice(i * blockSize, blockSize));
    }

    public override void Quantize(ReadOnlySpan<float> src, Span<byte> dst)
    {
        var count = CheckedBlockCount(src.Length);
        if (dst.Length < (long)count * TypeSize)
            throw new ArgumentException($"{Name}: destination holds {dst.Length} bytes, {(long)count * TypeSize} needed.", nameof(dst));
        var blocks = MemoryMarshal.Cast<byte, TBlock>(dst)[..count];
        var blockSize = BlockSize;
        for (var i = 0; i < blocks.Length; i++)
            TFormat.Quantize(src.Slice(i * blockSize, blockSize), ref blocks[i]);
    }

    public override float Dot(ReadOnlySpan<byte> row, ReadOnlySpan<float> x) => DequantizeAndDot(row, x);

    /// <summary>The first <paramref name="elements"/> / block-size blocks of <paramref name="src"/>, checked.</summary>
    private ReadOnlySpan<TBlock> Blocks(ReadOnlySpan<byte> src, int elements)
    {
        var count = CheckedBlockCount(elements);
        if (src.Length < (long)count * TypeSize)
            throw new ArgumentException($"{Name}: source holds {src.Length} bytes, {(long)count * TypeSize} needed for {elements} elements.", nameof(src));
        return MemoryMarshal.Cast<byte, TBlock>(src)[..count];
    }

    private int CheckedBlockCount(int elements)
    {
        Debug.Assert(Unsafe.SizeOf<TBlock>() == TypeSize);
        if (elements % BlockSize != 0)
            throw new ArgumentException($"{Name}: {elements} elements is not a multiple of the block size {BlockSize}.", nameof(elements));
        return elements / BlockSize;
    }
}
