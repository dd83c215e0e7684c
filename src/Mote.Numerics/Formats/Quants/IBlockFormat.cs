namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// The scalar reference of one block format: how one block expands to floats and how floats become one block,
/// bit-exactly as ggml does it. Implemented by empty structs so that generic callers are specialized and the
/// calls inlined; faster kernels are tested against these.
/// </summary>
/// <typeparam name="TBlock">The block struct (its size is the type's <see cref="TensorType.TypeSize"/>).</typeparam>
internal interface IBlockFormat<TBlock>
    where TBlock : unmanaged
{
    /// <summary>Expands one block into <paramref name="y"/>, which holds exactly one block of elements.</summary>
    static abstract void Dequantize(ref readonly TBlock block, Span<float> y);

    /// <summary>Quantizes one block of elements from <paramref name="x"/> into <paramref name="block"/>.</summary>
    static abstract void Quantize(ReadOnlySpan<float> x, ref TBlock block);
}
