using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The q3_K row: blocks of <see cref="BlockQ3_K"/>, expanded and quantized by <see cref="Q3_KReference"/>.
/// </summary>
internal sealed class Q3_KType() : BlockTensorType<BlockQ3_K, Q3_KReference>(GgmlType.Q3_K)
{
    public override string Name => "q3_K";
}
