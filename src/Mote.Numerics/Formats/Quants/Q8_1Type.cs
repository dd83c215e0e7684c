using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q8_1 row: blocks of <see cref="BlockQ8_1"/>, expanded and quantized by <see cref="Q8_1Reference"/>.
/// ggml uses it for activations dotted with q4_1/q5_1 weights; it is not a storage type.
/// </summary>
internal sealed class Q8_1Type() : BlockTensorType<BlockQ8_1, Q8_1Reference>(GgmlType.Q8_1)
{
    public override string Name => "q8_1";
}
