using Mote.Numerics.Kernels;

namespace Mote.Numerics.Tests.Kernels;

/// <summary>A fact about AVX-512 code.</summary>
internal sealed class Avx512FactAttribute() : IsaFactAttribute(KernelIsa.Avx512, "AVX-512 (F/BW/VL/VBMI with AVX-VNNI)");
