using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q5_1 row: blocks of <see cref="BlockQ5_1"/>, expanded and quantized by <see cref="Q5_1Reference"/>.
/// </summary>
internal sealed class Q5_1Type() : BlockTensorType<BlockQ5_1, Q5_1Reference>(GgmlType.Q5_1)
{
    public override string Name => "q5_1";
}
