using Mote.Numerics.Kernels;

namespace Mote.Numerics.Tests.Kernels;

/// <summary>A fact about code of one instruction-set level: skipped, saying what it needs, on a CPU that cannot run it.</summary>
internal abstract class IsaFactAttribute : FactAttribute
{
    protected IsaFactAttribute(KernelIsa isa, string needs)
    {
        if (!KernelIsas.IsSupported(isa))
            Skip = $"needs {needs}; this CPU's best level is {KernelIsas.Best}";
    }
}
