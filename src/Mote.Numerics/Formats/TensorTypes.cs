using System.Collections.Frozen;
using Mote.Numerics.Formats.Quants;

namespace Mote.Numerics.Formats;

/// <summary>The table of tensor types Mote computes with, keyed by <see cref="GgmlType"/>.</summary>
public static class TensorTypes
{
    private static readonly FrozenDictionary<GgmlType, TensorType> s_types = new TensorType[]
    {
        new F32Type(),
        new F16Type(),
        new BF16Type(),
        new Q4_0Type(),
        new Q4_1Type(),
        new Q5_0Type(),
        new Q5_1Type(),
        new Q8_0Type(),
        new Q8_1Type(),
        new Q2_KType(),
        new Q3_KType(),
        new Q4_KType(),
        new Q5_KType(),
        new Q6_KType(),
        new Q8_KType(),
    }.ToFrozenDictionary(t => t.Type);

    /// <summary>The row for <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">Mote cannot compute with this type.</exception>
    public static TensorType Get(GgmlType type) =>
        s_types.TryGetValue(type, out var row) ? row : throw new NotSupportedException($"Tensor type {type} is not supported for computation.");

    public static bool IsSupported(GgmlType type) => s_types.ContainsKey(type);

    public static IEnumerable<TensorType> All => s_types.Values;
}
