using Mote.Numerics.Kernels;

namespace Mote.Numerics.Tests.Kernels;

/// <summary>A fact about AVX-512 code: skipped, saying so, on a CPU that cannot run it.</summary>
public sealed class Avx512FactAttribute : FactAttribute
{
    public Avx512FactAttribute()
    {
        if (!KernelIsas.IsSupported(KernelIsa.Avx512))
            Skip = $"needs AVX-512 (F/BW/VL/VBMI with AVX-VNNI); this CPU's best level is {KernelIsas.Best}";
    }
}
