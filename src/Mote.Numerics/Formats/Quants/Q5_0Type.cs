using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q5_0 row: blocks of <see cref="BlockQ5_0"/>, expanded and quantized by <see cref="Q5_0Reference"/>.
/// </summary>
internal sealed class Q5_0Type() : BlockTensorType<BlockQ5_0, Q5_0Reference>(GgmlType.Q5_0)
{
    public override string Name => "q5_0";
}
