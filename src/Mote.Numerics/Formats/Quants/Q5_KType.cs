using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q5_K row: blocks of <see cref="BlockQ5_K"/>, expanded and quantized by <see cref="Q5_KReference"/>.
/// </summary>
internal sealed class Q5_KType() : BlockTensorType<BlockQ5_K, Q5_KReference>(GgmlType.Q5_K)
{
    public override string Name => "q5_K";
}
