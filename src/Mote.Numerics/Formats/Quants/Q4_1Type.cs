using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q4_1 row: blocks of <see cref="BlockQ4_1"/>, expanded and quantized by <see cref="Q4_1Reference"/>.
/// </summary>
internal sealed class Q4_1Type() : BlockTensorType<BlockQ4_1, Q4_1Reference>(GgmlType.Q4_1)
{
    public override string Name => "q4_1";
}
