using System.Numerics.Tensors;

namespace Mote.Engine.Blocks;

/// <summary>Element-wise pieces of the decoder block.</summary>
public static class Activations
{
    /// <summary>SwiGLU: gate = silu(gate) · up, in place in <paramref name="gate"/>.</summary>
    public static void SwiGlu(Span<float> gate, ReadOnlySpan<float> up)
    {
        for (var i = 0; i < gate.Length; i++)
        {
            var g = gate[i];
            gate[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }

    /// <summary>Numerically stable softmax in place; the sum is kept in double as ggml does.</summary>
    public static void Softmax(Span<float> values)
    {
        var max = TensorPrimitives.Max(values);
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var e = MathF.Exp(values[i] - max);
            values[i] = e;
            sum += e;
        }
        var inverse = (float)(1.0 / sum);
        TensorPrimitives.Multiply(values, inverse, values);
    }
}
