using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q8_0 row: blocks of <see cref="BlockQ8_0"/>, expanded and quantized by <see cref="Q8_0Reference"/>.
/// </summary>
internal sealed class Q8_0Type() : BlockTensorType<BlockQ8_0, Q8_0Reference>(GgmlType.Q8_0)
{
    public override string Name => "q8_0";
}
