using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels;

/// <summary>What this CPU supports, decided once at start-up.</summary>
internal static class KernelIsas
{
    /// <summary>The fastest level this CPU runs.</summary>
    public static KernelIsa Best { get; } = Detect();

    /// <summary>Whether this CPU can run kernels written for <paramref name="isa"/>.</summary>
    public static bool IsSupported(KernelIsa isa) => isa <= Best;

    private static KernelIsa Detect()
    {
        if (Avx512F.IsSupported && Avx512BW.IsSupported && Avx512F.VL.IsSupported && Avx512Vbmi.IsSupported
            && AvxVnni.IsSupported && Fma.IsSupported)
            return KernelIsa.Avx512;
        if (Avx2.IsSupported && Fma.IsSupported)
            return KernelIsa.Avx2;
        if (Vector128.IsHardwareAccelerated)
            return KernelIsa.Vector128;
        return KernelIsa.Scalar;
    }
}
