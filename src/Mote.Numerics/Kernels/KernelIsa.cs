namespace Mote.Numerics.Kernels;

/// <summary>
/// The instruction-set level a matrix kernel is written for. Levels are ordered: a CPU that runs one runs
/// every lower one, so tests can force each level the machine supports.
/// </summary>
internal enum KernelIsa
{
    /// <summary>The scalar references (dequantize, then a float dot): slow, for tests and odd CPUs.</summary>
    Scalar,

    /// <summary>Portable <see cref="System.Runtime.Intrinsics.Vector128"/> code (SSE, ARM NEON, WASM SIMD).</summary>
    Vector128,

    /// <summary>x86 AVX2 + FMA: 256-bit integer dots with <c>vpmaddubsw</c>/<c>vpmaddwd</c>.</summary>
    Avx2,

    /// <summary>
    /// x86 AVX-512 F/BW/VL/VBMI with AVX-VNNI (Zen 4/5, Sapphire Rapids and later): 512-bit unpacking with
    /// byte permutes, integer dots with <c>vpmaddubsw</c> or <c>vpdpbusd</c>.
    /// </summary>
    Avx512,
}
