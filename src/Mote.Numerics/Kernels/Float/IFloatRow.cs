using System.Runtime.Intrinsics;

namespace Mote.Numerics.Kernels.Float;

/// <summary>
/// How a row of a float weight type (f32, f16, bf16) widens to f32 vectors. Implemented by empty structs so
/// the generic kernels are specialized per type and the loads inlined.
/// </summary>
internal unsafe interface IFloatRow
{
    /// <summary>Bytes per element.</summary>
    static abstract int ElementBytes { get; }

    /// <summary>16 elements starting at <paramref name="p"/>.</summary>
    static abstract Vector512<float> Load512(byte* p);

    /// <summary>8 elements starting at <paramref name="p"/>.</summary>
    static abstract Vector256<float> Load256(byte* p);

    /// <summary>One element.</summary>
    static abstract float Load1(byte* p);
}
