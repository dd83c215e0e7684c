using Mote.Numerics.Kernels;

namespace Mote.Numerics.Formats.Quants;

/// <summary>Small numeric helpers shared by the quantizers, each the exact counterpart of a ggml one.</summary>
internal static class QuantMath
{
    /// <summary>ggml <c>GROUP_MAX_EPS</c>: groups whose largest magnitude is below this count as all zero.</summary>
    public const float GroupMaxEpsilon = 1e-15f;

    /// <summary>
    /// ggml <c>nearest_int</c>: rounds to nearest, ties to even, by adding 1.5·2^23 so that the FPU rounds
    /// the value into the low mantissa bits. Valid for |value| ≤ 4194303; outside that it returns the same
    /// garbage ggml does, which the callers then clamp.
    /// </summary>
    public static int NearestInt(float value)
    {
        var shifted = value + 12582912f;
        return (BitConverter.SingleToInt32Bits(shifted) & 0x007FFFFF) - 0x00400000;
    }

    /// <summary>ggml <c>GGML_FP32_TO_FP16</c>.</summary>
    public static Half ToHalf(float value) => HalfConversions.SingleToHalf(value);
}
