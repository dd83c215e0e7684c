using Mote.Numerics.Kernels;

namespace Mote.Numerics.Tests.Kernels;

/// <summary>A fact about AVX2 code: skipped, saying so, on a CPU that cannot run it.</summary>
public sealed class Avx2FactAttribute : FactAttribute
{
    public Avx2FactAttribute()
    {
        if (!KernelIsas.IsSupported(KernelIsa.Avx2))
            Skip = $"needs AVX2 with FMA; this CPU's best level is {KernelIsas.Best}";
    }
}
