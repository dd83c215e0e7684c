using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q6_K row: blocks of <see cref="BlockQ6_K"/>, expanded and quantized by <see cref="Q6_KReference"/>.
/// </summary>
internal sealed class Q6_KType() : BlockTensorType<BlockQ6_K, Q6_KReference>(GgmlType.Q6_K)
{
    public override string Name => "q6_K";
}
