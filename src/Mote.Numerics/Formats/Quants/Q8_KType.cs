using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q8_K row: blocks of <see cref="BlockQ8_K"/>, expanded and quantized by <see cref="Q8_KReference"/>.
/// ggml uses it for activations dotted with K-quant weights; it is not a storage type.
/// </summary>
internal sealed class Q8_KType() : BlockTensorType<BlockQ8_K, Q8_KReference>(GgmlType.Q8_K)
{
    public override string Name => "q8_K";
}
