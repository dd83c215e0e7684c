using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q4_K row: blocks of <see cref="BlockQ4_K"/>, expanded and quantized by <see cref="Q4_KReference"/>.
/// </summary>
internal sealed class Q4_KType() : BlockTensorType<BlockQ4_K, Q4_KReference>(GgmlType.Q4_K)
{
    public override string Name => "q4_K";
}
