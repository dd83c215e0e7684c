using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q2_K row: blocks of <see cref="BlockQ2_K"/>, expanded and quantized by <see cref="Q2_KReference"/>.
/// </summary>
internal sealed class Q2_KType() : BlockTensorType<BlockQ2_K, Q2_KReference>(GgmlType.Q2_K)
{
    public override string Name => "q2_K";
}
