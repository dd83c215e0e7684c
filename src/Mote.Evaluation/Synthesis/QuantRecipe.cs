using System.Collections.Frozen;
using Mote.Numerics.Formats;

namespace Mote.Evaluation.Synthesis;

/// <summary>
/// Which storage type each tensor gets for a file type, following llama-quantize's rules
/// (<c>llama_tensor_get_type</c>) for the types synth writes: the classifier gets more bits, Q4_K_M gives some
/// attn_v / ffn_down layers Q6_K, and K-quants fall back to a 32-block type when a row is not a multiple of 256.
/// </summary>
public sealed record QuantRecipe(string Name, GgmlType BaseType, uint FileType)
{
    /// <summary>The recipes <c>mote synth --type</c> knows, by name.</summary>
    public static FrozenDictionary<string, QuantRecipe> All { get; } = new QuantRecipe[]
    {
        new("f32", GgmlType.F32, 0),
        new("f16", GgmlType.F16, 1),
        new("q4_0", GgmlType.Q4_0, 2),
        new("q8_0", GgmlType.Q8_0, 7),
        new("q4_k_m", GgmlType.Q4_K, 15),
    }.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>The type of a 2-D weight tensor. Norms, biases and rope factors stay F32.</summary>
    /// <param name="name">Tensor name without the layer prefix, e.g. <c>attn_v.weight</c> or <c>output.weight</c>.</param>
    /// <param name="layer">Layer index for <c>blk.N.*</c> tensors, else -1.</param>
    /// <param name="isClassifier">The output matrix, or the token embedding when it doubles as the classifier.</param>
    public GgmlType TypeFor(string name, int layer, int layerCount, long columns, bool isClassifier)
    {
        if (BaseType is GgmlType.F32 or GgmlType.F16)
            return BaseType;
        var type = BaseType;
        if (isClassifier)
            type = BaseType == GgmlType.Q8_0 ? GgmlType.Q8_0 : GgmlType.Q6_K;
        else if (Name == "q4_k_m" && (name == "attn_v.weight" || name == "ffn_down.weight") && UseMoreBits(layer, layerCount))
            type = GgmlType.Q6_K;
        return Fallback(type, columns);
    }

    // llama.cpp: the first and last eighth of the layers, and every third one between, get more bits.
    private static bool UseMoreBits(int layer, int count) =>
        layer < count / 8 || layer >= 7 * count / 8 || (layer - count / 8) % 3 == 2;

    private static GgmlType Fallback(GgmlType type, long columns)
    {
        if (columns % GgmlTypeSizes.BlockSize(type) == 0)
            return type;
        return type switch
        {
            GgmlType.Q4_K => GgmlType.Q5_0,
            GgmlType.Q5_K => GgmlType.Q5_1,
            GgmlType.Q6_K => GgmlType.Q8_0,
            _ => GgmlType.F16,
        };
    }
}
