using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q4_0 row: blocks of <see cref="BlockQ4_0"/>, expanded and quantized by <see cref="Q4_0Reference"/>.
/// </summary>
internal sealed class Q4_0Type() : BlockTensorType<BlockQ4_0, Q4_0Reference>(GgmlType.Q4_0)
{
    public override string Name => "q4_0";
}
