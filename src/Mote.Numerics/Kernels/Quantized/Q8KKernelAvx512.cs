namespace Mote.Numerics.Kernels.Quantized;

/// <summary>The AVX-512 K-quant kernels' base: <see cref="Q8K"/> activations quantized with AVX-512.</summary>
internal abstract unsafe class Q8KKernelAvx512 : Q8KKernel
{
    public override void PrepareActivations(float* x, int cols, byte* destination) => Q8K.QuantizeAvx512(x, cols, destination);
}
