using Mote.Numerics.Kernels;

namespace Mote.Numerics.Tests.Kernels;

/// <summary>A fact about AVX2 code.</summary>
internal sealed class Avx2FactAttribute() : IsaFactAttribute(KernelIsa.Avx2, "AVX2 with FMA");
