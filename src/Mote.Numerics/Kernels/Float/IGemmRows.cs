namespace Mote.Numerics.Kernels.Float;

/// <summary>
/// Where <see cref="FloatGemmAvx2{TRows}"/> reads weight rows from: a stored type that widens a slice of one row
/// to floats (the float types by conversion; the block types once took this path too, before their integer GEMM
/// overtook it). Implemented by structs so the GEMM is specialized per type.
/// </summary>
internal unsafe interface IGemmRows
{
    /// <summary>Bytes per stored element (what the GEMM prefetches ahead of widening).</summary>
    static abstract int ElementBytes { get; }

    /// <summary>
    /// Writes columns [<paramref name="firstColumn"/>, <paramref name="firstColumn"/> + <paramref name="width"/>) of
    /// the row at <paramref name="row"/> to <paramref name="destination"/>; <paramref name="firstColumn"/> is a
    /// multiple of 256 and the slice ends at a block boundary or the row's end.
    /// </summary>
    static abstract void Widen(byte* row, int firstColumn, int width, float* destination);
}
